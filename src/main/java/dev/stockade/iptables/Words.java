package dev.stockade.iptables;

import java.util.Set;

/** Quoting of option values as iptables-save writes them. */
final class Words {

    /** Options iptables prints with xtables_save_string: quoted unless only [A-Za-z0-9_-]. */
    private static final Set<String> STRING_OPTIONS = Set.of("comment", "log-prefix", "nflog-prefix", "name", "string");

    private Words() {}

    static String value(String option, String v) {
        boolean plain = !v.isEmpty();
        boolean saveString = STRING_OPTIONS.contains(option);
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = saveString
                    ? (c < 128 && Character.isLetterOrDigit(c)) || c == '_' || c == '-'
                    : c != ' ' && c != '"' && c != '\'' && c != '\\' && c != '\t';
        }
        return plain && !looksLikeSyntax(v) ? v : quoted(v);
    }

    /** A value that would read back as negation or as an option when written bare. */
    private static boolean looksLikeSyntax(String v) {
        return v.equals("!") || (v.length() > 1 && v.charAt(0) == '-' && !Character.isDigit(v.charAt(1)));
    }

    private static String quoted(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
