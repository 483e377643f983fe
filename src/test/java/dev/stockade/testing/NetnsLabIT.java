package dev.stockade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-test of {@link NetnsLab}: real rulesets in real namespaces must let exactly the expected packets
 * through. Topology: "server" (10.250.9.1, 2001:db8:9::1) and "client" (.2 and .3 of both) on one segment;
 * the server listens on tcp 1111, 2222 and udp 3333, 4444. Each test loads its own rules (a restore
 * replaces the whole filter table) and forgets learnt neighbours first, so the tests are independent.
 */
class NetnsLabIT {

    private static final String S4 = "10.250.9.1";
    private static final String S6 = "2001:db8:9::1";
    private static final String C4 = "10.250.9.2";
    private static final String C6 = "2001:db8:9::2";
    private static final String C4_TRUSTED = "10.250.9.3";
    private static final String C6_TRUSTED = "2001:db8:9::3";

    private static final String V4_TEMPLATE = """
            *filter
            :INPUT DROP [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -i lo -j ACCEPT
            -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
            %s
            COMMIT
            """;
    private static final String V6_TEMPLATE = V4_TEMPLATE;
    private static final String NDP = """
            -A INPUT -p ipv6-icmp --icmpv6-type 135 -m hl --hl-eq 255 -j ACCEPT
            -A INPUT -p ipv6-icmp --icmpv6-type 136 -m hl --hl-eq 255 -j ACCEPT""";
    private static final String OPEN_1111_3333 = """
            -A INPUT -p tcp --dport 1111 -j ACCEPT
            -A INPUT -p udp --dport 3333 -j ACCEPT""";

    private static NetnsLab lab;
    private static Host server;
    private static Host client;
    private static List<String> rootLinksBefore;

    @BeforeAll
    static void buildTopology() {
        lab = NetnsLab.create();
        rootLinksBefore = rootNamespaceLinks();
        server = lab.host("server");
        client = lab.host("client");
        Segment lan = lab.segment("lan");
        lab.attach(server, "eth0", lan, S4 + "/24", S6 + "/64");
        lab.attach(client, "eth0", lan, C4 + "/24", C6 + "/64", C4_TRUSTED + "/24", C6_TRUSTED + "/64");
        lab.route(client, "default", "eth0");
        lab.listen(server, List.of(1111, 2222), List.of(3333, 4444));
    }

    @AfterAll
    static void closeAndCheckNothingIsLeft() {
        if (lab == null) {
            return;
        }
        List<ProcessHandle> listeners = lab.processes();
        lab.close();
        lab.close(); // idempotent
        assertEquals(List.of(), leftovers(lab.prefix()), "namespaces left behind by close()");
        assertTrue(listeners.stream().noneMatch(ProcessHandle::isAlive), "listener still alive after close()");
        assertEquals(rootLinksBefore, rootNamespaceLinks(), "the root namespace's links changed");
    }

    @Test
    void hostsAreSeparateNamespacesWithTheirOwnAddressesAndRoutes() {
        ExecResult addresses = lab.exec(client, "ip", "-o", "address", "show", "dev", "eth0");
        assertTrue(addresses.ok(), addresses::describe);
        for (String address : List.of(C4, C6, C4_TRUSTED, C6_TRUSTED)) {
            assertTrue(
                    addresses.stdout().contains(address + "/"),
                    () -> "missing " + address + ":\n" + addresses.stdout());
        }
        assertFalse(addresses.stdout().contains(S4 + "/"), "the server's address showed up in the client");
        assertTrue(lab.exec(client, "ip", "-6", "route", "show", "default")
                .stdout()
                .contains("dev eth0"));
        assertTrue(lab.exec(client, "ip", "-4", "route", "show", "default")
                .stdout()
                .contains("dev eth0"));
        assertEquals(3, lab.exec(server, "sh", "-c", "exit 3").exit());
        assertTrue(NetnsLab.systemNamespaces().containsAll(List.of(server.netns(), client.netns(), lab.switchNetns())));
    }

    @Test
    void onlyAcceptedPortsAreReachedOverBothFamilies() {
        load(
                OPEN_1111_3333 + "\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT",
                NDP + "\n" + OPEN_1111_3333 + "\n-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT");
        verify(
                reached(Probe.tcp(C4, S4, 1111)), reached(Probe.udp(C4, S4, 3333)),
                reached(Probe.tcp(C6, S6, 1111)), reached(Probe.udp(C6, S6, 3333)),
                timedOut(Probe.tcp(C4, S4, 2222)), timedOut(Probe.udp(C4, S4, 4444)),
                timedOut(Probe.tcp(C6, S6, 2222)), timedOut(Probe.udp(C6, S6, 4444)),
                reached(Probe.icmp(C4, S4)), reached(Probe.icmp(C6, S6)));
    }

