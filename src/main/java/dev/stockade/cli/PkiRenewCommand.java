package dev.stockade.cli;

import dev.stockade.build.ClusterPki;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade pki renew --spec}: re-issue what is expiring or no longer fits, keeping the CA. */
@Command(
        name = "renew",
        mixinStandardHelpOptions = true,
        description = {
            "Re-issue what is expiring or no longer fits.",
            "Certificates that are expiring, invalid or no longer match the spec get new keys and are"
                    + " re-issued by the same CA. Valid certificates are left alone. Replaced files are kept as"
                    + " backups named like NAME.pem.bak-TIMESTAMP."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Done.",
            "2:Bad input (file:line:col on stderr).",
            "3:The PKI directory cannot be written.",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiRenewCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Option(
            names = "--warn-days",
            paramLabel = "DAYS",
            defaultValue = "30",
            description = "Renew what expires within this many days (default: ${DEFAULT-VALUE}).")
    int warnDays;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        if (where.specFile == null) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "renew needs --spec SPEC");
        }
        return PkiIssueCommand.ensure(
                command.commandLine(), where, passphrase, ClusterPki.Mode.RENEW, Duration.ofDays(warnDays), clock);
    }
}
