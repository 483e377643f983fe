package dev.stockade.analysis;

import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Target;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a builtin chain does with one packet, and the path of rules that decided it.
 *
 * <p>Design note. There is one semantics: the packet is a set of one packet (or of every value of
 * the fields it leaves open) in the {@link PacketSpace} of a {@link FilterAnalysis}, its verdict
 * is the one outcome the chain's verdict sets leave it, and the path follows the match sets the
 * encoder built for the chain summaries ({@link TableSemantics.Site}): a rule is taken when the
 * packet lies inside its certain match set, passed when it lies outside its possible set, and the
 * walk stops, naming why, at the first rule for which neither holds (an unmodelled condition, or a
 * field the packet leaves open). The walk keeps its own stack of chains (jumps push, gotos replace,
 * RETURN and the end of a user chain pop, the policy applies when the stack runs empty), so it never
 * recurses over the ruleset, and it checks that it ends where the verdict sets say.
 */
public final class PacketQuery {

    /** One step of the path: the rule that matched (index from 1), or the chain whose policy applied (index -1). */
    public record Step(String chain, int index, Optional<Rule> rule, String action) {}

    /**
     * The answer for one packet.
     *
     * @param state the conntrack state the packet was asked with
     * @param stateDerived the state was not given but derived, as conntrack does for a flow's first packet
     * @param path the rules that decided, in order; it ends early when {@code undecided} is set
     * @param undecided why the path stops before a verdict: unmodelled conditions or open fields
     * @param doubts the unmodelled conditions of the rule where the path stops
     */
    public record Result(
            Verdict verdict,
            State state,
            boolean stateDerived,
            List<Step> path,
            Optional<String> undecided,
            List<Doubt> doubts) {}

    private PacketQuery() {}

    /**
     * Asks {@code chain} (a builtin chain of the analysis's first table) about {@code p}; a state
     * the packet does not give is derived with {@code tcpLoose} as
     * {@code net.netfilter.nf_conntrack_tcp_loose}.
     */
    public static Result query(FilterAnalysis a, String chain, Packet p, boolean tcpLoose) throws InputException {
        PacketSpace s = a.space();
        Bdd bdd = a.bdd();
        int point = bdd.and(s.point(p), s.valid(chain));
        State state;
        if (p.state().isPresent()) {
            state = p.state().get();
        } else {
            point = bdd.and(point, s.firstPacket(tcpLoose));
            state = stateOf(s, point);
        }
        Verdict verdict = verdict(bdd, point, a.chain(chain));
        Walk w = new Walk(a, p, point);
        w.run(chain);
        if (w.undecided.isEmpty() && w.verdict != verdict) {
            throw new IllegalStateException(
                    "the rule path of " + chain + " ends in " + w.verdict + " but the verdict sets say " + verdict);
        }
        return new Result(verdict, state, p.state().isEmpty(), w.path, w.undecided, w.doubts);
    }

    /** The one outcome the verdict sets leave the packets of {@code point}, or UNDETERMINED. */
    static Verdict verdict(Bdd bdd, int point, TableSemantics.Summary sum) {
        boolean acc = bdd.intersects(point, sum.accept());
        boolean drop = bdd.intersects(point, sum.drop());
        boolean rej = bdd.intersects(point, sum.reject());
        if (acc && !drop && !rej) {
            return Verdict.ACCEPT;
        }
        if (drop && !acc && !rej) {
            return Verdict.DROP;
        }
        if (rej && !acc && !drop) {
            return Verdict.REJECT;
        }
        return Verdict.UNDETERMINED;
    }

    private static State stateOf(PacketSpace s, int point) {
        for (State st : State.values()) {
            if (s.bdd().intersects(point, s.state(st))) {
                return st;
            }
        }
        throw new IllegalStateException("no conntrack state fits the packet");
    }

    /** The walk along the rules for one packet. */
    private static final class Walk {
        private final TableSemantics table;
        private final Packet packet;
        private final int point;
        private final Bdd bdd;
        final List<Step> path = new ArrayList<>();
        final List<Doubt> doubts = new ArrayList<>();
        Optional<String> undecided = Optional.empty();
        Verdict verdict = Verdict.UNDETERMINED;