    @Test
    void withoutNeighbourDiscoveryNothingV6IsReached() {
        load(OPEN_1111_3333, OPEN_1111_3333);
        verify(
                reached(Probe.tcp(C4, S4, 1111)), reached(Probe.udp(C4, S4, 3333)),
                notReached(Probe.tcp(C6, S6, 1111)), notReached(Probe.udp(C6, S6, 3333)));
    }

    @Test
    void aSourceRestrictionLetsOnlyThatSourceIn() {
        load(
                "-A INPUT -s " + C4_TRUSTED + "/32 -p tcp --dport 1111 -j ACCEPT",
                NDP + "\n-A INPUT -s " + C6_TRUSTED + "/128 -p tcp --dport 1111 -j ACCEPT");
        verify(
                reached(Probe.tcp(C4_TRUSTED, S4, 1111)), timedOut(Probe.tcp(C4, S4, 1111)),
                reached(Probe.tcp(C6_TRUSTED, S6, 1111)), timedOut(Probe.tcp(C6, S6, 1111)));
    }

    @Test
    void pingNeedsEchoRequestsAccepted() {
        load("", NDP);
        assertFalse(lab.ping(client, C4, S4), "v4 ping answered although INPUT drops ICMP");
        assertFalse(lab.ping(client, C6, S6), "v6 ping answered although INPUT drops ICMPv6 echo");
        load(
                "-A INPUT -p icmp --icmp-type echo-request -j ACCEPT",
                NDP + "\n-A INPUT -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT");
        assertTrue(lab.ping(client, C4, S4), "v4 ping not answered");
        assertTrue(lab.ping(client, C6, S6), "v6 ping not answered");
    }

    @Test
    void rejectIsReportedAsRefusedNotAsTimeout() {
        String reject = """
                -A INPUT -p tcp --dport 2222 -j REJECT --reject-with tcp-reset
                -A INPUT -p udp --dport 4444 -j REJECT""";
        load(reject, NDP + "\n" + reject);
        verify(
                refused(Probe.tcp(C4, S4, 2222)), refused(Probe.udp(C4, S4, 4444)),
                refused(Probe.tcp(C6, S6, 2222)), refused(Probe.udp(C6, S6, 4444)));
    }

