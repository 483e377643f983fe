package dev.stockade.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.SourceSpan;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SourceRef;
import dev.stockade.spec.SpecLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceResolverTest {

    /** Nodes with every mix of addresses: both families, IPv4 only, none, IPv6 only. */
    static final String SPEC = String.join(
            "\n",
            "stockade: 1",
            "cluster: r",
            "target: flatcar",
            "interfaces: {public: eth0, private: eth1}",
            "nodes:",
            "  - {name: a, private: 10.250.0.1, private_ipv6: \"2001:db8:aa::1\","
                    + " public: [198.51.100.1, \"2001:db8::1\"]}",
            "  - {name: b, private: 10.250.0.2}",
            "  - {name: c}",
            "  - {name: d, public: [\"2001:db8::4\"]}",
            "sources:",
            "  office: [203.0.113.0/24, \"2001:db8:ad::/48\", 203.0.113.128/25, 203.0.113.0/24]",
            "  partners: [192.0.2.0/24]",
            "  v6only: [\"2001:db8:ee::/48\"]",
            "admin: {ssh: {from: [office]}}",
            "");

    static ClusterSpec spec(String text) throws Exception {
        return SpecLoader.parse("r.yaml", text).spec();
    }

    static SourceResolver resolver() throws Exception {
        return new SourceResolver(spec(SPEC));
    }

    /** A {@code from:} list as the loader builds it: addresses carry their prefix, names do not. */
    static List<SourceRef> refs(String... texts) {
        return Arrays.stream(texts)
                .map(t -> new SourceRef(
                        t,
                        Character.isDigit(t.charAt(0)) || t.contains(":")
                                ? Optional.of(Prefix.parse(t))
                                : Optional.empty(),
                        new SourceSpan("r.yaml", 1, 1)))
                .toList();
    }

    static List<Prefix> prefixes(String... texts) {
        return Arrays.stream(texts).map(Prefix::parse).toList();
    }

    static List<Prefix> resolve(IpFamily family, String... refs) throws Exception {
        Sources s = resolver().resolve(refs(refs), family);
        assertEquals(family, s.family());
        assertTrue(s.prefixes().stream().allMatch(p -> p.family() == family), s::toString);
        return s.prefixes();
    }

    @Test
    void resolve_any_isTheWholeAddressSpaceOfEachFamily() throws Exception {
        Sources v4 = resolver().resolve(refs("any"), IpFamily.V4);
        Sources v6 = resolver().resolve(refs("any"), IpFamily.V6);
        assertEquals(prefixes("0.0.0.0/0"), v4.prefixes());
        assertEquals(prefixes("::/0"), v6.prefixes());
        assertTrue(v4.isAny() && v6.isAny());
        assertEquals(prefixes("0.0.0.0/0"), resolve(IpFamily.V4, "office", "any", "cluster"), "any covers the rest");
    }

    @Test
    void resolve_cluster_isEveryAddressOfEveryNodeOfTheFamily() throws Exception {
        assertEquals(
                prefixes("10.250.0.1", "10.250.0.2", "198.51.100.1"),
                resolve(IpFamily.V4, "cluster"),
                "private and public IPv4 of a and b; c and d have none");
        assertEquals(
                prefixes("2001:db8::1", "2001:db8::4", "2001:db8:aa::1"),
                resolve(IpFamily.V6, "cluster"),
                "public and private IPv6, including d's lone public address");
        assertTrue(resolve(IpFamily.V4, "cluster").stream().allMatch(Prefix::isHost), "host addresses, not networks");
    }

    @Test
    void resolve_cluster_ofNodesWithoutAddresses_isNobody() throws Exception {
        SourceResolver r = new SourceResolver(spec(SPEC.replace(
                        "  - {name: a, private: 10.250.0.1, private_ipv6: \"2001:db8:aa::1\","
                                + " public: [198.51.100.1, \"2001:db8::1\"]}\n"
                                + "  - {name: b, private: 10.250.0.2}\n",
                        "")
                .replace("  - {name: d, public: [\"2001:db8::4\"]}\n", "  - {name: d}\n")));
        assertTrue(r.resolve(refs("cluster"), IpFamily.V4).isEmpty());
        assertTrue(r.resolve(refs("cluster"), IpFamily.V6).isEmpty());
        assertEquals(List.of("c", "d"), r.unresolvedClusterMembers(refs("cluster")));
    }

    @Test
    void resolve_namedGroup_expandsToItsMembersOfTheFamily_minimal() throws Exception {
        assertEquals(prefixes("203.0.113.0/24"), resolve(IpFamily.V4, "office"), "duplicate and covered /25 dropped");
        assertEquals(prefixes("2001:db8:ad::/48"), resolve(IpFamily.V6, "office"));
        assertEquals(prefixes("192.0.2.0/24"), resolve(IpFamily.V4, "partners"));
        assertEquals(List.of(), resolve(IpFamily.V6, "partners"), "an IPv4-only group opens nothing over IPv6");
        assertEquals(List.of(), resolve(IpFamily.V4, "v6only"));
        assertEquals(prefixes("2001:db8:ee::/48"), resolve(IpFamily.V6, "v6only"));
    }

    @Test
    void resolve_literalPrefixes_goToTheirOwnFamilyOnly() throws Exception {
        assertEquals(prefixes("192.0.2.7"), resolve(IpFamily.V4, "192.0.2.7", "2001:db8:1::/48"));
        assertEquals(prefixes("2001:db8:1::/48"), resolve(IpFamily.V6, "192.0.2.7", "2001:db8:1::/48"));
        assertEquals(prefixes("198.51.100.0/24"), resolve(IpFamily.V4, "198.51.100.0/24"));
    }

    @Test
    void resolve_mixedList_isOneMinimalSortedList() throws Exception {
        assertEquals(
                prefixes("10.250.0.0/24", "192.0.2.0/24", "198.51.100.1", "203.0.113.0/24"),
                resolve(IpFamily.V4, "office", "cluster", "10.250.0.0/24", "partners", "192.0.2.9"),
                "the cluster's private addresses fall inside 10.250.0.0/24, 192.0.2.9 inside partners");
        assertEquals(
                prefixes("2001:db8::/32"),
                resolve(IpFamily.V6, "cluster", "office", "v6only", "2001:db8::/32"),
                "everything is inside 2001:db8::/32");
    }

    @Test
    void resolve_emptyList_isNobody() throws Exception {
        Sources s = resolver().resolve(List.of(), IpFamily.V4);
        assertTrue(s.isEmpty());
        assertFalse(s.isAny());
    }

    @Test
    void unresolvedClusterMembers_namesNodesWithoutAnyAddress_onlyWhenClusterIsUsed() throws Exception {
        SourceResolver r = resolver();
        assertEquals(List.of("c"), r.unresolvedClusterMembers(refs("cluster")), "d has an IPv6 address");
        assertEquals(List.of("c"), r.unresolvedClusterMembers(refs("office", "cluster", "192.0.2.1")));
        assertEquals(List.of(), r.unresolvedClusterMembers(refs("office", "any", "192.0.2.1")));
        assertEquals(List.of(), r.unresolvedClusterMembers(List.of()));
        SourceResolver known = new SourceResolver(spec(SPEC.replace("{name: c}", "{name: c, public: [203.0.113.9]}")));
        assertEquals(List.of(), known.unresolvedClusterMembers(refs("cluster")));
        assertTrue(
                known.resolve(refs("cluster"), IpFamily.V4).prefixes().contains(Prefix.parse("203.0.113.9")),
                "a node's address joins 'cluster' once known");
    }
}
