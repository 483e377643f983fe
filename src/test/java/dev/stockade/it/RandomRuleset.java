package dev.stockade.it;

import dev.stockade.net.Prefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random filter tables in the shapes real rulesets have, using only matches Stockade models: nested
 * user chains entered with -j and -g from INPUT and FORWARD, RETURN, LOG and target-less rules,
 * negated addresses (in every form iptables takes), address ranges, ports, port lists, protocols,
 * input and output interfaces, TCP flags, conntrack states (all five), ICMP and ICMPv6 types and
 * codes, TTL and hop limit, source MAC addresses.
 *
 * <p>Every builtin chain starts with the test's fixed rule (accept the TTL of set-up packets and of
 * the far host's replies, {@link QueryDifferentialIT#SETUP_TTL}). User chains are either shared
 * (reachable from INPUT and FORWARD) or FORWARD's own; only FORWARD and its own chains test the output
 * interface (INPUT packets have none, see the known bug {@code input-oface}).
 */
final class RandomRuleset {

    /** The chain being filled: may it test the output interface, which chains may it enter. */
    private record Context(String chain, int level, boolean forwardOnly, boolean outAllowed) {}

    private final Random r;
    private final DiffFamily fam;
    private final Set<String> bugs;
    private final String clientMac;
    private final StringBuilder sb = new StringBuilder();
    private int chains;
    private boolean[] forwardOnly;

    private RandomRuleset(Random r, DiffFamily fam, Set<String> bugs, String clientMac) {
        this.r = r;
        this.fam = fam;
        this.bugs = bugs;
        this.clientMac = clientMac;
    }

    /** A filter table in iptables-restore form (the MAC address of the client is one rules may name). */
    static String generate(Random r, DiffFamily fam, Set<String> bugs, String clientMac) {
        return new RandomRuleset(r, fam, bugs, clientMac).table();
    }

    private String table() {
        chains = r.nextInt(5);
        forwardOnly = new boolean[chains + 1];
        for (int c = 1; c <= chains; c++) {
            forwardOnly[c] = !bugs.contains("input-oface") && r.nextInt(3) == 0;
        }
        sb.append("*filter\n");
        sb.append(":INPUT ").append(r.nextBoolean() ? "DROP" : "ACCEPT").append(" [0:0]\n");
        sb.append(":FORWARD ").append(r.nextBoolean() ? "DROP" : "ACCEPT").append(" [0:0]\n");
        sb.append(":OUTPUT ACCEPT [0:0]\n");
        for (int c = 1; c <= chains; c++) {
            sb.append(":c").append(c).append(" - [0:0]\n");
        }
        for (String builtin : List.of("INPUT", "FORWARD")) {
            sb.append("-A ")
                    .append(builtin)
                    .append(" -m ")
                    .append(fam.ttlModule())
                    .append(" --")
                    .append(fam.ttlModule())
                    .append("-eq ")
                    .append(QueryDifferentialIT.SETUP_TTL)
                    .append(" -j ACCEPT\n");
        }
        rules(new Context("INPUT", 0, false, false), 3 + r.nextInt(8));
        rules(new Context("FORWARD", 0, true, true), 2 + r.nextInt(7));
        for (int c = 1; c <= chains; c++) {
            boolean own = forwardOnly[c];
            rules(new Context("c" + c, c, own, own || bugs.contains("input-oface")), 1 + r.nextInt(5));
        }
        return sb.append("COMMIT\n").toString();
    }

    private void rules(Context cx, int count) {
        if (cx.level() == 0 && r.nextInt(3) == 0) {
            sb.append("-A ")
                    .append(cx.chain())
                    .append(
                            r.nextBoolean()
                                    ? " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
                                    : " -m state --state ESTABLISHED,RELATED -j ACCEPT\n");
        }
        for (int i = 0; i < count; i++) {
            sb.append("-A ").append(cx.chain());
            if (r.nextInt(15) == 0) {
                sb.append(canned()).append(terminal()).append('\n');
                continue;
            }
            int bare = sb.length();
            String proto = conditions(cx, i);
            if (sb.length() == bare && r.nextInt(4) > 0) {
                // mostly no catch-all rules: they would end most rulesets after a rule or two
                sb.append(" -s ").append(prefix(fam.sourceAddresses(), false));
            }
            target(cx, "tcp".equals(proto));
            sb.append('\n');
        }
    }

