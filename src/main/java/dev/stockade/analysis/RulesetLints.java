package dev.stockade.analysis;

import dev.stockade.iptables.Chain;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.iptables.Targets;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Structural checks of a filter table that need no packet semantics: jumps to undefined chains,
 * chains nothing reaches, jump loops, rules behind an unconditional verdict, ACCEPT policies without
 * a final catch-all, and IPv6 left open while IPv4 is closed. Each finding has a stable id
 * ({@code FW-...}) and points at the rule or chain.
 *
 * <p>Checks that need the packets a rule sees (replies, loopback, SSH, shadowed and redundant rules)
 * are in {@link SemanticLints}.
 */
public final class RulesetLints {

    private static final Set<String> TERMINAL = Set.of("ACCEPT", "DROP", "REJECT");

    /** A parsed ruleset and the file it came from. */
    public record Source(String file, Ruleset ruleset) {}

    private RulesetLints() {}

    public static List<Finding> lint(List<Source> sources) {
        List<Finding> out = new ArrayList<>();
        Map<IpFamily, Boolean> inputClosed = new HashMap<>();
        Map<IpFamily, String> fileOf = new HashMap<>();
        for (Source s : sources) {
            Optional<Table> filter = s.ruleset().table("filter");
            if (filter.isEmpty()) {
                continue;
            }
            out.addAll(table(s.file(), filter.get()));
            boolean closed = defaultDrop(filter.get(), "INPUT");
            inputClosed.merge(s.ruleset().family(), closed, Boolean::logicalAnd);
            fileOf.put(s.ruleset().family(), s.file());
        }
        if (Boolean.TRUE.equals(inputClosed.get(IpFamily.V4)) && Boolean.FALSE.equals(inputClosed.get(IpFamily.V6))) {
            out.add(new Finding(
                    "FW-IPV6-OPEN",
                    Severity.ERROR,
                    fileOf.get(IpFamily.V6),
                    "IPv4 input is closed by default but IPv6 input is open",
                    "give ip6tables the same default: ':INPUT DROP' or a final DROP rule"));
        }
        return out;
    }

    static List<Finding> table(String file, Table t) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<String>> edges = new HashMap<>();
        Map<String, List<Rule>> byChain = new HashMap<>();
        for (Rule r : t.rules()) {
            byChain.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(r);
            r.target().ifPresent(target -> {
                if (!Targets.isBuiltin(target.name())) {
                    if (t.chain(target.name()).isEmpty()) {
                        out.add(
                                new Finding(
                                        "FW-UNDEFINED-CHAIN",
                                        Severity.ERROR,
                                        where(file, r),
                                        r.span(),
                                        "jump to chain '" + target.name() + "', which is not defined",
                                        "declare ':" + target.name()
                                                + " - [0:0]' or fix the name; iptables-restore --test does not catch this on nft"));
                    } else {
                        edges.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(target.name());
                    }
                }
            });
        }
        loops(file, t, out);
        unreachable(file, t, edges, out);
        for (Chain c : t.chains()) {
            afterCatchAll(file, byChain.getOrDefault(c.name(), List.of()), out);
        }
        inputChecks(file, t, out);
        return out;
    }

    private static void loops(String file, Table t, List<Finding> out) {
        ChainGraph graph = ChainGraph.of(t);
        Set<String> reported = new HashSet<>();
        for (Chain c : t.chains()) {
            graph.postOrder(List.of(c.name()), Set.of()).loop().ifPresent(cycle -> {
                if (reported.add(String.join(">", new java.util.TreeSet<>(cycle)))) {
                    out.add(new Finding(
                            "FW-JUMP-LOOP",
                            Severity.ERROR,
                            file + ": chain " + cycle.get(0),
                            "jump loop: " + String.join(" -> ", cycle),
                            "the kernel refuses to load a ruleset with a loop; break it"));
                }
            });
        }
    }

    private static void unreachable(String file, Table t, Map<String, List<String>> edges, List<Finding> out) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        t.chains().stream().filter(Chain::isBuiltin).forEach(c -> todo.add(c.name()));
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (reached.add(c)) {
                todo.addAll(edges.getOrDefault(c, List.of()));
            }
        }
        for (Chain c : t.chains()) {
            if (!reached.contains(c.name())) {
                out.add(new Finding(
                        "FW-UNREACHABLE-CHAIN",
                        Severity.WARNING,
                        file + ": chain " + c.name(),
                        "chain '" + c.name() + "' is never jumped to from INPUT, FORWARD or OUTPUT",
                        "remove it or jump to it"));
            }
        }
    }

    /** Rules after an unconditional verdict in the same chain never see a packet. */
    private static void afterCatchAll(String file, List<Rule> rules, List<Finding> out) {
        for (int i = 0; i < rules.size() - 1; i++) {
            if (isCatchAll(rules.get(i))) {
                out.add(new Finding(
                        "FW-AFTER-CATCHALL",
                        Severity.WARNING,
                        where(file, rules.get(i + 1)),
                        rules.get(i + 1).span(),
                        (rules.size() - i - 1) + " rule(s) follow an unconditional '"
                                + rules.get(i).target().orElseThrow().name() + "' at " + where(file, rules.get(i))
                                + " and are never reached",
                        "move them before it or delete them"));
                return;
            }
        }
    }

    static boolean isCatchAll(Rule r) {
        Optional<Target> t = r.target();
        boolean terminal =
                t.isPresent() && (TERMINAL.contains(t.get().name()) || t.get().isGoto());
        return terminal
                && r.matches().stream()
                        .allMatch(m -> m instanceof Match.Module
                                && ((Match.Module) m).name().equals("comment"));
    }

    /** Whether a builtin chain drops what its rules do not accept: DROP policy, or a final catch-all DROP/REJECT. */
    public static boolean defaultDrop(Table t, String chain) {
        Optional<Chain> c = t.chain(chain);
        if (c.isEmpty()) {
            return false;
        }
        if (c.get().policy().filter(p -> p.equals("DROP")).isPresent()) {
            return true;
        }
        List<Rule> rules = t.rules(chain);
        return rules.stream()
                .anyMatch(r -> isCatchAll(r)
                        && !r.target().orElseThrow().name().equals("ACCEPT")
                        && !r.target().orElseThrow().isGoto());
    }

    private static void inputChecks(String file, Table t, List<Finding> out) {
        for (String chain : List.of("INPUT", "FORWARD")) {
            if (t.chain(chain).isPresent() && !defaultDrop(t, chain)) {
                out.add(new Finding(
                        "FW-POLICY-ACCEPT",
                        Severity.WARNING,
                        file + ": chain " + chain,
                        chain + " accepts everything no rule drops (policy ACCEPT, no final DROP)",
                        "set ':" + chain + " DROP' and accept what is needed"));
            }
        }
        // replies, loopback and SSH are checked on the packet sets (SemanticLints)
    }

    private static String where(String file, Rule r) {
        return r.span().map(Object::toString).orElse(file + ": chain " + r.chain());
    }
}
