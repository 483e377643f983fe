package dev.stockade.cli;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.DiagnosticFormatter;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.List;

/** Prints diagnostics and findings compiler style; the only place that formats problems for humans. */
final class Diagnostics {

    private Diagnostics() {}

    static void print(PrintWriter err, List<Diagnostic> diagnostics) {
        DiagnosticFormatter f = new DiagnosticFormatter();
        for (Diagnostic d : diagnostics) {
            err.print(f.format(d));
        }
        err.flush();
    }

    /** Prints an input failure with a closing line; returns exit code 2. */
    static int inputError(PrintWriter err, InputException e, String what) {
        print(err, e.diagnostics());
        long errors = e.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .count();
        err.println(
                "stockade: " + errors + (errors == 1 ? " error" : " errors") + " in " + what + "; nothing was written");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    static void findings(PrintWriter w, List<Finding> findings) {
        for (Finding f : findings) {
            w.println(f);
            if (!f.hint().isEmpty()) {
                w.println("  hint: " + f.hint());
            }
        }
        w.flush();
    }
}
