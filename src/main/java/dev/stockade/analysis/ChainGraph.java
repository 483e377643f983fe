package dev.stockade.analysis;

import dev.stockade.iptables.Chain;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which chain of a table calls which ({@code -j CHAIN} or {@code -g CHAIN}), and orders over that
 * graph. Every walk keeps its own stack: a ruleset may nest thousands of chains, so nothing here
 * recurses over the user's input.
 */
final class ChainGraph {

    /** Chains reachable from some roots, every callee before its callers; or the first jump loop met. */
    record Order(List<String> chains, Optional<List<String>> loop) {}

    private final Map<String, List<String>> callees = new HashMap<>();

    private ChainGraph(Table table, Set<String> names) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (Rule r : table.rules()) {
            r.target()
                    .map(t -> t.name())
                    .filter(n -> TableSemantics.kind(n, names) == TableSemantics.Kind.CHAIN)
                    .ifPresent(n -> edges.computeIfAbsent(r.chain(), k -> new LinkedHashSet<>())
                            .add(n));
        }
        edges.forEach((k, v) -> callees.put(k, List.copyOf(v)));
    }

    static ChainGraph of(Table table) {
        Set<String> names = new HashSet<>();
        for (Chain c : table.chains()) {
            names.add(c.name());
        }
        return new ChainGraph(table, names);
    }

    /** The graph of {@code table}, whose chains are {@code names}. */
    static ChainGraph of(Table table, Set<String> names) {
        return new ChainGraph(table, names);
    }

    /** The chains {@code chain} jumps or goes to, in the order of their first call. */
    List<String> callees(String chain) {
        return callees.getOrDefault(chain, List.of());
    }

    /**
     * The chains reachable from {@code roots} (roots included), callees first. {@code done} names
     * chains already handled: they are neither entered nor listed. A loop stops the walk; it is
     * given as the chains on it, the first repeated at the end ({@code A -> B -> A}).
     */
    Order postOrder(Collection<String> roots, Set<String> done) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>(done);
        for (String root : roots) {
            if (seen.contains(root)) {
                continue;
            }
            // one frame per chain on the current path: the chain and how many callees it has tried
            Deque<String> path = new ArrayDeque<>();
            Deque<int[]> next = new ArrayDeque<>();
            Set<String> onPath = new HashSet<>();
            path.push(root);
            next.push(new int[] {0});
            onPath.add(root);
            seen.add(root);
            while (!path.isEmpty()) {
                String chain = path.peek();
                int[] i = next.peek();
                List<String> calls = callees(chain);
                if (i[0] == calls.size()) {
                    out.add(path.pop());
                    next.pop();
                    onPath.remove(chain);
                    continue;
                }
                String callee = calls.get(i[0]++);
                if (onPath.contains(callee)) {
                    return new Order(out, Optional.of(loop(path, callee)));
                }
                if (seen.add(callee)) {
                    path.push(callee);
                    next.push(new int[] {0});
                    onPath.add(callee);
                }
            }
        }
        return new Order(out, Optional.empty());
    }

    /** The loop that closes at {@code callee}, from its first appearance on the path. */
    private static List<String> loop(Deque<String> path, String callee) {
        List<String> fromRoot = new ArrayList<>(path);
        java.util.Collections.reverse(fromRoot);
        List<String> loop = new ArrayList<>(fromRoot.subList(fromRoot.indexOf(callee), fromRoot.size()));
        loop.add(callee);
        return loop;
    }
}
