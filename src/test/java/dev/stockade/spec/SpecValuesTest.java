package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.Prefix;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small value types of the spec model: what each answers beyond its components. */
class SpecValuesTest {

    private static final SourceSpan AT = new SourceSpan("s.yaml", 3, 5);

    private static SourceRef ref(String text) {
        return text.contains(".") || text.contains(":")
                ? new SourceRef(text, Optional.of(Prefix.parse(text)), AT)
                : new SourceRef(text, Optional.empty(), AT);
    }

    @Test
    void sourceRef_kinds_anyClusterGroupOrAddress() {
        SourceRef any = ref("any");
        SourceRef cluster = ref("cluster");
        SourceRef group = ref("office");
        SourceRef net = ref("203.0.113.0/24");
        assertTrue(any.isAny() && !any.isCluster() && !any.isGroup());
        assertTrue(cluster.isCluster() && !cluster.isAny() && !cluster.isGroup());
        assertTrue(group.isGroup() && !group.isAny() && !group.isCluster());
        assertFalse(net.isAny() || net.isCluster() || net.isGroup());
        assertEquals("203.0.113.0/24", net.toString());
        assertEquals(SourceRef.ANY, any.toString());
    }

    @Test
    void sshSpec_openOnlyWithSources_listsAreCopies() {
        List<SourceRef> from = new ArrayList<>(List.of(ref("office")));
        SshSpec open = new SshSpec(from, List.of("ssh-ed25519 AAAA k"), 22, AT);
        from.clear();
        assertTrue(open.isOpen(), "the spec keeps its own copy of 'from'");
        assertFalse(new SshSpec(List.of(), List.of(), 22, AT).isOpen());
        assertThrows(UnsupportedOperationException.class, () -> open.keys().add("x"));
    }

    @Test
    void etcdSpec_isMember_everyNodeWhenMembersEmpty() {
        EtcdSpec all = new EtcdSpec(
                List.of(ref("cluster")),
                EtcdSpec.DEFAULT_CLIENT_PORT,
                EtcdSpec.DEFAULT_PEER_PORT,
                List.of(),
                Optional.empty(),
                AT);
        EtcdSpec some = new EtcdSpec(List.of(), 2379, 2380, List.of("a", "c"), Optional.empty(), AT);
        assertTrue(all.isMember("anything"));
        assertTrue(some.isMember("a"));
        assertTrue(some.isMember("c"));
        assertFalse(some.isMember("b"));
        assertEquals(2379, EtcdSpec.DEFAULT_CLIENT_PORT);
        assertEquals(2380, EtcdSpec.DEFAULT_PEER_PORT);
    }

    @Test
    void nodeSpec_addresses_privateV4ThenV6ThenPublic() {
        NodeSpec n = new NodeSpec(
                "a",
                "a",
                Optional.of(Prefix.parse("10.250.0.1")),
                Optional.of(Prefix.parse("2001:db8::a")),
                List.of(Prefix.parse("198.51.100.1"), Prefix.parse("2001:db8:1::1")),
                AT);
        assertEquals(
                List.of("10.250.0.1", "2001:db8::a", "198.51.100.1", "2001:db8:1::1"),
                n.addresses().stream().map(Prefix::toString).toList());
        NodeSpec bare = new NodeSpec("b", "b", Optional.empty(), Optional.empty(), List.of(), AT);
        assertTrue(bare.addresses().isEmpty());
    }

    @Test
    void serviceSpec_runsOn_allNodesWhenNodesEmpty() {
        ServiceSpec everywhere = new ServiceSpec(
                "web", java.util.Set.of(), List.of(), List.of(ref("any")), List.of(), Optional.empty(), AT);
        ServiceSpec one = new ServiceSpec(
                "syslog",
                java.util.Set.of(),
                List.of(),
                List.of(ref("cluster")),
                List.of("core-1"),
                Optional.of(InterfaceRole.PRIVATE),
                AT);
        assertTrue(everywhere.runsOn("core-9"));
        assertTrue(one.runsOn("core-1"));
        assertFalse(one.runsOn("core-2"));
    }

    @Test
    void interfaces_nameByRole() {
        Interfaces both = new Interfaces(Optional.of("eth0"), Optional.of("eth1"));
        assertEquals(Optional.of("eth0"), both.name(InterfaceRole.PUBLIC));
        assertEquals(Optional.of("eth1"), both.name(InterfaceRole.PRIVATE));
        Interfaces publicOnly = new Interfaces(Optional.of("ens3"), Optional.empty());
        assertEquals(Optional.empty(), publicOnly.name(InterfaceRole.PRIVATE));
    }

    @Test
    void keywords_areTheSpellingsTheSpecUses() {
        assertEquals("public", InterfaceRole.PUBLIC.keyword());
        assertEquals("private", InterfaceRole.PRIVATE.keyword());
        assertEquals("enforcing", HardeningSpec.SelinuxMode.ENFORCING.keyword());
        assertEquals("unchanged", HardeningSpec.SelinuxMode.UNCHANGED.keyword());
        assertEquals("etcd-lock", HardeningSpec.UpdateStrategy.ETCD_LOCK.keyword());
        assertEquals("off", HardeningSpec.UpdateStrategy.OFF.keyword());
    }

    @Test
    void keywords_roundTripThroughTheLoader() throws Exception {
        ClusterSpec s = SpecLoader.parse(
                        "s.yaml",
                        SpecLoaderTest.VALID
                                + "hardening: {selinux: permissive, updates: reboot, core_groups: [docker]}\n")
                .spec();
        HardeningSpec h = s.hardening();
        assertEquals(HardeningSpec.SelinuxMode.PERMISSIVE, h.selinux());
        assertEquals("permissive", h.selinux().keyword());
        assertEquals("reboot", h.updates().keyword());
        assertEquals(List.of("docker"), h.coreGroups());
        assertThrows(UnsupportedOperationException.class, () -> h.coreGroups().add("wheel"));
    }
}
