package dev.stockade.cli;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.List;

/**
 * Findings as text: one compiler-style line each ({@code file:line:col: severity: message [ID]}
 * when the finding has a place in a file), its hint below. Every command that reports findings
 * prints them through here; their JSON form is {@link JsonOutput#findings}.
 */
final class FindingsReport {

    private FindingsReport() {}

    /** Each finding and its hint. */
    static void print(PrintWriter w, List<Finding> findings) {
        for (Finding f : findings) {
            w.println(f);
            if (!f.hint().isEmpty()) {
                w.println("  hint: " + f.hint());
            }
        }
        w.flush();
    }

    /** The findings and a closing count, or {@code allClear} when there are none. */
    static void printWithSummary(PrintWriter w, List<Finding> findings, String allClear) {
        if (findings.isEmpty()) {
            w.println(allClear);
        } else {
            print(w, findings);
            w.println(count(findings));
        }
        w.flush();
    }

    /** "3 findings: 1 error, 2 warnings." */
    static String count(List<Finding> findings) {
        StringBuilder sb =
                new StringBuilder().append(findings.size()).append(findings.size() == 1 ? " finding" : " findings");
        String sep = ": ";
        for (Severity s : List.of(Severity.ERROR, Severity.WARNING, Severity.NOTE)) {
            long n = findings.stream().filter(f -> f.severity() == s).count();
            if (n > 0) {
                sb.append(sep).append(n).append(' ').append(s.label()).append(n == 1 ? "" : "s");
                sep = ", ";
            }
        }
        return sb.append('.').toString();
    }
}
