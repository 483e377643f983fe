package dev.stockade.report;

import java.util.Locale;
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

    /**
     * {@code s} with every character that could break a message over lines or steer a terminal
     * (C0, DEL, C1 controls and the Unicode line separators) shown as {@code \\uXXXX}; null stays null.
     */
    public static String oneLine(String s) {
        if (s == null || s.chars().noneMatch(Diagnostic::breaksLine)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        s.chars()
                .forEach(c ->
                        b.append(breaksLine(c) ? String.format(Locale.ROOT, "\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }

    private static boolean breaksLine(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
    }

    /** One line, compiler style: {@code file:line:col: error: message [CODE]}. */
    @Override
    public String toString() {
        return span + ": " + severity.label() + ": " + message + " [" + code + "]";
    }
}