        /** A chain being walked and the index of the next rule to read. */
        private record Frame(String chain, List<TableSemantics.Site> sites, int[] next) {}

        Walk(FilterAnalysis a, Packet packet, int point) {
            this.table = a.table(0);
            this.packet = packet;
            this.point = point;
            this.bdd = a.bdd();
        }

        void run(String builtin) {
            List<Frame> stack = new ArrayList<>();
            stack.add(frame(builtin));
            while (true) {
                if (stack.isEmpty()) {
                    policy(builtin);
                    return;
                }
                Frame f = stack.get(stack.size() - 1);
                if (f.next()[0] == f.sites().size()) {
                    stack.remove(stack.size() - 1);
                    continue;
                }
                TableSemantics.Site site = f.sites().get(f.next()[0]++);
                Rule rule = site.rule();
                if (rule.target().isEmpty()
                        || !bdd.intersects(point, site.match().may())) {
                    continue;
                }
                if (bdd.diff(point, site.match().must()) != Bdd.FALSE) {
                    stop(site, why(site));
                    return;
                }
                if (!take(site, rule.target().get(), stack)) {
                    return;
                }
            }
        }

        /** Follows the target of a rule that matched; false when the walk ends here. */
        private boolean take(TableSemantics.Site site, Target t, List<Frame> stack) {
            String name = t.name();
            switch (table.kind(name)) {
                case ACCEPT:
                    return end(site, "ACCEPT", Verdict.ACCEPT);
                case DROP:
                    return end(site, name, Verdict.DROP);
                case REJECT:
                    return end(site, "REJECT", Verdict.REJECT);
                case RETURN:
                    step(site, "RETURN");
                    stack.remove(stack.size() - 1);
                    return true;
                case OBSERVE:
                    return true;
                case CHAIN:
                    step(site, (t.isGoto() ? "goto " : "jump ") + name);
                    if (t.isGoto()) {
                        stack.remove(stack.size() - 1);
                    }
                    stack.add(frame(name));
                    return true;
                default:
                    stop(site, "-j " + name + ": the verdict is decided outside the ruleset");
                    return false;
            }
        }

        private Frame frame(String chain) {
            return new Frame(chain, table.sites(chain), new int[] {0});
        }

        private boolean end(TableSemantics.Site site, String action, Verdict v) {
            step(site, action);
            verdict = v;
            return false;
        }

        private void policy(String builtin) {
            String policy =
                    table.table().chain(builtin).flatMap(c -> c.policy()).orElse("ACCEPT");
            path.add(new Step(builtin, -1, Optional.empty(), "policy " + policy));
            verdict = policy.equals("DROP") ? Verdict.DROP : Verdict.ACCEPT;
        }

        private void step(TableSemantics.Site site, String action) {
            path.add(new Step(site.chain(), site.index(), Optional.of(site.rule()), action));
        }

        private void stop(TableSemantics.Site site, String reason) {
            step(site, "may match");
            undecided = Optional.of(reason);
            doubts.addAll(site.match().doubts());
        }

        /** Why a rule may or may not match the packet: its unmodelled conditions, or fields the packet leaves open. */
        private String why(TableSemantics.Site site) {
            if (!site.match().certain()) {
                List<String> conditions = new ArrayList<>();
                site.match().doubts().forEach(d -> conditions.add(d.condition() + " (" + d.reason() + ")"));
                return "depends on " + String.join(", ", conditions);
            }
            Set<String> open = new LinkedHashSet<>();
            for (Match m : site.rule().matches()) {
                if (m instanceof Match.Interface i) {
                    if (i.input() && packet.inInterface().isEmpty()) {
                        open.add("the input interface (give --iface)");
                    } else if (!i.input() && packet.outInterface().isEmpty()) {
                        open.add("the output interface (give --oface)");
                    }
                } else if (m instanceof Match.Module mod
                        && mod.name().equals("mac")
                        && packet.mac().isEmpty()) {
                    open.add("the source MAC address (give --mac)");
                }
            }
            return "depends on " + (open.isEmpty() ? "fields the packet leaves open" : String.join(" and ", open));
        }
    }
}
