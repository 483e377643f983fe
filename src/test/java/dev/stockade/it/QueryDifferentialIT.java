package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.Prefix;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@code fw query} against the Linux kernel: random rulesets (nested user
 * chains, RETURN, gotos, negation, overlapping prefixes, port ranges, multiport, conntrack) are loaded
 * into a throw-away namespace, real TCP connections are made from several source addresses, and
 * the kernel's verdict for the first packet (TCP connected or UDP echo = ACCEPT, refused = REJECT,
 * timeout = DROP)
 * must equal the query's. The sample is bounded for CI; {@code -Dstockade.diff.rulesets=N} runs more.
 */
class QueryDifferentialIT {

    static final int[] PORTS = {22, 80, 443, 1000, 5000};

    /** Addresses and prefixes per family; the generator draws sources and rule prefixes from these. */
    record Family(boolean v6, String server, String[] sources, String[] prefixes, String localRoute) {
    }

    static final Family V4 = new Family(false, "10.250.1.1", new String[] {"10.250.1.2", "10.250.1.77", "10.250.1.130", "10.250.2.9"},
            new String[] {"10.250.1.0/24", "10.250.1.0/25", "10.250.1.128/25", "10.250.1.77/32", "10.250.0.0/16", "10.250.2.0/24",
                "10.250.1.64/26"}, "10.250.2.0/24");
    static final Family V6 = new Family(true, "2001:db8:1::1", new String[] {"2001:db8:1::2", "2001:db8:1::77", "2001:db8:1::8000",
        "2001:db8:2::9"}, new String[] {"2001:db8:1::/64", "2001:db8:1::/113", "2001:db8:1::8000/113", "2001:db8:1::77/128",
            "2001:db8::/32", "2001:db8:2::/64", "2001:db8:1::40/122"}, "2001:db8:2::/64");

    @Test
    void randomRulesets_queryAgreesWithKernel_ipv4() throws Exception {
        run(V4);
    }

    @Test
    void randomRulesets_queryAgreesWithKernel_ipv6() throws Exception {
        run(V6);
    }

    private void run(Family fam) throws Exception {
        String[] SOURCES = fam.sources();
        String SERVER = fam.server();
        int rulesets = Integer.getInteger("stockade.diff.rulesets", 12);
        long seed = Long.getLong("stockade.diff.seed", 20261122L);
        Random random = new Random(seed);
        try (NetnsLab lab = NetnsLab.create()) {
            Segment lan = lab.segment("lan");
            Host server = lab.host("srv");
            String net = fam.v6() ? "/64" : "/24";
            lab.attach(server, "eth0", lan, SERVER + net);
            Host client = lab.host("cli");
            lab.attach(client, "eth0", lan, SOURCES[0] + net);
            for (int i = 1; i < SOURCES.length - 1; i++) {
                lab.addAddress(client, "eth0", SOURCES[i] + net);
            }
            lab.addAddress(client, "eth0", SOURCES[SOURCES.length - 1] + (fam.v6() ? "/128" : "/32"));
            if (fam.v6()) {
                lab.routeV6(server, fam.localRoute(), "eth0");
            } else {
                lab.routeV4(server, fam.localRoute(), "eth0");
            }
            lab.listen(server, List.of(22, 80, 443, 1000, 5000), List.of(22, 80, 443, 1000, 5000));
            // REJECT answers with ICMP errors; without this the kernel rate-limits them and a REJECT looks like a DROP
            for (String knob : List.of("net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
                    "net.ipv4.icmp_msgs_burst=100000", "net.ipv6.icmp.ratelimit=0")) {
                assertEquals(0, lab.exec(server, "sysctl", "-q", "-w", knob).exit(), knob);
            }
            int compared = 0;
            for (int n = 0; n < rulesets; n++) {
                String rules = RandomRuleset.generate(random, fam);
                if (fam.v6()) {
                    lab.loadRuleText(server, null, rules);
                    lab.flushNeighbours(server);
                    lab.flushNeighbours(client);
                } else {
                    lab.loadRuleText(server, rules, null);
                }
                Table filter = IptablesSaveParser.parse("random-" + n, rules, null).ruleset().table("filter").orElseThrow();
                List<Probe> probes = new ArrayList<>();
                for (String src : SOURCES) {
                    for (int port : PORTS) {
                        probes.add(Probe.tcp(src, SERVER, port));
                        probes.add(Probe.udp(src, SERVER, port));
                    }
                }
                for (ProbeResult r : lab.probe(client, probes)) {
                    int proto = r.probe().proto().equals("udp") ? 17 : 6;
                    Packet p = new Packet(Prefix.parse(r.probe().src()), Prefix.parse(SERVER), proto, 40000, r.probe().port(), -1,
                            Optional.of("eth0"), Optional.empty(), "NEW");
                    PacketQuery.Result q = PacketQuery.query(filter, "INPUT", p);
                    String kernel = r.reached() ? "ACCEPT" : r.detail().equals("refused") ? "REJECT" : "DROP";
                    assertEquals(kernel, q.verdict().name(), () -> "seed " + seed + ", ruleset\n" + rules + "\nprobe " + r
                            + "\nquery path " + q.path());
                    compared++;
                }
            }
            assertTrue(compared >= rulesets * SOURCES.length * PORTS.length * 2);
        }
    }

