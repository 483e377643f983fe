package dev.stockade.report;

import java.util.List;

/**
 * Input that Stockade cannot use. Carries every problem found, not just the first, so a user fixes
 * them all in one go. The CLI maps it to exit code 2.
 */
public final class InputException extends Exception {

    private final List<Diagnostic> diagnostics;

    public InputException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid input" : diagnostics.get(0).toString(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public InputException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
