package dev.stockade.iptables;

import java.util.Set;

/** Quoting of option values as iptables-save writes them. */
final class Words {

    /** Options iptables prints with xtables_save_string: quoted unless only [A-Za-z0-9_-]. */
    private static final Set<String> STRING_OPTIONS = Set.of("comment", "log-prefix", "nflog-prefix", "name", "string");

    private Words() {
    }

    static String value(String option, String v) {
        if (STRING_OPTIONS.contains(option)) {
            return !v.isEmpty() && v.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-')
                    ? v : quoted(v);
        }
        return !v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '\t')
                ? v : quoted(v);
    }

    private static String quoted(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
