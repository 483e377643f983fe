package dev.stockade.cli;

import dev.stockade.build.ClusterPki;
import dev.stockade.pki.PkiStore;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade pki verify --spec}: does the PKI fit the cluster, before it is deployed? */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check every certificate the spec needs: chain to the CA, key matches, SANs cover every name and",
            "address the node is reached by, EKUs fit the role, validity, key file permissions. Changes nothing."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no findings at or above --fail-on", "1:findings at or above --fail-on", "2:bad input"})
final class PkiVerifyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Option(
            names = "--warn-days",
            defaultValue = "30",
            description = "expiry within this many days is a warning (default: ${DEFAULT-VALUE})")
    int warnDays;

    @Mixin
    FindingsReport report;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        if (where.specFile == null) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "verify needs --spec SPEC");
        }
        List<Finding> findings;
        try {
            findings = ClusterPki.verify(
                    where.spec(), new PkiStore(where.dir(), clock), clock.instant(), Duration.ofDays(warnDays), null);
        } catch (InputException e) {
            return Diagnostics.inputError(command.commandLine().getErr(), e, "the PKI");
        }
        return report.print(out, findings, "All certificates fit the spec.");
    }
}