    /** Random filter tables in the shapes real rulesets have. */
    static final class RandomRuleset {

        static String generate(Random r, Family fam) {
            int chains = 1 + r.nextInt(3);
            StringBuilder sb = new StringBuilder("*filter\n");
            sb.append(":INPUT ").append(r.nextBoolean() ? "DROP" : "ACCEPT").append(" [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n");
            for (int c = 1; c <= chains; c++) {
                sb.append(":c").append(c).append(" - [0:0]\n");
            }
            sb.append("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            if (fam.v6()) {
                // neighbour discovery, or nothing IPv6 gets through at all
                sb.append("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT\n");
                sb.append("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 136 -j ACCEPT\n");
            }
            rules(sb, r, fam, "INPUT", 0, chains, 3 + r.nextInt(5));
            for (int c = 1; c <= chains; c++) {
                rules(sb, r, fam, "c" + c, c, chains, 1 + r.nextInt(4));
            }
            return sb.append("COMMIT\n").toString();
        }

        /** Chain c{k} may only jump to chains with a larger number, so there are no loops. */
        private static void rules(StringBuilder sb, Random r, Family fam, String chain, int level, int chains, int count) {
            for (int i = 0; i < count; i++) {
                sb.append("-A ").append(chain);
                if (r.nextInt(3) == 0) {
                    sb.append(r.nextInt(4) == 0 ? " ! -s " : " -s ").append(fam.prefixes()[r.nextInt(fam.prefixes().length)]);
                }
                if (r.nextInt(2) == 0) {
                    String proto = r.nextInt(3) == 0 ? "udp" : "tcp";
                    boolean negated = r.nextInt(8) == 0;
                    sb.append(negated ? " ! -p " : " -p ").append(proto);
                    switch (negated ? 2 : r.nextInt(3)) { // ports need a positive protocol
                        case 0: sb.append(" -m ").append(proto).append(r.nextInt(4) == 0 ? " ! --dport " : " --dport ").append(ports(r)); break;
                        case 1: sb.append(" -m multiport --dports ").append(PORTS[r.nextInt(5)]).append(',').append(PORTS[r.nextInt(5)]); break;
                        default: break;
                    }
                }
                if (r.nextInt(6) == 0) {
                    sb.append(" -m conntrack --ctstate ").append(r.nextBoolean() ? "NEW" : "INVALID");
                }
                String target = target(r, chain, level, chains);
                boolean isGoto = target.startsWith("c") && r.nextInt(3) == 0;
                sb.append(isGoto ? " -g " : " -j ").append(target).append('\n');
            }
        }

        private static String target(Random r, String chain, int level, int chains) {
            int pick = r.nextInt(10);
            if (pick < 2 && level < chains) {
                return "c" + (level + 1 + r.nextInt(chains - level));
            }
            if (pick == 2 && !chain.equals("INPUT")) {
                return "RETURN";
            }
            if (pick == 3) {
                return "LOG";
            }
            return switch3(r.nextInt(3));
        }

        private static String switch3(int n) {
            return n == 0 ? "ACCEPT" : n == 1 ? "DROP" : "REJECT";
        }

        private static String ports(Random r) {
            int a = PORTS[r.nextInt(PORTS.length)];
            int b = PORTS[r.nextInt(PORTS.length)];
            return Math.min(a, b) == Math.max(a, b) ? Integer.toString(a) : Math.min(a, b) + ":" + Math.max(a, b);
        }
    }
}
