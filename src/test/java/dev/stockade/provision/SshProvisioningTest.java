package dev.stockade.provision;

import static dev.stockade.provision.Exposed.cover;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.Exposure;
import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.NodeOutput;
import dev.stockade.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSH access as each node receives it, in every document each target produces (Flatcar: Ignition
 * and cloud-config; Fedora CoreOS: Ignition; Container Linux: cloud-config): the {@code core} user's
 * keys, the port sshd listens on, sshd masked when SSH is closed, and the firewall placed by the same
 * document opening exactly that port to exactly the admin sources.
 */
class SshProvisioningTest {

    static final String K1 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcOne1 ops@example";
    /** A comment with characters each format must escape: quotes, a backslash, a hash, a non-ASCII letter. */
    static final String K2 =
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBC1k7fF2Hh+fH+kDp1YKvy4dtFJuUZ5A9Rd9NfOI5zjXu85P0xo1LozJtBIPDZciXHuG5gC4EmVH2Hqolo6I5f4= "
                    + "on-call \"pager\" C:\\keys #2 é";

    static final String K3 = "ssh-rsa "
            + "AAAAB3NzaC1yc2EAAAADAQABAAABAQDIDdL9uhtUjMaW0WGbDRrsJ3VLpPu+am+sE5nQV4ZrFVU4SaBC"
            + "bGsdzTUQlGPvrMlCFDzEJjZTsNjZrMkiU3lDSn5oPPJ8N3wyO0PSw7FWAWqSr1Lr9zuQGSlmLKVO4kC1"
            + "Gd+73lfcLFw3NkV/ol2n1XWJIONsFZN5EFhiVj/f+wQ+Cdy+PuWVIk9oWd6K7YpaNw/QtQgTAUmHdcuR"
            + "UYM9x9+QZ/mjl2cjBGVF6RmBHp8+wj0d2boEKJXv4BCCqNJ/dibVeG69nizx1lL/7c9w1OrW4MBiaR2d"
            + "iu2RmXNmbMTRnpWAJe64hKvvJuVWBghEiiPaBohjoOvLg/yCox65";

    static String spec(String target, String admin) {
        return String.join(
                "\n",
                "stockade: 1",
                "cluster: sshc",
                "target: " + target,
                "interfaces: {public: eth0, private: eth1}",
                "nodes:",
                "  - {name: n1, private: 10.250.1.1, public: [198.51.100.1, \"2001:db8:1::1\"]}",
                "  - {name: n2, private: 10.250.1.2, public: [198.51.100.2]}",
                "  - {name: n3}",
                "sources:",
                "  office: [203.0.113.0/24, \"2001:db8:ad::/48\"]",
                admin,
                "services:",
                "  - {name: https, port: 443, from: any}",
                "");
    }

