package dev.stockade.iptables;

import java.util.List;
import java.util.Map;

/**
 * The builtin chains of each iptables table, in the order the kernel hooks them. A builtin chain
 * exists even when a file does not declare it (policy ACCEPT, no rules).
 */
public final class BuiltinChains {

    private static final Map<String, List<String>> CHAINS = Map.of(
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "raw", List.of("PREROUTING", "OUTPUT"),
            "security", List.of("INPUT", "FORWARD", "OUTPUT"));

    /** The table names iptables knows. */
    public static final List<String> TABLES = List.of("raw", "mangle", "security", "nat", "filter");

    private BuiltinChains() {}

    /** The builtin chains of {@code table}; empty for a table iptables does not know. */
    public static List<String> of(String table) {
        return CHAINS.getOrDefault(table, List.of());
    }

    public static boolean isBuiltin(String table, String chain) {
        return of(table).contains(chain);
    }
}
