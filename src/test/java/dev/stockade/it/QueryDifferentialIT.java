package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.analysis.Verdict;
import dev.stockade.report.InputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@code fw query} ({@link PacketQuery}, and its {@code --packets} batch mode)
 * against the Linux kernel.
 *
 * <p>Random filter rulesets ({@link RandomRuleset}: INPUT and FORWARD with nested user chains, every
 * match Stockade models) are loaded into a throw-away server namespace that sits between a client and
 * a far host ({@link DiffFamily}). Random packets ({@link RandomShots}) are sent from the client, one
 * each, never a retransmission: to the server (INPUT) or through it to the far host (FORWARD, out of
 * one of two interfaces); TCP segments with any flag combination, UDP datagrams, ICMP echo requests of
 * any code, ICMP errors, replies and other types, ICMPv6 neighbour discovery and MLD, and packets of an
 * open flow (the second segment of a TCP handshake, a second datagram or echo request: ESTABLISHED;
 * an ICMP error about a datagram: RELATED). Each goes to Stockade as a {@link Packet} with the same
 * fields; a first packet's conntrack state is left out, so Stockade derives it. For every packet the
 * kernel says three things:
 *
 * <ul>
 *   <li>the deciding rule and the rules it passed, from the per-rule packet and byte counters
 *       ({@code iptables-save -c}). Packets are sent in small batches; packet j of a batch is {@code
 *       BASE + b^j} bytes long, with {@code b} larger than the number of times any chain can be entered
 *       by one packet, so each rule's byte counter spells, in base b, exactly which packets of the batch
 *       it counted, and its packet counter checks the spelling ({@link KernelCounters});</li>
 *   <li>its conntrack state, from five rules of the mangle table (which runs before the filter table
 *       and sees the same state) that count one state each;</li>
 *   <li>what came back, which must fit the verdict: for a SYN, a datagram or an echo request SYN+ACK or
 *       echo = ACCEPT, RST or ICMP unreachable = REJECT, nothing = DROP (to a closed port the stack's
 *       own RST or port-unreachable looks like REJECT's, and the counters decide); other packets get
 *       answers of their own or none, and a dropped one never gets one.</li>
 * </ul>
 *
 * All must equal Stockade's: verdict, path and derived state of {@link PacketQuery}, the verdict of
 * the packet-set analysis, and, per ruleset and chain, every answer of {@code fw query --packets} run
 * in process on the ruleset as {@code iptables-save} printed it ({@link QueryCli}).
 *
 * <p>Only the test's packets cross the rules: neighbours are static (no ARP or NDP), the client's
 * kernel sends with a TTL of its own ({@link #CLIENT_TTL}) that its OUTPUT chain drops (no RST to a
 * SYN+ACK it did not expect), and every builtin chain starts with a fixed rule accepting the TTL
 * ({@link #SETUP_TTL}) with which flows are opened and with which the far host's replies cross
 * FORWARD. Source ports never repeat while conntrack (with short timeouts) remembers them; a batch
 * whose counters do not add up is sent again one by one.
 *
 * <p>Bounded for CI: {@code -Dstockade.diff.rulesets=N} (default 200) rulesets of {@code
 * -Dstockade.diff.packets=N} (default 50) packets per family, from {@code -Dstockade.diff.seed=S};
 * {@code -Dstockade.diff.first=K} starts at ruleset K, so a failure reported for seed S, ruleset K is
 * reproduced by {@code -Dstockade.diff.seed=S -Dstockade.diff.first=K -Dstockade.diff.rulesets=1}.
 * {@code bench/diff-kernel.sh N} runs larger campaigns. Features on which Stockade is known to
 * disagree with the kernel are only generated when named in {@code -Dstockade.diff.knownBugs}
 * ({@link #knownBugs}).
 */
class QueryDifferentialIT {

    /** Length of packet j of a batch: BASE + digit^j bytes, at most BASE + MAX_EXTRA (below the MTU). */
    static final int BASE = 100;

    static final int MAX_EXTRA = 1024;
    static final Duration REPLY_WAIT = Duration.ofSeconds(2);
    static final int RETRIES = 3;
    /** TTL of the packets that open flows and of the far host's replies in FORWARD: the fixed first rules accept it. */
    static final int SETUP_TTL = 9;
    /** TTL the client's kernel sends with (RSTs, port unreachables); its OUTPUT chain drops them. */
    static final int CLIENT_TTL = 5;
    /** The builtin chains packets are sent through. */
    static final Set<String> ROOTS = Set.of("INPUT", "FORWARD");
    /** Fixed rules at the top of each builtin chain, which take no test packet. */
    static final int PRELUDE = 1;

    /** Once wrong in Stockade, fixed; generated unless left out. */
    static final Set<String> FIXED_BUGS =
            Set.of("numeric-proto", "icmp-code", "icmpv6-names", "input-oface", "tcp-flags-all", "bang-after-syn");
    /** Wrong in Stockade now; generated only when named, so that CI stays green until they are fixed. */
    static final Set<String> OPEN_BUGS = Set.of();

    @Test
    void randomRulesets_queryAgreesWithKernel_ipv4() throws Exception {
        new DiffCampaign(DiffFamily.V4).run();
    }

    @Test
    void randomRulesets_queryAgreesWithKernel_ipv6() throws Exception {
        new DiffCampaign(DiffFamily.V6).run();
    }

    /**
     * The features that once made or still make Stockade disagree with the kernel, to generate. By
     * default ({@code -Dstockade.diff.knownBugs=fixed}) the fixed ones: numeric-proto ({@code -p 6
     * --dport 22}: the implicit tcp/udp match after a protocol number was a parse error), icmp-code
     * ({@code --icmp-type 8/1}: the code was ignored), icmpv6-names ({@code --icmpv6-type echo-request}
     * was read as ICMP type 8), input-oface ({@code -o} in a user chain that INPUT enters: an INPUT
     * packet has no output interface, so {@code -o eth1} does not match it and {@code ! -o eth1} does;
     * fw query left it UNDETERMINED), tcp-flags-all ({@code --tcp-flags ALL ...}: iptables' ALL is
     * FIN,SYN,RST,PSH,ACK,URG, without ECE and CWR; Stockade took all eight flags), bang-after-syn
     * ({@code --syn ! -f}: the parser gave the {@code !} to the value-less {@code --syn}). {@code all}
     * adds the open ones (none now). The value is a
     * comma-separated list of these names and of {@code fixed}, {@code all} and {@code none}, e.g.
     * {@code fixed,tcp-flags-all}.
     */
    static Set<String> knownBugs() {
        String value = System.getProperty("stockade.diff.knownBugs", "fixed");
        Set<String> named = new TreeSet<>();
        for (String word : value.split(",")) {
            String name = word.strip();
            switch (name) {
                case "", "none" -> {}
                case "fixed" -> named.addAll(FIXED_BUGS);
                case "all" -> {
                    named.addAll(FIXED_BUGS);
                    named.addAll(OPEN_BUGS);
                }
                default -> {
                    assertTrue(
                            FIXED_BUGS.contains(name) || OPEN_BUGS.contains(name),
                            "unknown stockade.diff.knownBugs entry " + name + "; known: fixed " + FIXED_BUGS + ", open "
                                    + OPEN_BUGS + ", all, none");
                    named.add(name);
                }
            }
        }
        return named;
    }

    /** What the kernel did with one packet. */
    record Kernel(String verdict, String rule, List<String> trace, String state) {}

    /**
     * The one place where Stockade's answer for one packet is checked against the kernel's: the query's
     * verdict, deciding rule, path and (for a first packet) derived state, and the packet-set analysis's
     * verdict.
     *
     * @param kernel the verdict; the rule that decided, "CHAIN:INDEX" (1-based) or "CHAIN:policy"; every
     *     rule that counted the packet and takes part in a path (terminal targets, RETURN, jumps and
     *     gotos; not LOG or target-less rules), plus the policy when it applied; the conntrack state
     * @param context seed, ruleset text and what came back, for the failure message
     * @return the query's answer
     */
    static PacketQuery.Result compare(
            FilterAnalysis a, String chain, Packet p, boolean tcpLoose, Kernel kernel, Supplier<String> context) {
        PacketQuery.Result q;
        Verdict symbolic;
        try {
            q = PacketQuery.query(a, chain, p, tcpLoose);
            // the packet-set engine (fw analyze, matrix, diff, build proofs) must agree as well; its
            // verdict derives states with nf_conntrack_tcp_loose=1
            symbolic = tcpLoose || p.state().isPresent() ? a.verdict(chain, p) : q.verdict();
        } catch (InputException e) {
            throw new AssertionError("analysis refused the ruleset: " + e.getMessage(), e);
        }
        List<String> path = keys(q);
        String decided = path.isEmpty() ? "(none)" : path.get(path.size() - 1);
        Supplier<String> message = () -> "packet:   " + describe(p) + " in " + chain
                + (tcpLoose ? "" : " (nf_conntrack_tcp_loose=0)")
                + "\nkernel:   " + kernel.verdict() + " by " + kernel.rule() + ", state " + kernel.state()
                + ", rules counted " + kernel.trace()
                + "\nfw query: " + q.verdict() + " by " + decided + ", state " + q.state()
                + (q.stateDerived() ? " (derived)" : "") + ", path "
                + q.path().stream()
                        .map(s -> s.chain() + ":" + (s.index() < 0 ? "policy" : s.index()) + " " + s.action())
                        .toList()
                + q.undecided().map(d -> " (" + d + ")").orElse("")
                + "\n" + context.get() + "\n";
        if (p.state().isEmpty()) {
            assertEquals(kernel.state(), q.state().name(), () -> "conntrack states differ\n" + message.get());
        }
        assertEquals(kernel.verdict(), q.verdict().name(), () -> "verdicts differ\n" + message.get());
        assertEquals(
                kernel.verdict(),
                symbolic.name(),
                () -> "the packet-set analysis says " + symbolic + "\n" + message.get());
        assertEquals(kernel.rule(), decided, () -> "deciding rules differ\n" + message.get());
        assertEquals(sorted(kernel.trace()), sorted(path), () -> "rule paths differ\n" + message.get());
        return q;
    }

    /** The query's path as "CHAIN:INDEX" and "CHAIN:policy". */
    static List<String> keys(PacketQuery.Result q) {
        return q.path().stream()
                .map(s -> s.chain() + ":" + (s.index() < 0 ? "policy" : s.index()))
                .toList();
    }

    static String describe(Packet p) {
        String proto = p.protocol() == 6 ? "tcp" : p.protocol() == 17 ? "udp" : "icmp";
        boolean v6 = p.source().address().contains(":");
        String src = v6 ? "[" + p.source().address() + "]" : p.source().address();
        String dst =
                v6 ? "[" + p.destination().address() + "]" : p.destination().address();
        String type = p.icmpType() >= 0 ? " type " + p.icmpType() + " code " + p.icmpCode() : "";
        String flags = p.protocol() == 6 ? " flags " + Shot.flagNames(p.tcpFlags()) : "";
        return proto + " " + src + (p.sport() >= 0 ? ":" + p.sport() : "") + " -> " + dst
                + (p.dport() >= 0 ? ":" + p.dport() : "") + type + flags + " ttl " + p.ttl() + " in "
                + p.inInterface().orElse("?")
                + p.outInterface().map(o -> " out " + o).orElse("") + " "
                + p.state().map(Object::toString).orElse("(first packet)");
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy;
    }
}
