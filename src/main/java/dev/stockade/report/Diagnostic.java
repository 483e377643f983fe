package dev.stockade.report;

import java.util.Objects;

/**
 * A problem with user input, tied to where it is. {@code code} is stable (scripts may rely on it);
 * {@code hint} tells the user what to do and may be empty.
 */
public record Diagnostic(Severity severity, String code, SourceSpan span, String message, String hint) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
    }

    public static Diagnostic error(String code, SourceSpan span, String message, String hint) {
        return new Diagnostic(Severity.ERROR, code, span, message, hint);
    }

    public static Diagnostic warning(String code, SourceSpan span, String message, String hint) {
        return new Diagnostic(Severity.WARNING, code, span, message, hint);
    }

    /** One line, compiler style: {@code file:line:col: error: message [CODE]}. */
    @Override
    public String toString() {
        return span + ": " + severity.label() + ": " + message + " [" + code + "]";
    }
}
