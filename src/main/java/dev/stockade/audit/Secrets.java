package dev.stockade.audit;

import dev.stockade.report.Finding;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of reports. The probes read none ({@link Probe}), but a finding may quote what
 * a host printed (an error line, output that does not parse), and a hostile or broken host can
 * print anything: so every finding and every reach line passes through here before it is
 * reported. Removed: PEM private-key blocks (also cut short), {@code NAME=value} where the name says
 * password, secret, token or key, the user part of URLs, and JSON web tokens.
 */
final class Secrets {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|.*)", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([A-Z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential)"
                    + "[A-Z0-9_.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;)]+)");
    private static final Pattern USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    static final String REMOVED = "[removed]";

    private Secrets() {}

    static String redact(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String t = PEM_KEY.matcher(text).replaceAll("[private key removed]");
        t = ASSIGNMENT.matcher(t).replaceAll("$1" + REMOVED);
        t = USERINFO.matcher(t).replaceAll("$1" + REMOVED + "@");
        return JWT.matcher(t).replaceAll(REMOVED);
    }

    static Finding redact(Finding f) {
        String message = redact(f.message());
        String hint = redact(f.hint());
        return message.equals(f.message()) && hint.equals(f.hint())
                ? f
                : new Finding(f.id(), f.severity(), f.subject(), f.span(), message, hint);
    }

    static Reachability redact(Reachability r) {
        return new Reachability(redact(r.service()), r.family(), redact(r.sources()), r.anywhere(), r.closed());
    }
}
