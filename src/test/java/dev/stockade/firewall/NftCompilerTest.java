package dev.stockade.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.nftables.NftChain;
import dev.stockade.nftables.NftRule;
import dev.stockade.nftables.NftSet;
import dev.stockade.nftables.NftTable;
import dev.stockade.nftables.NftWriter;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftCompilerTest {

    static NftTable table(String specText, String node) throws Exception {
        ClusterSpec spec = SpecLoader.parse("t.yaml", specText).spec();
        return NftCompiler.compile(FirewallCompiler.compile(
                spec,
                spec.nodes().stream()
                        .filter(n -> n.name().equals(node))
                        .findFirst()
                        .orElseThrow()));
    }

    static List<String> rules(NftTable t, String chain) {
        return t.chain(chain).orElseThrow().rules().stream().map(NftRule::text).toList();
    }

    @Test
    void compile_basePolicy_asTheIptablesOutput() throws Exception {
        NftTable t = table(FirewallCompilerTest.SPEC, "a");
        assertEquals("inet", t.family());
        assertEquals("stockade", t.name());
        NftChain input = t.chain("input").orElseThrow();
        assertEquals(
                new NftChain.Hook("filter", "input", 0, "drop"), input.hook().orElseThrow());
        assertEquals(
                new NftChain.Hook("filter", "forward", 0, "drop"),
                t.chain("forward").orElseThrow().hook().orElseThrow());
        assertEquals(List.of(), rules(t, "forward"));
        assertEquals(2, t.chains().size(), "no output chain: output stays open");
        assertEquals(
                List.of(
                        "iif \"lo\" accept comment \"base: loopback\"",
                        "ct state { established, related } accept comment \"base: replies\"",
                        "ct state invalid drop comment \"base: invalid\"",
                        "icmp type { echo-reply, destination-unreachable, time-exceeded, parameter-problem } accept"
                                + " comment \"icmp: essential\"",
                        "icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept"
                                + " comment \"icmp: essential\"",
                        "icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert }"
                                + " ip6 hoplimit 255 accept comment \"ndp\"",
                        "ip6 saddr fe80::/10 icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done,"
                                + " mld2-listener-report } accept comment \"mld\"",
                        "ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept comment \"base: dhcpv6-client\""),
                rules(t, "input").subList(0, 8));
    }

    @Test
    void compile_openings_oneRulePerFamily_setsForLongLists_oneRuleWhenOpenToAll() throws Exception {
        NftTable t = table(FirewallCompilerTest.SPEC, "a");
        // office (203.0.113.0/24 and its /25 aggregate to one prefix) is inline; the cluster's three
        // addresses are a set; 443 and the 16 ports are open to everyone in both families
        assertEquals(
                List.of(
                        "ip saddr 203.0.113.0/24 tcp dport 22 accept comment \"admin.ssh\"",
                        "ip6 saddr 2001:db8:ad::/48 tcp dport 22 accept comment \"admin.ssh\"",
                        "iifname \"eth1\" ip saddr 10.250.0.2 tcp dport 2380 accept comment \"etcd.peers\"",
                        "ip saddr @cluster_v4 tcp dport 2379 accept comment \"etcd.clients\"",
                        "tcp dport 443 accept comment \"services.web\"",
                        "tcp dport { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31 } accept"
                                + " comment \"services.many\""),
                rules(t, "input").subList(8, rules(t, "input").size()));
        NftSet cluster = t.set("cluster_v4").orElseThrow();
        assertEquals("ipv4_addr", cluster.type());
        assertTrue(cluster.isInterval());
        assertEquals(
                List.of("10.250.0.1", "10.250.0.2", "198.51.100.1"),
                cluster.elements().stream().map(e -> e.text()).toList());
        assertEquals(1, t.sets().size());
    }

    @Test
    void compile_oneFamilyOpenToAll_saysWhichFamily_pingPerFamily_setsSharedAndNamed() throws Exception {
        String spec = String.join(
                "\n",
                "stockade: 1",
                "cluster: t",
                "target: fcos",
                "firewall: nftables",
                "interfaces: {public: \"en+\"}",
                "nodes:",
                "  - {name: a, private: 10.250.0.1, public: [\"2001:db8::1\"]}",
                "  - {name: b, private: 10.250.0.3, public: [\"2001:db8::3\"]}",
                "sources:",
                "  v4-all: [0.0.0.0/0, \"2001:db8:ad::/48\"]",
                "  two: [192.0.2.1, 198.51.100.7]",
                "services:",
                "  - {name: mixed, port: 8080, from: [v4-all], on: public}",
                "  - {name: one, port: 1, from: [two]}",
                "  - {name: other, port: 2, from: [192.0.2.1, 198.51.100.7]}",
                "  - {name: peers, port: 3, from: [cluster]}",
                "icmp: {ping: [any]}",
                "");
        NftTable t = table(spec, "a");
        List<String> r = rules(t, "input");
        assertEquals(
                List.of(
                        "icmp type echo-request accept comment \"icmp.ping\"",
                        "icmpv6 type echo-request accept comment \"icmp.ping\"",
                        "iifname \"en*\" meta nfproto ipv4 tcp dport 8080 accept comment \"services.mixed\"",
                        "iifname \"en*\" ip6 saddr 2001:db8:ad::/48 tcp dport 8080 accept comment \"services.mixed\"",
                        "ip saddr @two_v4 tcp dport 1 accept comment \"services.one\"",
                        "ip saddr @two_v4 tcp dport 2 accept comment \"services.other\"",
                        "ip saddr @cluster_v4 tcp dport 3 accept comment \"services.peers\"",
                        "ip6 saddr @cluster_v6 tcp dport 3 accept comment \"services.peers\""),
                r.subList(8, r.size()));
        assertEquals(
                List.of("two_v4", "cluster_v4", "cluster_v6"),
                t.sets().stream().map(NftSet::name).toList());
        assertEquals(
                NftWriter.replacing(t, List.of()),
                NftWriter.replacing(table(spec, "a"), List.of()),
                "the same spec gives the same file");
    }

    @Test
    void compile_interfacePatternOfEveryInterface_noInterfaceMatch() throws Exception {
        String spec = FirewallCompilerTest.SPEC.replace(
                "interfaces: {public: eth0, private: eth1}", "interfaces: {public: eth0, private: \"+\"}");
        List<String> r = rules(table(spec, "a"), "input");
        assertTrue(r.contains("ip saddr 10.250.0.2 tcp dport 2380 accept comment \"etcd.peers\""), r::toString);
        assertTrue(r.stream().noneMatch(l -> l.contains("\"*\"")), r::toString);
    }

    @Test
    void nftInterface_trailingPlusIsNftsWildcard() {
        assertEquals("eth*", NftCompiler.nftInterface("eth+"));
        assertEquals("eth0", NftCompiler.nftInterface("eth0"));
    }
}
