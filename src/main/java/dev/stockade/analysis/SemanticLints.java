package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.BuiltinChains;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lints that need the packet sets: rules that never match although packets reach them
 * ({@code FW-SHADOWED}: earlier rules decide everything they would match), rules whose removal
 * changes nothing ({@code FW-REDUNDANT}: the rules after them give the same verdict to every packet
 * they match), and for INPUT: replies to the host's own connections not all accepted ({@code FW-NO-ESTABLISHED}), loopback not fully
 * accepted ({@code FW-NO-LOOPBACK}), no SSH from anywhere ({@code FW-SSH-CLOSED}) or SSH from everywhere
 * ({@code FW-SSH-ANY}). All are exact for
 * the packets that reach a rule from INPUT, FORWARD or OUTPUT.
 *
 * <p>Reach: a builtin chain is entered by every packet; a user chain by the packets that may match
 * a jump to it where they reach that jump. Redundancy compares a rule's verdict with the outcome of
 * the rest of its chain, computed by one backward pass ({@code after} holds, for the rules after
 * position i, the packets that may be accepted, dropped, rejected or returned). The pass leaves
 * out every rule already flagged, so the flagged rules can all be removed together: of two
 * identical rules the second is shadowed and the first is not also called redundant.
 */
public final class SemanticLints {

    private static final Set<String> BUILTIN = Set.copyOf(BuiltinChains.of("filter"));

    private SemanticLints() {}

    /** Findings for the filter table of one file; a table the kernel would refuse (jump loop) gives none. */
    public static List<Finding> lint(String file, IpFamily family, Table filter) {
        FilterAnalysis a = FilterAnalysis.of(family, filter);
        TableSemantics t = a.table(0);
        Bdd bdd = a.bdd();
        List<String> roots = new ArrayList<>();
        try {
            for (String b : BUILTIN) {
                if (filter.chain(b).isPresent()) {
                    t.builtin(b);
                    roots.add(b);
                }
            }
        } catch (InputException e) {
            return List.of();
        }
        roots.sort(null);
        Map<String, Integer> entry = entries(t, bdd, roots);
        List<Finding> out = new ArrayList<>();
        if (roots.contains("INPUT")) {
            try {
                input(file, a, out);
            } catch (InputException e) {
                return List.of();
            }
        }
        for (Map.Entry<String, Integer> e : entry.entrySet()) {
            String chain = e.getKey();
            boolean builtin = BUILTIN.contains(chain);
            List<TableSemantics.Site> sites = t.sites(chain);
            String policy = filter.chain(chain).flatMap(c -> c.policy()).orElse("ACCEPT");
            int[] after = builtin
                    ? (policy.equals("ACCEPT")
                            ? new int[] {Bdd.TRUE, Bdd.FALSE, Bdd.FALSE, Bdd.FALSE}
                            : new int[] {Bdd.FALSE, Bdd.TRUE, Bdd.FALSE, Bdd.FALSE})
                    : new int[] {Bdd.FALSE, Bdd.FALSE, Bdd.FALSE, Bdd.TRUE};
            List<Finding> chainFindings = new ArrayList<>();
            boolean catchAllBefore = false;
            boolean[] afterCatchAll = new boolean[sites.size()];
            for (int i = 0; i < sites.size(); i++) {
                afterCatchAll[i] = catchAllBefore;
                catchAllBefore |= RulesetLints.isCatchAll(sites.get(i).rule());
            }
            int in = e.getValue();
            for (int i = sites.size() - 1; i >= 0; i--) {
                TableSemantics.Site s = sites.get(i);
                // the packets that reach the rule are in ∧ live; the tests below walk that product
                // without building it (building it for every rule cost most of the lint's time)
                int live = s.live();
                boolean reached = bdd.intersects(in, live);
                Rule r = s.rule();
                int before = chainFindings.size();
                if (reached
                        && !bdd.intersects(in, live, s.match().may())
                        && !r.matches().isEmpty()) {
                    chainFindings.add(new Finding(
                            "FW-SHADOWED",
                            Severity.WARNING,
                            where(file, r),
                            r.span(),
                            "never matches: the rules before it decide every packet it would match (" + r.toSaveLine()
                                    + ")",
                            "remove it, or move it before the rules that take its packets"));
                } else if (!reached && !afterCatchAll[i] && !r.matches().isEmpty()) {
                    chainFindings.add(new Finding(
                            "FW-SHADOWED",
                            Severity.WARNING,
                            where(file, r),
                            r.span(),
                            "never reached: the rules before it decide every packet (" + r.toSaveLine() + ")",
                            "remove it, or move it before the rules that take its packets"));
                } else {
                    int verdict = verdictIndex(r);
                    if (verdict >= 0
                            && s.match().certain()
                            && bdd.intersects(in, live, s.match().must())
                            && same(bdd, in, live, s.match().must(), after, verdict)) {
                        chainFindings.add(new Finding(
                                "FW-REDUNDANT",
                                Severity.WARNING,
                                where(file, r),
                                r.span(),
                                "redundant: without it, the rules after it give every packet it matches the same verdict ("
                                        + r.toSaveLine() + ")",
                                "remove it"));
                    }
                }
                // a flagged rule counts as removed for the rules before it, so that every rule
                // flagged can be removed together (of two identical rules, only one is flagged)
                if (chainFindings.size() == before) {
                    after = step(t, bdd, s, after, builtin, policy);
                }
            }
            java.util.Collections.reverse(chainFindings);
            out.addAll(chainFindings);
        }
        return out;
    }

