package dev.stockade.cli;

import dev.stockade.build.ClusterPki;
import dev.stockade.pki.PkiStore;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade pki renew --spec}: re-issue what is expiring or no longer fits, keeping the CA. */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = {"Re-issue certificates that are expiring, invalid or no longer match the spec (new keys),",
            "keeping the CA; replaced files are kept as NAME.pem.bak-TIMESTAMP. Valid ones are left alone."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "2:bad input", "3:cannot write"})
final class PkiRenewCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--warn-days", defaultValue = "30", description = "renew what expires within this many days (default: ${DEFAULT-VALUE})")
    int warnDays;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (where.specFile == null) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "renew needs --spec SPEC");
        }
        try {
            PkiStore store = new PkiStore(where.dir(), clock);
            ClusterPki.Outcome o = ClusterPki.ensure(where.spec(), store, ClusterPki.Mode.RENEW, clock.instant(),
                    Duration.ofDays(warnDays), passphrase.read());
            PkiIssueCommand.report(out, store, o);
            Diagnostics.findings(err, o.findings());
            return o.hasErrors() ? ExitCodes.BAD_INPUT : ExitCodes.OK;
        } catch (InputException e) {
            return Diagnostics.inputError(err, e, "the PKI");
        } catch (IOException e) {
            err.println("stockade: error: cannot write the PKI: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
    }
}
