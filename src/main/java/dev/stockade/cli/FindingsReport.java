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

    /** Each finding and its hint, the severity in colour on a terminal ({@link Terminal#colour()}). */
    static void print(PrintWriter w, List<Finding> findings) {
        boolean colour = Terminal.colour();
        for (Finding f : findings) {
            w.println(line(f, colour));
            if (!f.hint().isEmpty()) {
                w.println("  hint: " + f.hint());
            }
        }
        w.flush();
    }

    /** {@code file:line:col: severity: message [ID]}; with {@code colour}, the severity in ANSI red, yellow or cyan. */
    static String line(Finding f, boolean colour) {
        if (!colour) {
            return f.toString();
        }
        String code = switch (f.severity()) {
            case ERROR -> "1;31";
            case WARNING -> "1;33";
            case NOTE -> "36";
        };
        String label = ": " + f.severity().label() + ": ";
        String plain = f.toString();
        int at = plain.indexOf(label);
        return plain.substring(0, at) + ": \u001b[" + code + "m" + f.severity().label() + "\u001b[0m: "
                + plain.substring(at + label.length());
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