    /**
     * INPUT, exactly: replies accepted at all (outside loopback), loopback accepted in full, and SSH
     * open to someone.
     */
    private static void input(String file, FilterAnalysis a, List<Finding> out) throws InputException {
        PacketSpace s = a.space();
        Bdd bdd = a.bdd();
        int upper = a.upper(0, "INPUT");
        int lo = s.inAtom(s.interfaces().atomOf("lo"));
        int outside = bdd.and(bdd.and(s.valid("INPUT"), s.notFragment()), bdd.not(lo));
        String subject = file + ": chain INPUT";
        // replies to this host's own connections: ESTABLISHED TCP/UDP to Linux's ephemeral ports
        int replies = bdd.and(
                bdd.and(outside, s.state(PacketSpace.State.ESTABLISHED)),
                bdd.and(bdd.or(s.protocol(6), s.protocol(17)), s.dport(32768, 60999)));
        if (bdd.diff(replies, a.lower(0, "INPUT")) != Bdd.FALSE) {
            out.add(new Finding(
                    "FW-NO-ESTABLISHED",
                    Severity.ERROR,
                    subject,
                    "replies to this host's own connections "
                            + "(state ESTABLISHED, TCP/UDP to ports 32768-60999) are not all accepted: they are dropped",
                    "add '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' near the top"));
        }
        int loopback = bdd.and(bdd.and(s.valid("INPUT"), lo), s.state(PacketSpace.State.NEW));
        if (bdd.diff(loopback, upper) != Bdd.FALSE) {
            out.add(new Finding(
                    "FW-NO-LOOPBACK",
                    Severity.WARNING,
                    subject,
                    "not all loopback traffic is accepted: " + "local services talking to each other are dropped",
                    "add '-A INPUT -i lo -j ACCEPT' first"));
        }
        int ssh = bdd.and(
                outside,
                bdd.and(
                        s.state(PacketSpace.State.NEW),
                        bdd.and(s.protocol(6), bdd.and(s.tcpFlags(0xFF, 0b10), s.dport(22, 22)))));
        if (!bdd.intersects(upper, ssh)) {
            out.add(new Finding(
                    "FW-SSH-CLOSED",
                    Severity.WARNING,
                    subject,
                    "no new SSH connection (tcp/22) is accepted "
                            + "from anywhere but loopback: a lockout, unless intended",
                    "accept tcp/22 from your admin networks"));
        } else if (bdd.diff(ssh, a.lower(0, "INPUT")) == Bdd.FALSE) {
            out.add(new Finding(
                    "FW-SSH-ANY",
                    Severity.WARNING,
                    subject,
                    "new SSH connections (tcp/22) are accepted from every address on every interface",
                    "accept tcp/22 only from your admin networks (-s ADMIN/NN), or only on the private interface"));
        }
    }

    /** Entry sets of the chains reachable from the builtin chains, callers before callees. */
    private static Map<String, Integer> entries(TableSemantics t, Bdd bdd, List<String> roots) {
        List<String> order = new ArrayList<>(
                ChainGraph.of(t.table()).postOrder(roots, Set.of()).chains());
        java.util.Collections.reverse(order);
        Map<String, Integer> entry = new java.util.LinkedHashMap<>();
        for (String c : order) {
            entry.put(c, roots.contains(c) ? Bdd.TRUE : Bdd.FALSE);
        }
        for (String c : order) {
            int in = entry.get(c);
            for (TableSemantics.Site s : t.sites(c)) {
                String target = s.rule().target().map(Target::name).orElse("");
                if (entry.containsKey(target) && !roots.contains(target)) {
                    entry.put(
                            target,
                            bdd.or(
                                    entry.get(target),
                                    bdd.and(in, bdd.and(s.live(), s.match().may()))));
                }
            }
        }
        return entry;
    }

