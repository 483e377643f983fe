package dev.stockade.report;

import java.util.regex.Pattern;

/**
 * What an {@link InputException} from a parser must carry: at least one error, each with a stable
 * code, a file:line:col position and a message. Fuzz tests check every rejection against it.
 */
public final class LocatedErrors {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{2,12}(-[A-Z0-9]{1,12}){1,4}");

    private LocatedErrors() {}

    /** {@code file:line:col: error: message} is one line: a message or hint must not break it. */
    private static boolean oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0;
    }

    public static void check(InputException e) {
        if (e.diagnostics().isEmpty()) {
            throw new AssertionError("an InputException without diagnostics", e);
        }
        for (Diagnostic d : e.diagnostics()) {
            boolean ok = d.severity() == Severity.ERROR
                    && CODE.matcher(d.code()).matches()
                    && d.span().line() >= 1
                    && d.span().column() >= 1
                    && !d.message().isBlank()
                    && oneLine(d.message())
                    && oneLine(d.hint());
            if (!ok) {
                throw new AssertionError("not a located error: " + d + " (hint: " + d.hint() + ")", e);
            }
        }
    }
}