    @Test
    void aRulesetTheKernelRejectsFailsWithTheToolsMessage() {
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> lab.loadRuleText(server, V4_TEMPLATE.formatted("-A INPUT -j NO_SUCH_CHAIN"), null));
        assertTrue(error.getMessage().contains("NO_SUCH_CHAIN"), error::getMessage);
        assertTrue(error.getMessage().contains("iptables-restore"), error::getMessage);
    }

    @Test
    void aProbeFromAnAddressTheHostDoesNotOwnIsAHarnessError() {
        AssertionError error = assertThrows(
                AssertionError.class, () -> lab.probe(client, List.of(Probe.tcp("10.250.9.99", S4, 1111))));
        assertTrue(error.getMessage().contains("bind-error"), error::getMessage);
    }

    @Test
    void addressesOutsideTheTestRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> lab.addAddress(client, "eth0", "192.168.1.5/24"));
        assertThrows(IllegalArgumentException.class, () -> lab.addAddress(client, "eth0", "2001:db9::5/64"));
    }

    @Test
    void shell_commandsWithQuotes_runInTheHostsNamespaceWithTheirOutputAndExitCodes() {
        try (NetnsShell shell = lab.shell(server)) {
            ExecResult quoted = shell.run("sh", "-c", "printf '%s\\n' \"$0 it's\"; echo oops >&2; exit 3", "a b");
            assertEquals(3, quoted.exit(), quoted::describe);
            assertEquals("a b it's\n", quoted.stdout(), quoted::describe);
            assertEquals("oops\n", quoted.stderr(), quoted::describe);
            ExecResult addresses = shell.run("ip", "-o", "address", "show", "dev", "eth0");
            assertTrue(addresses.ok(), addresses::describe);
            assertTrue(addresses.stdout().contains(S4 + "/"), addresses::describe);
            assertFalse(addresses.stdout().contains(C4 + "/"), addresses::describe);
        }
    }

    @Test
    void packetSession_craftedFlagsTypesAndFlows_getTheStacksAnswers() {
        load("-A INPUT -j ACCEPT", "-A INPUT -j ACCEPT");
        // the client's kernel must not reset the handshakes its raw SYNs began
        String quiet = "*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --tcp-flags RST RST -j DROP\nCOMMIT\n";
        lab.loadRuleText(client, quiet, quiet);
        try (NetnsLab.PacketSession session = lab.packetSession(client)) {
            session.send(List.of(
                    CraftedPacket.tcp(C4, S4, 41001, 1111, 100, 64, CraftedPacket.SYN),
                    CraftedPacket.tcp(C4, S4, 41002, 1111, 100, 64, 0x12), // SYN+ACK to a listener: RST
                    CraftedPacket.icmp(C4, S4, 41003, 0, 100, 64, 8, 5), // an echo request of code 5 is answered
                    CraftedPacket.tcp(C6, S6, 41004, 1111, 100, 64, CraftedPacket.SYN),
                    CraftedPacket.icmp(C6, S6, 41005, 0, 100, 1, 128, 0),
                    CraftedPacket.udp(C6, S6, 41006, 3333, 100, 2)));
            assertEquals(
                    List.of("synack", "rst", "echo", "synack", "echo", "echo"),
                    session.collect(Duration.ofSeconds(3), List.of(0, 1, 2, 3, 4, 5)));
            // the next segment of the first handshake completes it (a wrong sequence number would get a RST);
            // a bare ACK, because the listener closes at once and unread data would make its close a RST
            session.send(List.of(CraftedPacket.tcpInFlow(C4, S4, 41001, 1111, 40, 64, 0x10)));
            assertEquals(List.of("none"), session.collect(Duration.ofMillis(500), List.of()));
            assertThrows(
                    AssertionError.class,
                    () -> session.send(List.of(CraftedPacket.tcpInFlow(C4, S4, 41099, 1111, 100, 64, 0x10))),
                    "a segment of a handshake that never began");
        } finally {
            String open = "*filter\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
            lab.loadRuleText(client, open, open);
        }
    }

    @Test
    void flushConntrack_makesTheNextDatagramOfAFlowNewAgain() {
        load(OPEN_1111_3333, OPEN_1111_3333);
        String count = "*mangle\n:INPUT ACCEPT [0:0]\n"
                + "-A INPUT -p udp --dport 3333 -m conntrack --ctstate NEW\n"
                + "-A INPUT -p udp --dport 3333 -m conntrack --ctstate ESTABLISHED\nCOMMIT\n";
        lab.loadRuleText(server, count, null);
        try (NetnsLab.PacketSession session = lab.packetSession(client)) {
            for (int i = 0; i < 3; i++) {
                if (i == 2) {
                    lab.flushConntrack(server);
                }
                session.send(List.of(CraftedPacket.udp(C4, S4, 41101, 3333, 100, 64)));
                assertEquals(List.of("echo"), session.collect(Duration.ofSeconds(3), List.of(0)));
            }
            // the first datagram opens the flow, the second belongs to it, the one after the flush opens it again
            ExecResult counters = lab.exec(server, "iptables-save", "-c", "-t", "mangle");
            assertTrue(
                    counters.stdout()
                            .contains("[2:200] -A INPUT -p udp -m udp --dport 3333 -m conntrack --ctstate NEW"),
                    counters::describe);
            assertTrue(
                    counters.stdout()
                            .contains("[1:100] -A INPUT -p udp -m udp --dport 3333 -m conntrack --ctstate ESTABLISHED"),
                    counters::describe);
        } finally {
            lab.loadRuleText(server, "*mangle\n:INPUT ACCEPT [0:0]\nCOMMIT\n", null);
        }
    }

    @Test
    void renameInterfaces_swapsNamesAndKeepsAddressesWhereTheHostKeepsThem() {
        Host h = lab.host("rename");
        ExecResult keep = lab.exec(h, "sysctl", "-q", "-w", "net.ipv6.conf.all.keep_addr_on_down=1");
        assertTrue(keep.ok(), keep::describe);
        Segment lan = lab.segment("rename");
        lab.attach(h, "a0", lan);
        lab.attach(h, "b0", lan);
        lab.addAddresses(h, "a0", List.of("10.250.19.1/32", "2001:db8:19::1/128"));
        lab.addLinkLocal(h, "b0", "fe80::547");
        ExecResult linkLocal = lab.exec(h, "ip", "-o", "address", "show", "dev", "b0");
        assertTrue(linkLocal.stdout().contains("fe80::547/64"), linkLocal::describe);
        assertThrows(IllegalArgumentException.class, () -> lab.addLinkLocal(h, "b0", "2001:db8:19::2"));
        assertThrows(IllegalArgumentException.class, () -> lab.addAddresses(h, "a0", List.of("192.168.0.1/32")));
        lab.renameInterfaces(h, List.of("a0", "b0"), List.of("b0", "eth0.100"));
        ExecResult b0 = lab.exec(h, "ip", "-o", "address", "show", "dev", "b0");
        assertTrue(b0.stdout().contains("10.250.19.1/32") && b0.stdout().contains("2001:db8:19::1/128"), b0::describe);
        ExecResult up = lab.exec(h, "ip", "-o", "link", "show", "up");
        assertTrue(up.stdout().contains(": b0@") && up.stdout().contains(": eth0.100@"), up::describe);
    }

    @Test
    void aNewLabSweepsDeadOwnersNamespacesAndCloseRemovesItsOwn() throws Exception {
        String stale = NetnsLab.NAMESPACE_PREFIX + deadPid() + "-1-stale";
        runInRoot("ip", "netns", "add", stale);
        List<String> created;
        List<ProcessHandle> listeners;
        try (NetnsLab second = NetnsLab.create()) {
            assertFalse(NetnsLab.systemNamespaces().contains(stale), "stale namespace was not swept");
            assertTrue(NetnsLab.systemNamespaces().contains(server.netns()), "a live lab's namespace was swept");
            Host h = second.host("solo");
            second.listen(h, List.of(1111), List.of());
            created = second.namespaces();
            listeners = second.processes();
            assertTrue(listeners.stream().allMatch(ProcessHandle::isAlive));
        }
        List<String> present = NetnsLab.systemNamespaces();
        assertTrue(created.stream().noneMatch(present::contains), () -> "left behind: " + present);
        assertTrue(listeners.stream().noneMatch(ProcessHandle::isAlive), "listener survived close()");
    }

    // ------------------------------------------------------------------ helpers

    private record Expect(Probe probe, boolean reached, String detail) {}

    private static Expect reached(Probe probe) {
        return new Expect(probe, true, null);
    }

    private static Expect timedOut(Probe probe) {
        return new Expect(probe, false, "timeout");
    }

    private static Expect refused(Probe probe) {
        return new Expect(probe, false, "refused");
    }

    /** Not reached, whatever the reason (timeout or a neighbour-resolution error). */
    private static Expect notReached(Probe probe) {
        return new Expect(probe, false, null);
    }

    private static void load(String v4Rules, String v6Rules) {
        lab.loadRuleText(server, V4_TEMPLATE.formatted(v4Rules), V6_TEMPLATE.formatted(v6Rules));
        lab.flushNeighbours(server);
        lab.flushNeighbours(client);
    }

    /** Runs all expectations' probes in one batch and reports every mismatch at once. */
    private static void verify(Expect... expectations) {
        List<Probe> probes = Arrays.stream(expectations).map(Expect::probe).toList();
        List<ProbeResult> results = lab.probe(client, probes);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expectations.length; i++) {
            Expect expect = expectations[i];
            ProbeResult result = results.get(i);
            boolean detailOk = expect.detail() == null || expect.detail().equals(result.detail());
            if (result.reached() != expect.reached() || !detailOk) {
                mismatches.add("expected " + (expect.reached() ? "reached" : "not reached")
                        + (expect.detail() == null ? "" : " (" + expect.detail() + ")") + ", got " + result);
            }
        }
        String table = results.stream().map(ProbeResult::toString).collect(Collectors.joining("\n  "));
        assertEquals(List.of(), mismatches, "all results:\n  " + table);
    }

    private static List<String> leftovers(String prefix) {
        return NetnsLab.systemNamespaces().stream()
                .filter(ns -> ns.startsWith(prefix))
                .toList();
    }

    /** Read-only: names of the root namespace's links, to prove the lab never touched it. */
    private static List<String> rootNamespaceLinks() {
        String out = runInRoot("ip", "-o", "link", "show");
        return out.lines().map(line -> line.split(":\\s*")[1]).sorted().toList();
    }

    private static long deadPid() throws Exception {
        Process process = Commands.start(new ProcessBuilder("true").redirectOutput(ProcessBuilder.Redirect.DISCARD));
        assertTrue(Commands.waitFor(process, Duration.ofSeconds(10)));
        long pid = process.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    /** Runs a read-only or namespace-registry command in the root namespace, bounded by 10 s. */
    private static String runInRoot(String... argv) {
        ExecResult result = Commands.run(List.of(argv), Duration.ofSeconds(10), null);
        assertTrue(result.ok(), () -> String.join(" ", argv) + ": " + result.describe());
        return result.stdout();
    }
}
