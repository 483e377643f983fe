package dev.stockade.iptables;

import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code *table ... COMMIT} block while it is read: chains in declaration order, rules in order. */
final class TableBuilder {

    final String name;
    final SourceSpan start;
    final Map<String, Chain> chains = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();

    TableBuilder(String name, SourceSpan start) {
        this.name = name;
        this.start = start;
    }

    void append(Rule rule) {
        rules.add(rule);
    }

    /** {@code -I CHAIN N}: before the N-th rule of that chain (0-based {@code position}), else last. */
    void insert(Rule rule, int position) {
        int seen = 0;
        for (int k = 0; k < rules.size(); k++) {
            if (rules.get(k).chain().equals(rule.chain())) {
                if (seen == position) {
                    rules.add(k, rule);
                    return;
                }
                seen++;
            }
        }
        rules.add(rule);
    }

    Table build() {
        return new Table(name, new ArrayList<>(chains.values()), rules);
    }
}
