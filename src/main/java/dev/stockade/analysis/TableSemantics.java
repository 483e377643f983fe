package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.iptables.Targets;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every chain of one table does with every packet, as sets of packets (BDDs in a {@link
 * PacketSpace}).
 *
 * <p>Design note. A chain is summarised once, for all packets, by one forward pass over its rules:
 * {@code live} is the set still walking the chain; a rule with match set M takes {@code live ∧ M}
 * to its target. ACCEPT, DROP and REJECT add it to that verdict; RETURN to the chain's return set;
 * a jump to chain C sends it through C's summary (its verdicts are final, its return set comes
 * back to {@code live}); a goto does the same but C's return set leaves the current chain (it
 * returns to the caller, or meets the policy in a builtin chain); a target that only observes
 * (LOG, MARK, ...) changes nothing. What falls off the end returns. Because a chain's behaviour
 * does not depend on how a packet reached it, each summary is computed once and reused at every
 * call site (the unfolding of Diekmann et al., "Semantics-Preserving Simplification of Real-World
 * Firewall Rule Sets", FM 2015, yields the same sets rule by rule).
 *
 * <p>Conditions Stockade does not model are free choices, independent at every rule. The sets are
 * therefore "may" sets: {@code accept} holds the packets that some choice of those conditions
 * accepts, {@code drop} those that some choice drops, and so on. A rule takes {@code live ∧ may}
 * to its target and keeps {@code live ∧ ¬must} walking (a packet that may or may not match does
 * both). Because the choices are independent, this reachability is exact: a packet is certainly
 * accepted when accepting is its only possible outcome. Without unmodelled conditions exactly one
 * outcome is possible for every packet, and the sets are the exact semantics. Targets whose verdict
 * Stockade cannot know (QUEUE, unknown extensions) have every outcome possible.
 *
 * <p>Limits: a stateful match (limit, recent) evaluated twice for one packet is free each time.
 */
public final class TableSemantics {

    /** The fate of packets entering a chain: accepted, dropped, rejected, or returned to the caller. */
    public record Summary(int accept, int drop, int reject, int returned) {}

    /** What a rule's target does with the packets it matches. */
    enum Kind {
        ACCEPT,
        DROP,
        REJECT,
        RETURN,
        /** LOG, MARK and the like: the packet goes on to the next rule. */
        OBSERVE,
        /** A jump or goto to a chain of the table. */
        CHAIN,
        /** QUEUE, NFQUEUE or an unknown extension: the verdict is not the ruleset's to know. */
        UNKNOWN
    }

    /** The kind of the target named {@code name} in this table; the one classification every walk uses. */
    Kind kind(String name) {
        return kind(name, chainNames);
    }

    /** The kind of the target named {@code name} in a table with the chains {@code chains}. */
    static Kind kind(String name, Set<String> chains) {
        if (Targets.isObserving(name)) {
            return Kind.OBSERVE;
        }
        switch (name) {
            case "ACCEPT":
                return Kind.ACCEPT;
            case "DROP":
                return Kind.DROP;
            case "REJECT":
                return Kind.REJECT;
            case "RETURN":
                return Kind.RETURN;
            default:
                if (chains.contains(name)) {
                    return Kind.CHAIN;
                }
                return name.equals("TARPIT") ? Kind.DROP : Kind.UNKNOWN;
        }
    }

    /** One rule as the analysis saw it: its match sets and the set of packets that may reach it within its chain. */
    public record Site(String chain, int index, Rule rule, RuleEncoder.Encoded match, int live) {

        /**
         * Whether, for some packet of {@code region} (entering the chain), this rule's unmodelled
         * conditions decide something: it reaches the rule, which may but need not match it.
         */
        boolean uncertainIn(Bdd bdd, int region) {
            return bdd.intersectsBut(region, live, match.may(), match.must());
        }
    }

    private final RuleEncoder encoder;
    private final Bdd bdd;
    private final Table table;
    private final Map<String, List<Rule>> rulesByChain = new HashMap<>();
    private final Map<String, Summary> summaries = new HashMap<>();
    private final Map<String, List<Site>> sites = new HashMap<>();
    private final ChainGraph graph;
    private final Set<String> chainNames = new java.util.HashSet<>();
    private final List<Doubt> doubtful = new ArrayList<>();
    private final Map<String, Summary> builtins = new HashMap<>();

    TableSemantics(RuleEncoder encoder, Table table) {
        this.encoder = encoder;
        this.bdd = encoder.space().bdd();
        this.table = table;
        table.chains().forEach(c -> chainNames.add(c.name()));
        this.graph = ChainGraph.of(table, chainNames);
        for (Rule r : table.rules()) {
            rulesByChain.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(r);
        }
    }

    public Table table() {
        return table;
    }

    /**
     * The summary of a chain for all packets. The chains it calls are summarised first, callees
     * before callers, without recursion (a ruleset may nest thousands of chains).
     */
    public Summary summary(String chain) throws InputException {
        Summary s = summaries.get(chain);
        if (s != null) {
            return s;
        }
        ChainGraph.Order order = graph.postOrder(List.of(chain), summaries.keySet());
        if (order.loop().isPresent()) {
            throw loop(order.loop().get());
        }
        for (String c : order.chains()) {
            summaries.put(c, compute(c));
        }
        return summaries.get(chain);
    }

    /**
     * The verdict sets of a builtin chain, its policy applied: packets that may be accepted,
     * dropped (DROP and the policy DROP) or rejected; {@code returned} is empty.
     */
    public Summary builtin(String chain) throws InputException {
        Summary b = builtins.get(chain);
        if (b == null) {
            Summary s = summary(chain);
            b = withPolicy(chain, s.accept(), s.drop(), s.reject(), s.returned());
            builtins.put(chain, b);
        }
        return b;
    }

    /** What a builtin chain's policy makes of the packets that fall off its end; only existing packets count. */
    private Summary withPolicy(String chain, int acc, int drop, int rej, int returned) {
        boolean accept =
                table.chain(chain).flatMap(c -> c.policy()).orElse("ACCEPT").equals("ACCEPT");
        int valid = encoder.space().valid(chain);
        return new Summary(
                bdd.and(valid, accept ? bdd.or(acc, returned) : acc),
                bdd.and(valid, accept ? drop : bdd.or(drop, returned)),
                bdd.and(valid, rej),
                Bdd.FALSE);
    }

    /**
     * The verdict sets of a builtin chain as the Iptables_Semantics tool computes them: user chains
     * are unfolded into one linear ruleset in which every rule carries the conditions of the jumps
     * that lead to it (and the negated conditions of RETURNs before it), and each unfolded rule reads
     * its unknown conditions on its own (so a jump's unknown condition may hold for one rule of the
     * callee and fail for the next). Coarser than {@link #builtin}, which decides a jump's condition
     * once per packet; used to reproduce that tool's results.
     */
    public Summary unfolded(String chain) throws InputException {
        Unfolding u = new Unfolding();
        u.walk(chain, new RuleEncoder.Encoded(Bdd.TRUE, Bdd.TRUE, List.of()));
        return withPolicy(chain, u.acc, u.drop, u.rej, u.live);
    }

    /** State of the unfolding walk: the packets still undecided and the verdict sets so far. */
    private final class Unfolding {
        int live = Bdd.TRUE;
        int acc = Bdd.FALSE;
        int drop = Bdd.FALSE;
        int rej = Bdd.FALSE;
        private final Map<Rule, RuleEncoder.Encoded> encoded = new HashMap<>();

        /** A chain being walked: its rules, the next one to read, and the conditions that led here. */
        private final class Frame {
            final String chain;
            final List<Rule> rules;
            int next;
            RuleEncoder.Encoded ctx;

            Frame(String chain, RuleEncoder.Encoded ctx) {
                this.chain = chain;
                this.rules = rulesByChain.getOrDefault(chain, List.of());
                this.ctx = ctx;
            }
        }

        /** Walks {@code chain} and every chain it calls, with an explicit stack of frames. */
        void walk(String chain, RuleEncoder.Encoded context) throws InputException {
            List<Frame> stack = new ArrayList<>();
            stack.add(new Frame(chain, context));
            while (!stack.isEmpty()) {
                Frame f = stack.get(stack.size() - 1);
                if (f.next == f.rules.size()) {
                    stack.remove(stack.size() - 1);
                    continue;
                }
                Rule rule = f.rules.get(f.next++);
                if (rule.target().isEmpty()) {
                    continue;
                }
                RuleEncoder.Encoded m = encoded.computeIfAbsent(rule, encoder::encode);
                int must = bdd.and(f.ctx.must(), m.must());
                int may = bdd.and(f.ctx.may(), m.may());
                if (may == Bdd.FALSE) {
                    continue;
                }
                Target t = rule.target().get();
                String name = t.name();
                Kind kind = kind(name);
                if (kind == Kind.CHAIN) {
                    List<String> path = new ArrayList<>();
                    stack.forEach(x -> path.add(x.chain));
                    if (path.contains(name)) {
                        List<String> loop = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
                        loop.add(name);
                        throw loop(loop);
                    }
                    if (t.isGoto()) {
                        f.ctx = without(f.ctx, m);
                    }
                    stack.add(new Frame(name, new RuleEncoder.Encoded(must, may, List.of())));
                    continue;
                }
                verdict(kind, bdd.and(live, may), must, f, m);
            }
        }

        private void verdict(Kind kind, int hit, int must, Frame f, RuleEncoder.Encoded m) {
            switch (kind) {
                case ACCEPT:
                    acc = bdd.or(acc, hit);
                    live = bdd.diff(live, must);
                    break;
                case DROP:
                    drop = bdd.or(drop, hit);
                    live = bdd.diff(live, must);
                    break;
                case REJECT:
                    rej = bdd.or(rej, hit);
                    live = bdd.diff(live, must);
                    break;
                case RETURN:
                    f.ctx = without(f.ctx, m);
                    break;
                case OBSERVE:
                    break;
                default:
                    acc = bdd.or(acc, hit);
                    drop = bdd.or(drop, hit);
            }
        }

        /** The context for the rules after one that took {@code m} away (a RETURN or a goto). */
        private RuleEncoder.Encoded without(RuleEncoder.Encoded ctx, RuleEncoder.Encoded m) {
            return new RuleEncoder.Encoded(bdd.diff(ctx.must(), m.may()), bdd.diff(ctx.may(), m.must()), List.of());
        }
    }

    /**
     * The unmodelled conditions that decide something for some packet of {@code region} (a set of
     * packets entering a builtin chain; the test per rule is against packets entering the rule's
     * chain, so it may name a few rules too many, never too few).
     */
    public List<Doubt> doubtsIn(int region) {
        List<Doubt> out = new ArrayList<>();
        for (List<Site> chainSites : sites.values()) {
            for (Site s : chainSites) {
                if (!s.match().certain() && s.uncertainIn(bdd, region)) {
                    out.addAll(s.match().doubts());
                }
            }
        }
        for (Doubt d : doubtful) {
            out.add(d);
        }
        out.sort(java.util.Comparator.comparingInt(
                (Doubt d) -> d.rule().span().map(x -> x.line()).orElse(0)));
        return out;
    }

    /** The rules of a chain as analysed (after {@link #summary}); empty for a chain not analysed. */
    public List<Site> sites(String chain) {
        return sites.getOrDefault(chain, List.of());
    }

    private Summary compute(String chain) throws InputException {
        List<Rule> rules = rulesByChain.getOrDefault(chain, List.of());
        List<Site> mine = new ArrayList<>(rules.size());
        int live = Bdd.TRUE;
        int acc = Bdd.FALSE;
        int drop = Bdd.FALSE;
        int rej = Bdd.FALSE;
        int ret = Bdd.FALSE;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            RuleEncoder.Encoded m = encoder.encode(rule);
            mine.add(new Site(chain, i + 1, rule, m, live));
            if (rule.target().isEmpty() || live == Bdd.FALSE) {
                continue;
            }
            if (!bdd.intersects(live, m.may())) {
                continue;
            }
            Target t = rule.target().get();
            String name = t.name();
            Kind kind = kind(name);
            if (kind == Kind.OBSERVE) {
                continue;
            }
            int rest = bdd.diff(live, m.must());
            if (kind != Kind.CHAIN && kind != Kind.UNKNOWN) {
                // the verdict takes live ∧ may without building it
                switch (kind) {
                    case ACCEPT:
                        acc = bdd.orAnd(acc, live, m.may());
                        break;
                    case REJECT:
                        rej = bdd.orAnd(rej, live, m.may());
                        break;
                    case RETURN:
                        ret = bdd.orAnd(ret, live, m.may());
                        break;
                    default:
                        drop = bdd.orAnd(drop, live, m.may());
                }
                live = rest;
                continue;
            }
            int hit = bdd.and(live, m.may());
            if (kind == Kind.CHAIN) {
                Summary c = summary(name);
                acc = bdd.orAnd(acc, hit, c.accept());
                drop = bdd.orAnd(drop, hit, c.drop());
                rej = bdd.orAnd(rej, hit, c.reject());
                if (t.isGoto()) {
                    ret = bdd.orAnd(ret, hit, c.returned());
                    live = rest;
                } else {
                    live = bdd.orAnd(rest, hit, c.returned());
                }
                continue;
            }
            // QUEUE, NFQUEUE, SYNPROXY or an unknown extension: the verdict is not ours to know
            acc = bdd.or(acc, hit);
            drop = bdd.or(drop, hit);
            doubtful.add(new Doubt(rule, "-j " + name, "verdict decided outside the ruleset"));
        }
        ret = bdd.or(ret, live);
        sites.put(chain, mine);
        return new Summary(acc, drop, rej, ret);
    }

    /** A jump loop, given as its chains with the first repeated at the end; located at the jump that closes it. */
    private InputException loop(List<String> loop) {
        String chain = loop.get(loop.size() - 1);
        String last = loop.get(loop.size() - 2);
        Rule jump = rulesByChain.getOrDefault(last, List.of()).stream()
                .filter(r -> r.target().map(t -> t.name().equals(chain)).orElse(false))
                .findFirst()
                .orElse(null);
        SourceSpan span =
                jump == null ? SourceSpan.ofFile(table.name()) : jump.span().orElse(SourceSpan.ofFile(table.name()));
        return new InputException(Diagnostic.error(
                "FW-JUMP-LOOP",
                span,
                "jump loop " + String.join(" -> ", loop) + ": the kernel refuses this ruleset",
                "break the loop; 'stockade fw lint' shows all of them"));
    }
}
