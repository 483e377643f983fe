package dev.stockade.iptables;

import java.util.List;

/** One {@code *table ... COMMIT} block. */
public record Table(String name, List<Chain> chains, List<Rule> rules) {

    public Table {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }
}
