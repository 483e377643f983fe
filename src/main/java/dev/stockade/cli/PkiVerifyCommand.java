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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stockade pki verify --spec}: does the PKI fit the cluster, before it is deployed? */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check that the PKI fits the spec, changing nothing.",
            "Every certificate the spec needs must chain to the CA, match its key, have SANs that cover every"
                    + " name and address the node is reached by, and EKUs that fit its role. Validity and key"
                    + " file permissions are checked too."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:Bad input: the spec or a certificate cannot be read (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiVerifyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Option(
            names = "--warn-days",
            paramLabel = "DAYS",
            defaultValue = "30",
            description = "Warn about certificates that expire within this many days (default: ${DEFAULT-VALUE}).")
    int warnDays;

    @Mixin
    FormatOption format;

    @Mixin
    FailOnOption failOn;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        if (where.specFile == null) {
            throw new ParameterException(command.commandLine(), "verify needs --spec SPEC");
        }
        List<Finding> findings = ClusterPki.verify(
                where.spec(), new PkiStore(where.dir(), clock), clock.instant(), Duration.ofDays(warnDays));
        if (format.json()) {
            JsonOutput.verify(out, where.specFile, where.dir(), findings);
        } else {
            out.println("Checked " + where.dir() + " against " + where.specFile + ".");
            FindingsReport.printWithSummary(out, findings, "All certificates fit the spec.");
        }
        return failOn.exitCode(findings);
    }
}
