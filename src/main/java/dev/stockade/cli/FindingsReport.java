package dev.stockade.cli;

import dev.stockade.json.JsonWriter;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --format} and {@code --fail-on} for commands that report findings, and their output. */
final class FindingsReport {

    enum FailOn {
        warning,
        error
    }

    @Option(
            names = "--fail-on",
            defaultValue = "error",
            description =
                    "exit 1 on findings of this severity or worse: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    FailOn failOn;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    /** Prints the findings and returns the exit code: 1 when one reaches {@code --fail-on}. */
    int print(PrintWriter out, List<Finding> findings, String allClear) {
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
            out.println(allClear);
        } else {
            Diagnostics.findings(out, findings);
        }
        out.flush();
        Severity threshold = failOn == FailOn.warning ? Severity.WARNING : Severity.ERROR;
        return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0)
                ? ExitCodes.FINDINGS
                : ExitCodes.OK;
    }
}