    /** 0 accept, 1 drop, 2 reject; -1 for other targets. */
    private static int verdictIndex(Rule r) {
        String name = r.target().map(Target::name).orElse("");
        switch (name) {
            case "ACCEPT":
                return 0;
            case "DROP":
                return 1;
            case "REJECT":
                return r.target().get().options().isEmpty() ? 2 : -1;
            default:
                return -1;
        }
    }

    /**
     * Whether the packets of {@code in ∧ live ∧ must} (those that reach a rule and certainly match
     * it) may only get outcome {@code verdict} from the rules after; asked without building that set.
     */
    private static boolean same(Bdd bdd, int in, int live, int must, int[] after, int verdict) {
        if (bdd.intersectsBut(in, live, must, after[verdict])) {
            return false;
        }
        for (int x = 0; x < 4; x++) {
            if (x != verdict && bdd.intersects(in, live, must, after[x])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The outcomes from rule {@code s} on, given those of the rules after it: the rule's own
     * outcomes for the packets it may match, the later rules' for those it need not match. Each
     * product is taken within the rule's match set first (a small set: one rule's conditions), so
     * no step builds a product of two whole-chain sets, and a set the rule does not touch is kept
     * as it is.
     */
    private static int[] step(
            TableSemantics t, Bdd bdd, TableSemantics.Site s, int[] next, boolean builtin, String policy) {
        Rule r = s.rule();
        if (r.target().isEmpty()) {
            return next;
        }
        Target target = r.target().get();
        TableSemantics.Kind kind = t.kind(target.name());
        if (kind == TableSemantics.Kind.OBSERVE) {
            return next; // LOG, MARK, ...: the packet goes on
        }
        int must = s.match().must();
        int may = s.match().may();
        int[] own = new int[4];
        if (kind == TableSemantics.Kind.CHAIN) {
            TableSemantics.Summary c;
            try {
                c = t.summary(target.name());
            } catch (InputException e) {
                return next;
            }
            int[] callee = {c.accept(), c.drop(), c.reject(), c.returned()};
            int[] back = target.isGoto()
                    ? (builtin ? policyOutcome(policy) : new int[] {Bdd.FALSE, Bdd.FALSE, Bdd.FALSE, Bdd.TRUE})
                    : next;
            int returned = bdd.and(may, callee[3]);
            for (int x = 0; x < 4; x++) {
                // may ∧ (callee[x] ∨ (callee returns ∧ back[x])), for RETURN only the second part
                own[x] = bdd.orAnd(x == 3 ? Bdd.FALSE : bdd.and(may, callee[x]), returned, back[x]);
            }
        } else if (kind == TableSemantics.Kind.UNKNOWN) {
            own[0] = may; // QUEUE and the like: accepted or dropped outside the ruleset
            own[1] = may;
        } else if (kind == TableSemantics.Kind.RETURN && builtin) {
            int[] p = policyOutcome(policy);
            for (int x = 0; x < 4; x++) {
                own[x] = bdd.and(may, p[x]);
            }
        } else {
            own[
                    kind == TableSemantics.Kind.ACCEPT
                            ? 0
                            : kind == TableSemantics.Kind.DROP ? 1 : kind == TableSemantics.Kind.REJECT ? 2 : 3] = may;
        }
        int[] out = new int[4];
        for (int x = 0; x < 4; x++) {
            if (own[x] == must && must == may) {
                out[x] = bdd.or(own[x], next[x]); // (next − m) ∨ m = next ∨ m
            } else {
                int rest = bdd.intersects(next[x], must) ? bdd.diff(next[x], must) : next[x];
                out[x] = bdd.or(own[x], rest);
            }
        }
        return out;
    }

    private static int[] policyOutcome(String policy) {
        return policy.equals("ACCEPT")
                ? new int[] {Bdd.TRUE, Bdd.FALSE, Bdd.FALSE, Bdd.FALSE}
                : new int[] {Bdd.FALSE, Bdd.TRUE, Bdd.FALSE, Bdd.FALSE};
    }

    private static String where(String file, Rule r) {
        return r.span().map(Object::toString).orElse(file + ": chain " + r.chain());
    }
}
