package dev.stockade.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.spec.SpecLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecIntentTest {

    static final String SPEC = String.join(
            "\n",
            "stockade: 1",
            "cluster: t",
            "target: flatcar",
            "interfaces: {public: eth0, private: eth1}",
            "nodes:",
            "  - {name: a, private: 10.250.0.1, public: [198.51.100.1, \"2001:db8::1\"]}",
            "  - {name: b, private: 10.250.0.2, private_ipv6: \"2001:db8:b::2\"}",
            "  - {name: c, private: 10.250.0.3}",
            "  - {name: d}",
            "sources:",
            "  office: [203.0.113.0/24, \"2001:db8:ad::/48\"]",
            "admin:",
            "  ssh: {from: [office], port: 2222, keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]}",
            "icmp: {ping: [192.0.2.0/24]}",
            "etcd: {members: [a, b, d], client_port: 4001, peer_port: 7001, clients_from: [cluster, office]}",
            "services:",
            "  - {name: web, ports: [443, 8000-8010], from: any, on: public}",
            "  - {name: dns, port: 53, protocol: [tcp, udp], from: [cluster], nodes: [c]}",
            "");

    static final SpecIntent intent = load(SPEC);

    static SpecIntent load(String text) {
        try {
            return SpecIntent.of(SpecLoader.parse("t.yaml", text).spec());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Prefix ip(String address) {
        return Prefix.parse(address);
    }

    static Optional<String> tcp(String node, String source, int port, String iface) {
        return intent.admits(node, Connection.tcp(ip(source), port, iface));
    }

    @Test
    void loopback_admitsEverything() {
        assertEquals(Optional.of("loopback"), tcp("a", "10.9.9.9", 1, "lo"));
        assertEquals(Optional.of("loopback"), intent.admits("c", Connection.ping(ip("::1"), "lo")));
    }

    @Test
    void ping_onlyFromItsSources_andOnlyInTheirFamily() {
        assertEquals(Optional.of("icmp.ping"), intent.admits("a", Connection.ping(ip("192.0.2.7"), "eth0")));
        assertEquals(Optional.empty(), intent.admits("a", Connection.ping(ip("192.0.3.7"), "eth0")));
        assertEquals(Optional.empty(), intent.admits("a", Connection.ping(ip("2001:db8::7"), "eth0")));
    }

    @Test
    void ping_standardIsFromAnywhere_strictFromNobody() {
        SpecIntent standard = load(SPEC.replace("icmp: {ping: [192.0.2.0/24]}", "icmp: standard"));
        SpecIntent strict = load(SPEC.replace("icmp: {ping: [192.0.2.0/24]}", "icmp: strict"));
        Connection v6 = Connection.ping(ip("2001:db8:ff::1"), "eth1");
        assertEquals(Optional.of("icmp.ping"), standard.admits("d", v6));
        assertEquals(Optional.empty(), strict.admits("d", v6));
    }

    @Test
    void ssh_onItsPortFromAGroup_inBothFamilies() {
        assertEquals(Optional.of("admin.ssh"), tcp("d", "203.0.113.9", 2222, "eth0"));
        assertEquals(Optional.of("admin.ssh"), tcp("d", "2001:db8:ad::9", 2222, "eth1"));
        assertEquals(Optional.empty(), tcp("d", "203.0.113.9", 22, "eth0"));
        assertEquals(Optional.empty(), tcp("d", "198.51.100.9", 2222, "eth0"));
    }

    @Test
    void ssh_closedWithoutSources() {
        SpecIntent closed = load(SPEC.replace("from: [office], port: 2222", "from: [], port: 2222"));
        assertEquals(Optional.empty(), closed.admits("a", Connection.tcp(ip("203.0.113.9"), 2222, "eth0")));
        assertTrue(closed.allowances("a", IpFamily.V4).stream()
                .noneMatch(x -> x.entry().equals("admin.ssh")));
    }

    @Test
    void etcdPeers_onMembersOnly_fromOtherMembersPrivateV4_onThePrivateInterface() {
        assertEquals(Optional.of("etcd.peers"), tcp("a", "10.250.0.2", 7001, "eth1"));
        assertEquals(Optional.empty(), tcp("a", "10.250.0.2", 7001, "eth0"), "wrong interface");
        assertEquals(Optional.empty(), tcp("a", "10.250.0.3", 7001, "eth1"), "c is not a member");
        assertEquals(Optional.empty(), tcp("a", "10.250.0.1", 7001, "eth1"), "itself");
        assertEquals(Optional.empty(), tcp("a", "2001:db8:b::2", 7001, "eth1"), "IPv4 only");
        assertEquals(Optional.empty(), tcp("c", "10.250.0.2", 7001, "eth1"), "c runs no member");
        assertEquals(Optional.empty(), tcp("a", "10.250.0.2", 2380, "eth1"), "the default port is not used");
    }

    @Test
    void etcdClients_ipv4EntriesOfClientsFrom_onAnyInterface() {
        assertEquals(Optional.of("etcd.clients"), tcp("b", "198.51.100.1", 4001, "eth0"), "cluster: a's public");
        assertEquals(Optional.of("etcd.clients"), tcp("b", "10.250.0.3", 4001, "eth1"), "cluster: c");
        assertEquals(Optional.of("etcd.clients"), tcp("b", "203.0.113.1", 4001, "eth0"), "office");
        assertEquals(Optional.empty(), tcp("b", "2001:db8::1", 4001, "eth0"), "IPv6 is not opened for etcd");
        assertEquals(Optional.empty(), tcp("c", "10.250.0.1", 4001, "eth1"), "not a member");
    }

    @Test
    void services_portsAndRanges_onTheirRoleAndNodes() {
        assertEquals(Optional.of("services.web"), tcp("a", "192.0.2.1", 8005, "eth0"));
        assertEquals(Optional.of("services.web"), tcp("a", "2001:db8:ff::1", 443, "eth0"));
        assertEquals(Optional.empty(), tcp("a", "192.0.2.1", 443, "eth1"), "public only");
        assertEquals(Optional.empty(), tcp("a", "192.0.2.1", 8011, "eth0"));
        assertEquals(
                Optional.of("services.dns"), intent.admits("c", Connection.udp(ip("2001:db8:b::2"), 5353, 53, "eth1")));
        assertEquals(Optional.empty(), intent.admits("a", Connection.udp(ip("10.250.0.2"), 5353, 53, "eth1")));
        assertEquals(Optional.empty(), intent.admits("c", Connection.udp(ip("192.0.2.1"), 5353, 53, "eth1")));
    }

    @Test
    void dhcpv6Client_onlyFromLinkLocalServerPort() {
        assertEquals(Optional.of("dhcpv6-client"), intent.admits("d", Connection.udp(ip("fe80::1"), 547, 546, "eth0")));
        assertEquals(Optional.empty(), intent.admits("d", Connection.udp(ip("fe80::1"), 548, 546, "eth0")));
        assertEquals(Optional.empty(), intent.admits("d", Connection.udp(ip("2001:db8::9"), 547, 546, "eth0")));
    }

    @Test
    void interfaceWildcard_matchesByPrefix() {
        assertTrue(Allowance.interfaceMatches("eth+", "eth12"));
        assertTrue(!Allowance.interfaceMatches("eth+", "ens3"));
        assertTrue(!Allowance.interfaceMatches("eth1", "eth12"));
    }

    @Test
    void unknownNode_isAnError() {
        assertThrows(IllegalArgumentException.class, () -> intent.allowances("zz", IpFamily.V4));
    }

    @Test
    void connection_sourceMustBeOneAddressOfItsFamily() {
        assertThrows(IllegalArgumentException.class, () -> Connection.tcp(ip("10.0.0.0/8"), 1, "eth0"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Connection(IpFamily.V6, Connection.Kind.TCP, 1, 1, "eth0", ip("10.0.0.1")));
    }
}
