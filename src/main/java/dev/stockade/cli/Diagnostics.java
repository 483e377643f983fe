package dev.stockade.cli;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.DiagnosticFormatter;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Prints diagnostics compiler style; the only place that formats input problems for humans. */
final class Diagnostics {

    private Diagnostics() {}

    static void print(PrintWriter err, List<Diagnostic> diagnostics) {
        DiagnosticFormatter f = new DiagnosticFormatter();
        for (Diagnostic d : diagnostics) {
            err.print(f.format(d));
        }
        err.flush();
    }

    /** One step over an input that may fail with located problems. */
    interface Step<T, R> {
        R apply(T item) throws InputException;
    }

    /**
     * Applies {@code step} to every item, in order; when some fail, the problems of all of them are
     * thrown together, so a user sees every bad file at once.
     */
    static <T, R> List<R> forEach(List<T> items, Step<T, R> step) throws InputException {
        List<R> results = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (T item : items) {
            try {
                results.add(step.apply(item));
            } catch (InputException e) {
                problems.addAll(e.diagnostics());
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return results;
    }

    /** Prints an input failure with a closing line naming the files at fault; returns exit code 2. */
    static int inputError(PrintWriter err, InputException e) {
        Set<String> files = new LinkedHashSet<>();
        e.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .forEach(d -> files.add(d.span().file()));
        return inputError(err, e, files.isEmpty() ? "the input" : String.join(", ", files));
    }

    private static int inputError(PrintWriter err, InputException e, String what) {
        print(err, e.diagnostics());
        long errors = e.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .count();
        err.println(
                "stockade: " + errors + (errors == 1 ? " error" : " errors") + " in " + what + "; nothing was written");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }
}
