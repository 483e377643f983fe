package dev.stockade.iptables;

import java.util.List;
import java.util.Optional;

/** One {@code *table ... COMMIT} block: its chains in declaration order and its rules in order. */
public record Table(String name, List<Chain> chains, List<Rule> rules) {

    public Table {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    public Optional<Chain> chain(String name) {
        return chains.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The rules of one chain, in order. */
    public List<Rule> rules(String chain) {
        return rules.stream().filter(r -> r.chain().equals(chain)).toList();
    }
}