    static String admin(String from, String port) {
        return "admin:\n  ssh:\n    from: " + from + "\n" + (port.isEmpty() ? "" : "    port: " + port + "\n")
                + "    keys:\n      - '" + K1 + "'\n      - '" + K2.replace("'", "''") + "'\n      - '" + K3 + "'";
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void defaultPort_everyDocumentInstallsExactlyTheKeysForCore_andOpensPort22ToAdminSources(String target)
            throws Exception {
        BuildResult r = TargetOutputs.build(spec(target, admin("[office, 192.0.2.7]", "")));
        for (NodeOutput n : r.nodes()) {
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                String where = target + " " + n.node().name() + " " + c.format();
                assertEquals(Map.of("core", List.of(K1, K2, K3)), c.authorizedKeys(), where);
                assertSshdRunning(c, where);
                assertNoPortChange(c, where);
                assertFirewall(c, n, 22, where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void customPort_sshdListensOnItInEveryDocument_andTheFirewallOpensItNot22(String target) throws Exception {
        // fcos refuses another port under SELinux enforcing (SPEC-SSH-PORT): permissive there
        String selinux = target.equals("fcos") ? "\nhardening: {selinux: permissive}" : "";
        BuildResult r = TargetOutputs.build(spec(target, admin("[office, 192.0.2.7]", "2222") + selinux));
        for (NodeOutput n : r.nodes()) {
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                String where = target + " " + n.node().name() + " " + c.format();
                assertEquals(Map.of("core", List.of(K1, K2, K3)), c.authorizedKeys(), where);
                assertSshdRunning(c, where);
                assertEquals(List.of(2222), listenPorts(target, c, where), where + ": sshd ports");
                assertFirewall(c, n, 2222, where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void closedByEmptyFrom_sshdMaskedInEveryDocument_noKeys_noPortOpen(String target) throws Exception {
        assertClosed(target, TargetOutputs.build(spec(target, admin("[]", "2222"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void closedByNoAdminSection_sshdMaskedInEveryDocument_noKeys_noPortOpen(String target) throws Exception {
        assertClosed(target, TargetOutputs.build(spec(target, "")));
    }

    private static void assertClosed(String target, BuildResult r) throws Exception {
        for (NodeOutput n : r.nodes()) {
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                String where = target + " " + n.node().name() + " " + c.format();
                for (String unit : List.of("sshd.socket", "sshd.service")) {
                    ParsedNodeConfig.UnitEntry u = c.requireUnit(unit);
                    assertTrue(u.masked(), where + ": " + unit + " masked");
                    assertFalse(u.enabled(), where + ": " + unit + " not enabled");
                    assertTrue(u.dropins().isEmpty() && u.contents().isEmpty(), where + ": " + unit + " only masked");
                    if (c.format().equals("cloud-config")) {
                        // coreos-cloudinit runs after sshd.socket is listening: masking alone would leave it up
                        assertEquals(Optional.of("stop"), u.command(), where + ": " + unit + " stopped now");
                    }
                }
                assertTrue(
                        c.authorizedKeys().values().stream().allMatch(List::isEmpty),
                        where + ": no SSH keys on a node whose SSH is closed: " + c.authorizedKeys());
                assertTrue(
                        c.files().keySet().stream().noneMatch(p -> p.startsWith("/etc/ssh/")),
                        where + ": no sshd configuration");
                for (IpFamily f : IpFamily.values()) {
                    Exposure e = Exposed.input(rulesOf(c, n, f), f);
                    for (int port : new int[] {22, 2222}) {
                        assertFalse(Exposed.tcpOpen(e, port), where + " " + f + ": port " + port + " is closed");
                    }
                    assertTrue(Exposed.tcpOpen(e, 443), where + " " + f + ": the rest of the firewall is there");
                }
            }
        }
    }

    /** sshd may run: neither sshd unit is masked. */
    private static void assertSshdRunning(ParsedNodeConfig c, String where) {
        for (String unit : List.of("sshd.socket", "sshd.service")) {
            Optional.ofNullable(c.units().get(unit))
                    .ifPresent(u -> assertFalse(u.masked(), where + ": " + unit + " is masked although SSH is open"));
        }
    }

    private static void assertNoPortChange(ParsedNodeConfig c, String where) {
        assertTrue(
                c.files().keySet().stream().noneMatch(p -> p.startsWith("/etc/ssh/")),
                where + ": sshd configuration left alone");
        Optional.ofNullable(c.units().get("sshd.socket"))
                .ifPresent(u -> assertTrue(u.dropins().isEmpty(), where + ": sshd.socket left alone"));
    }

    /**
     * The ports sshd ends up listening on. Flatcar and Container Linux start sshd from
     * {@code sshd.socket} (shipped with {@code ListenStream=22}); Fedora CoreOS runs
     * {@code sshd.service}, whose {@code sshd_config} includes {@code /etc/ssh/sshd_config.d/*.conf}.
     */
    private static List<Integer> listenPorts(String target, ParsedNodeConfig c, String where) {
        List<Integer> ports = new ArrayList<>();
        if (target.equals("fcos")) {
            assertFalse(c.units().containsKey("sshd.socket"), where + ": FCOS does not socket-activate sshd");
            List<String> values = new ArrayList<>();
            for (ParsedNodeConfig.FileEntry f : c.files().values()) {
                if (!f.path().startsWith("/etc/ssh/")) {
                    continue;
                }
                assertTrue(
                        f.path().matches("/etc/ssh/sshd_config\\.d/[^/]+\\.conf"),
                        where + ": " + f.path() + " is a drop-in sshd reads");
                assertEquals("root", f.user(), where + ": " + f.path() + " owner");
                assertEquals(0, f.mode() & 022, where + ": " + f.path() + " writable by root only");
                for (String line : f.contents().split("\n", -1)) {
                    String[] words = line.strip().split("\\s+", -1);
                    if (words.length >= 2 && words[0].toLowerCase(Locale.ROOT).equals("port")) {
                        values.add(words[1]);
                    }
                }
            }
            values.forEach(v -> ports.add(Integer.parseInt(v)));
            return ports;
        }
        assertTrue(
                c.files().keySet().stream().noneMatch(p -> p.startsWith("/etc/ssh/")),
                where + ": socket-activated sshd ignores its Port setting");
        ParsedNodeConfig.UnitEntry socket = c.requireUnit("sshd.socket");
        assertTrue(socket.contents().isEmpty(), where + ": the shipped sshd.socket is extended, not replaced");
        List<String> listen = List.of("22");
        for (String d : socket.dropins().values()) {
            listen = UnitText.parse(d).list("Socket", "ListenStream", listen);
        }
        listen.forEach(v -> ports.add(Integer.parseInt(v)));
        if (c.format().equals("cloud-config")) {
            // coreos-cloudinit writes the drop-in after sshd.socket is already listening on 22
            assertEquals(
                    Optional.of("restart"),
                    socket.command(),
                    where + ": sshd.socket must be restarted for its new port to apply on this boot");
        }
        return ports;
    }

    /**
     * The rules files the document places are the build's rules files, and by packet-set analysis they
     * accept new TCP connections to {@code port} exactly from the admin sources (office and 192.0.2.7
     * over IPv4, office over IPv6) on any interface, and to no other SSH port.
     */
    private static void assertFirewall(ParsedNodeConfig c, NodeOutput n, int port, String where) throws Exception {
        int other = port == 22 ? 2222 : 22;
        for (IpFamily f : IpFamily.values()) {
            Exposure e = Exposed.input(rulesOf(c, n, f), f);
            List<dev.stockade.net.Prefix> expected =
                    f == IpFamily.V4 ? cover("192.0.2.7", "203.0.113.0/24") : cover("2001:db8:ad::/48");
            assertEquals(expected, Exposed.tcpSources(e, port), where + " " + f + ": SSH sources");
            assertTrue(
                    Exposed.tcp(e, port).stream().allMatch(x -> x.interfaces().isEmpty()),
                    where + " " + f + ": SSH on every interface");
            assertFalse(Exposed.tcpOpen(e, other), where + " " + f + ": port " + other + " stays closed");
        }
    }

    /** The rules the document places for {@code family}; they must equal the build's own rules file. */
    static String rulesOf(ParsedNodeConfig c, NodeOutput n, IpFamily family) {
        boolean v4 = family == IpFamily.V4;
        ParsedNodeConfig.FileEntry f = c.requireFile(v4 ? NodePlanner.RULES_V4 : NodePlanner.RULES_V6);
        assertEquals(
                TargetOutputs.text(n, v4 ? ClusterBuilder.RULES_V4 : ClusterBuilder.RULES_V6),
                f.contents(),
                c.format() + ": placed rules equal the rules file");
        assertEquals("root", f.user());
        assertEquals(0, f.mode() & 022, "rules writable by root only");
        return f.contents();
    }
}