    /** Appends a rule's conditions; returns its positive protocol, if any. */
    private String conditions(Context cx, int i) {
        if (r.nextInt(10) < 3) {
            boolean not = r.nextInt(4) == 0;
            sb.append(not ? " ! -s " : " -s ").append(prefix(fam.sourceAddresses(), not));
        }
        if (r.nextInt(10) < 2) {
            boolean not = r.nextInt(4) == 0;
            sb.append(not ? " ! -d " : " -d ").append(prefix(destinations(cx), not));
        }
        if (r.nextInt(12) == 0) {
            sb.append(pick(" -i eth0", " ! -i eth0", " -i eth+", " -i e+", " -i lo", " ! -i lo", " -i +", " -i eth1"));
        }
        if (cx.outAllowed() && r.nextInt(5) == 0) {
            sb.append(pick(
                    " -o eth1",
                    " ! -o eth1",
                    " -o eth2",
                    " ! -o eth2",
                    " -o eth+",
                    " -o e+",
                    " -o eth0",
                    " -o +",
                    " -o lo"));
        }
        int beforeProtocol = sb.length();
        String proto = RuleProtocols.protocol(sb, r, fam, bugs);
        if (r.nextInt(7) == 0) {
            state();
        }
        if (r.nextInt(12) == 0) {
            ttl();
        }
        if (r.nextInt(30) == 0) {
            sb.append(" -m mac")
                    .append(r.nextInt(4) == 0 ? " !" : "")
                    .append(" --mac-source ")
                    .append(r.nextInt(3) > 0 ? clientMac : "52:54:00:12:34:56");
        }
        if (r.nextInt(30) == 0) {
            iprange(cx);
        }
        if (r.nextInt(25) == 0) {
            sb.append(" -m comment --comment \"rule ").append(i + 1).append('"');
        }
        if (!fam.v6() && r.nextInt(30) == 0) {
            String fragment = r.nextBoolean() ? " -f" : " ! -f";
            // after the protocol's options "--syn ! -f" is what Stockade misreads (bang-after-syn)
            sb.insert(bugs.contains("bang-after-syn") ? sb.length() : beforeProtocol, fragment);
        }
        return proto;
    }

    /** Rules real rulesets carry, word for word. */
    private String canned() {
        List<String> rules = new ArrayList<>(List.of(
                " -p tcp ! --syn -m state --state NEW",
                " -p tcp -m tcp --tcp-flags SYN,FIN SYN,FIN",
                " -p tcp -m tcp --tcp-flags SYN,RST SYN,RST",
                " -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG FIN,PSH,URG",
                " -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE",
                " -m conntrack --ctstate INVALID",
                " -m state --state INVALID",
                " -m conntrack --ctstate UNTRACKED",
                " -p tcp -m tcp --dport 22 --syn -m conntrack --ctstate NEW"));
        if (fam.v6()) {
            rules.add(" -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m hl --hl-eq 255");
            rules.add(" -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-advertisement -m hl --hl-eq 255");
            rules.add(" -p ipv6-icmp -m icmp6 --icmpv6-type 130");
            rules.add(" -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -m conntrack --ctstate NEW");
        } else {
            rules.add(" -p icmp -m icmp --icmp-type 8 -m conntrack --ctstate NEW");
            rules.add(" -p icmp -m icmp --icmp-type destination-unreachable");
            rules.add(" -p icmp -m icmp --icmp-type time-exceeded -m state --state RELATED");
        }
        if (bugs.contains("tcp-flags-all")) {
            rules.add(" -p tcp -m tcp --tcp-flags ALL NONE");
            rules.add(" -p tcp -m tcp --tcp-flags ALL FIN,PSH,URG");
            rules.add(" -p tcp -m tcp --tcp-flags ALL SYN");
            rules.add(" -p tcp -m tcp --tcp-flags ALL ALL");
        }
        return rules.get(r.nextInt(rules.size()));
    }

    private String terminal() {
        return pick(" -j ACCEPT", " -j DROP", " -j REJECT", " -j DROP");
    }

    private List<String> destinations(Context cx) {
        List<String> far =
                fam.farAddresses().stream().map(DiffFamily.Far::address).toList();
        if (cx.forwardOnly()) {
            return far;
        }
        if (cx.chain().equals("INPUT")) {
            return fam.serverAddresses();
        }
        List<String> both = new ArrayList<>(fam.serverAddresses());
        both.addAll(far);
        return both;
    }

    private void state() {
        List<String> states = new ArrayList<>(List.of("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"));
        Collections.shuffle(states, r);
        String list = String.join(",", states.subList(0, 1 + r.nextInt(3)));
        String not = r.nextInt(4) == 0 ? " !" : "";
        sb.append(r.nextBoolean() ? " -m conntrack" + not + " --ctstate " : " -m state" + not + " --state ")
                .append(list);
    }

