package dev.stockade.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.net.PortRange;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirewallCompilerTest {

    static final String SPEC = String.join(
            "\n",
            "stockade: 1",
            "cluster: t",
            "target: flatcar",
            "interfaces: {public: eth0, private: eth1}",
            "nodes:",
            "  - {name: a, private: 10.250.0.1, public: [198.51.100.1, \"2001:db8::1\"]}",
            "  - {name: b, private: 10.250.0.2}",
            "  - {name: c}",
            "sources:",
            "  office: [203.0.113.0/24, \"2001:db8:ad::/48\", 203.0.113.128/25]",
            "admin:",
            "  ssh: {from: [office], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]}",
            "etcd: {clients_from: [cluster]}",
            "services:",
            "  - {name: web, port: 443, from: any}",
            "  - {name: dns, port: 53, protocol: [tcp, udp], from: [192.0.2.0/24], nodes: [b]}",
            "  - {name: many, ports: [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31], from: any}",
            "icmp: strict",
            "");

    static String rules(String node, boolean v6) throws Exception {
        ClusterSpec spec = SpecLoader.parse("t.yaml", SPEC).spec();
        NodeFirewall fw = FirewallCompiler.compile(
                spec,
                spec.nodes().stream()
                        .filter(n -> n.name().equals(node))
                        .findFirst()
                        .orElseThrow());
        return IptablesSaveWriter.write(v6 ? fw.v6() : fw.v4(), List.of());
    }

    @Test
    void compile_defaultsDropAndEndsWithCommit() throws Exception {
        for (boolean v6 : new boolean[] {false, true}) {
            String r = rules("a", v6);
            assertTrue(r.startsWith("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"), r);
            assertTrue(r.endsWith("COMMIT\n"), r);
            assertTrue(r.contains("-A INPUT -i lo -m comment --comment \"base: loopback\" -j ACCEPT\n"));
            assertTrue(r.contains(
                    "-A INPUT -m conntrack --ctstate INVALID -m comment --comment \"base: invalid\" -j DROP\n"));
        }
    }

    @Test
    void compile_sshOnlyFromAdminSources_perFamily() throws Exception {
        String v4 = rules("a", false);
        String v6 = rules("a", true);
        assertTrue(v4.contains(
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -m comment --comment \"admin.ssh\" -j ACCEPT\n"));
        assertFalse(v4.contains("203.0.113.128/25"), "a prefix inside another is redundant");
        assertTrue(
                v6.contains(
                        "-A INPUT -s 2001:db8:ad::/48 -p tcp -m tcp --dport 22 -m comment --comment \"admin.ssh\" -j ACCEPT\n"));
        assertEquals(1, count(v4, "--dport 22 "));
    }

    @Test
    void compile_etcdPeersOnlyOtherMembersOnPrivateInterface() throws Exception {
        String v4 = rules("a", false);
        assertTrue(
                v4.contains(
                        "-A INPUT -s 10.250.0.2/32 -i eth1 -p tcp -m tcp --dport 2380 -m comment --comment \"etcd.peers\" -j ACCEPT\n"));
        assertFalse(v4.contains("-s 10.250.0.1/32 -i eth1 -p tcp -m tcp --dport 2380"), "a node is not its own peer");
        assertEquals(1, count(v4, "--dport 2380"), "c has no address yet, so only b");
        assertFalse(rules("a", true).contains("2380"), "no IPv6 etcd");
    }

    @Test
    void compile_unknownPeer_isProvisional() throws Exception {
        ClusterSpec spec = SpecLoader.parse("t.yaml", SPEC).spec();
        NodeFirewall fw = FirewallCompiler.compile(spec, spec.nodes().get(0));
        assertTrue(fw.provisional().stream().anyMatch(p -> p.contains("from c")), fw.provisional()::toString);
    }

    @Test
    void compile_serviceOnlyOnItsNodes_bothProtocols() throws Exception {
        assertFalse(rules("a", false).contains("--dport 53"));
        String b = rules("b", false);
        assertTrue(
                b.contains(
                        "-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 53 -m comment --comment \"services.dns/tcp\" -j ACCEPT\n"));
        assertTrue(
                b.contains(
                        "-A INPUT -s 192.0.2.0/24 -p udp -m udp --dport 53 -m comment --comment \"services.dns/udp\" -j ACCEPT\n"));
        assertFalse(rules("b", true).contains("--dport 53"), "no IPv6 source, so no IPv6 rule");
    }

    @Test
    void compile_anyOpensBothFamiliesWithoutSource() throws Exception {
        String expected = "-A INPUT -p tcp -m tcp --dport 443 -m comment --comment \"services.web\" -j ACCEPT\n";
        assertTrue(rules("a", false).contains(expected));
        assertTrue(rules("a", true).contains(expected));
    }

    @Test
    void compile_strictIcmp_noPingButEssentials() throws Exception {
        String v4 = rules("a", false);
        String v6 = rules("a", true);
        assertFalse(v4.contains("--icmp-type 8 "));
        assertTrue(v4.contains("--icmp-type 3 "));
        assertFalse(v6.contains("--icmpv6-type 128 "));
        for (int t : new int[] {1, 2, 3, 4}) {
            assertTrue(v6.contains("-p ipv6-icmp -m icmp6 --icmpv6-type " + t + " "), "ICMPv6 error type " + t);
        }
        for (int t : new int[] {133, 134, 135, 136}) {
            assertTrue(v6.contains("--icmpv6-type " + t + " -m hl --hl-eq 255 "), "NDP type " + t);
        }
    }

    @Test
    void compile_manyPorts_splitIntoMultiportGroupsOfFifteen() throws Exception {
        String v4 = rules("a", false);
        assertTrue(v4.contains("-m multiport --dports 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29 "), v4);
        assertTrue(v4.contains("-p tcp -m tcp --dport 31 -m comment --comment \"services.many\""), v4);
    }

    @Test
    void compile_isDeterministic() throws Exception {
        assertEquals(rules("a", false), rules("a", false));
        assertEquals(rules("a", true), rules("a", true));
    }

    @Test
    void portGroups_mergeAdjacentAndOverlapping() {
        assertEquals(
                List.of(List.of(new PortRange(80, 90), PortRange.of(443))),
                FirewallCompiler.portGroups(
                        List.of(PortRange.of(443), new PortRange(80, 85), new PortRange(86, 90), PortRange.of(82))));
    }

    @Test
    void compile_clusterOfConsecutiveAddresses_becomesTheFewestPrefixes() throws Exception {
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            nodes.append("  - {name: n")
                    .append(i)
                    .append(", private: 10.250.0.")
                    .append(i);
            nodes.append(", public: [\"2001:db8::")
                    .append(Integer.toHexString(i + 8))
                    .append("\"]}\n");
        }
        ClusterSpec spec = SpecLoader.parse(
                        "t.yaml",
                        "stockade: 1\ncluster: t\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
                                + "nodes:\n" + nodes + "etcd: {clients_from: [cluster]}\n"
                                + "services:\n  - {name: db, port: 5432, from: [cluster]}\nicmp: strict\n")
                .spec();
        NodeFirewall fw = FirewallCompiler.compile(spec, spec.nodes().get(0));
        String v4 = IptablesSaveWriter.write(fw.v4(), List.of());
        String v6 = IptablesSaveWriter.write(fw.v6(), List.of());
        assertTrue(
                v4.contains("-A INPUT -s 10.250.0.0/29 -p tcp -m tcp --dport 2379 -m comment --comment"
                        + " \"etcd.clients\" -j ACCEPT\n"),
                v4);
        assertEquals(1, count(v4, "--dport 2379 "), "one rule for the eight node addresses: " + v4);
        // the peers are the other seven: 10.250.0.1-7
        assertEquals(3, count(v4, "--dport 2380 "), v4);
        for (String peers : new String[] {"10.250.0.1/32", "10.250.0.2/31", "10.250.0.4/30"}) {
            assertTrue(v4.contains("-A INPUT -s " + peers + " -i eth1 -p tcp -m tcp --dport 2380 "), peers + ": " + v4);
        }
        assertEquals(0, count(v6, "--dport 2379 "), "etcd clients are IPv4 only");
        assertTrue(
                v6.contains("-A INPUT -s 2001:db8::8/125 -p tcp -m tcp --dport 5432 -m comment --comment"
                        + " \"services.db\" -j ACCEPT\n"),
                v6);
        assertEquals(1, count(v6, "--dport 5432 "), v6);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
