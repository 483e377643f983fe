package dev.stockade.cli;

import dev.stockade.build.ClusterPki;
import dev.stockade.json.JsonWriter;
import dev.stockade.pki.PkiStore;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade pki verify --spec}: does the PKI fit the cluster, before it is deployed? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every certificate the spec needs: chain to the CA, key matches, SANs cover every name and",
            "address the node is reached by, EKUs fit the role, validity, key file permissions. Changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no findings at or above --fail-on", "1:findings at or above --fail-on", "2:bad input"})
final class PkiVerifyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Option(names = "--warn-days", defaultValue = "30", description = "expiry within this many days is a warning (default: ${DEFAULT-VALUE})")
    int warnDays;

    @Option(names = "--fail-on", defaultValue = "error", description = "exit 1 on findings of this severity or worse: warning, error (default: ${DEFAULT-VALUE})")
    String failOn;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        Severity threshold = failOn.equals("warning") ? Severity.WARNING : Severity.ERROR;
        if (!failOn.equals("warning") && !failOn.equals("error")) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--fail-on takes warning or error");
        }
        if (where.specFile == null) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "verify needs --spec SPEC");
        }
        List<Finding> findings;
        try {
            findings = ClusterPki.verify(where.spec(), new PkiStore(where.dir(), clock), clock.instant(),
                    Duration.ofDays(warnDays), null);
        } catch (InputException e) {
            return Diagnostics.inputError(command.commandLine().getErr(), e, "the PKI");
        }
        if (format == BuildCommand.OutputFormat.json) {
            List<Object> list = new ArrayList<>();
            for (Finding f : findings) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id());
                m.put("severity", f.severity().label());
                m.put("subject", f.subject());
                m.put("message", f.message());
                m.put("hint", f.hint());
                list.add(m);
            }
            out.print(JsonWriter.write(Map.of("findings", list)));
        } else if (findings.isEmpty()) {
            out.println("All certificates fit the spec.");
        } else {
            Diagnostics.findings(out, findings);
        }
        out.flush();
        return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