    /** A TTL or hop limit test around the values packets are sent with (forwarding takes one off). */
    private void ttl() {
        int[] values = {64, 64, 63, 65, 1, 2, 255, 254, 128, 100, 30, 0, 62};
        int value = r.nextInt(5) == 0 ? r.nextInt(256) : values[r.nextInt(values.length)];
        String m = fam.ttlModule();
        sb.append(" -m ").append(m);
        switch (r.nextInt(4)) {
            case 0 -> sb.append(" ! --").append(m).append("-eq ").append(value);
            case 1 -> sb.append(" --").append(m).append("-lt ").append(value);
            case 2 -> sb.append(" --").append(m).append("-gt ").append(value);
            default -> sb.append(" --").append(m).append("-eq ").append(value);
        }
    }

    private void iprange(Context cx) {
        boolean source = r.nextBoolean();
        List<String> around = source ? fam.sourceAddresses() : destinations(cx);
        String a = around.get(r.nextInt(around.size()));
        String b = around.get(r.nextInt(around.size()));
        if (Prefix.parse(a).compareTo(Prefix.parse(b)) > 0) {
            String t = a;
            a = b;
            b = t;
        }
        sb.append(" -m iprange")
                .append(r.nextInt(4) == 0 ? " !" : "")
                .append(source ? " --src-range " : " --dst-range ")
                .append(a)
                .append('-')
                .append(b);
    }

    /** A target; chains jump only to chains with a larger number (no loops) that they may enter. */
    private void target(Context cx, boolean tcp) {
        boolean builtin = cx.level() == 0;
        int pick = r.nextInt(20) - (builtin ? 1 : 0); // builtins: 25% jumps, 5% RETURN; user chains: 20%, 15%
        List<Integer> callees = new ArrayList<>();
        for (int c = cx.level() + 1; c <= chains; c++) {
            if (cx.forwardOnly() || !forwardOnly[c]) {
                callees.add(c);
            }
        }
        if (pick < 4 && !callees.isEmpty()) {
            sb.append(r.nextInt(3) == 0 ? " -g c" : " -j c").append(callees.get(r.nextInt(callees.size())));
        } else if (pick >= 4 && pick <= (builtin ? 4 : 6)) {
            sb.append(" -j RETURN");
        } else if (pick == 7) {
            sb.append(r.nextBoolean() ? " -j LOG" : " -j LOG --log-prefix \"stk " + cx.chain() + " \"");
        } else if (pick != 8) { // 8: no target, the rule only counts
            verdict(tcp);
        }
    }

    private void verdict(boolean tcp) {
        switch (r.nextInt(3)) {
            case 0 -> sb.append(" -j ACCEPT");
            case 1 -> sb.append(" -j DROP");
            default -> {
                sb.append(" -j REJECT");
                if (r.nextBoolean()) {
                    List<String> with = new ArrayList<>(
                            fam.v6()
                                    ? List.of(
                                            "icmp6-port-unreachable",
                                            "icmp6-adm-prohibited",
                                            "icmp6-no-route",
                                            "icmp6-addr-unreachable")
                                    : List.of(
                                            "icmp-port-unreachable",
                                            "icmp-host-prohibited",
                                            "icmp-net-unreachable",
                                            "icmp-host-unreachable",
                                            "icmp-admin-prohibited",
                                            "icmp-proto-unreachable"));
                    if (tcp) {
                        with.add("tcp-reset");
                        with.add("tcp-reset");
                    }
                    sb.append(" --reject-with ").append(with.get(r.nextInt(with.size())));
                }
            }
        }
    }

    /**
     * Overlapping prefixes around the lab's addresses, in every spelling iptables takes (not /0 when
     * negated: the nft backend refuses "! -s 0.0.0.0/0").
     */
    private String prefix(List<String> around, boolean negated) {
        String base = r.nextInt(6) == 0
                ? fam.sourceAddresses().get(r.nextInt(fam.sources().size()))
                : around.get(r.nextInt(around.size()));
        int[] lengths = fam.v6()
                ? new int[] {0, 16, 32, 48, 64, 64, 96, 112, 113, 120, 121, 122, 125, 127, 128, 128}
                : new int[] {0, 8, 16, 20, 23, 24, 24, 25, 25, 26, 27, 28, 30, 31, 32, 32};
        int length = lengths[r.nextInt(lengths.length)];
        int bits = fam.v6() ? 128 : 32;
        if (length == 0 && (negated || r.nextBoolean())) {
            length = bits; // /0 only now and then
        }
        String network = network(base, length, fam.v6());
        int form = r.nextInt(10);
        if (length == bits) {
            return form < 5 ? base : base + "/" + bits;
        }
        if (form == 0 && length > 0) {
            return base + "/" + length; // host bits set: iptables masks them
        }
        if (form == 1 && !fam.v6()) {
            long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return network + "/" + (mask >>> 24) + "." + ((mask >>> 16) & 255) + "." + ((mask >>> 8) & 255) + "."
                    + (mask & 255);
        }
        return network + "/" + length;
    }

    static String network(String address, int length, boolean v6) {
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return v6 ? Prefix.parse(text).address() : text; // canonical :: form
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }
}
