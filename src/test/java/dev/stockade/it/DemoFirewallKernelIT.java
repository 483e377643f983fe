package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proof in the kernel: builds {@code examples/demo.yaml}, loads every node's generated IPv4 and
 * IPv6 rules into its own network namespace (interfaces named as the spec says, eth0 public and
 * eth1 private), listens on the opened ports and on ports that must stay closed, and connects from
 * "internet", "admin", "partner", a non-member on the private network and the other nodes.
 *
 * <p>The expected exposure below is written out by hand from the demo spec, not derived from the
 * compiler, so a compiler bug cannot hide itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoFirewallKernelIT {

    static final int[] TCP = {22, 443, 2379, 2380, 3000, 3001, 3002, 5432, 8080, 9100};
    static final int[] UDP = {53, 514};

    Path tmp;
    NetnsLab lab;
    final Map<String, Host> nodes = new LinkedHashMap<>();
    Host internet;
    Host admin;
    Host partner;
    Host rogue;

    @BeforeAll
    void setUp() throws Exception {
        tmp = Files.createTempDirectory("stockade-kernel-it");
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "build",
                    spec().toString(),
                    "-o",
                    tmp.toString(),
                    "--pki",
                    tmp.resolve("pki").toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());

        lab = NetnsLab.create();
        Segment pub = lab.segment("pub");
        Segment priv = lab.segment("priv");
        for (int i = 1; i <= 3; i++) {
            Host n = lab.host("core" + i);
            lab.attach(n, "eth0", pub, "198.51.100.1" + i + "/24", "2001:db8:1::1" + i + "/64");
            lab.attach(n, "eth1", priv, "10.250.0.1" + i + "/24");
            lab.route(n, "default", "eth0");
            nodes.put("core-" + i, n);
        }
        internet = lab.host("inet");
        lab.attach(internet, "eth0", pub, "198.51.100.99/24", "2001:db8:1::99/64");
        admin = lab.host("admin");
        lab.attach(admin, "eth0", pub, "203.0.113.5/24", "2001:db8:ad::5/64");
        lab.route(admin, "default", "eth0");
        partner = lab.host("partner");
        lab.attach(partner, "eth0", pub, "192.0.2.5/24");
        lab.routeV4(partner, "default", "eth0");
        rogue = lab.host("rogue");
        lab.attach(rogue, "eth1", priv, "10.250.0.99/24");

        for (Map.Entry<String, Host> e : nodes.entrySet()) {
            load(e.getValue(), tmp.resolve("demo").resolve(e.getKey()));
            lab.listen(e.getValue(), ports(TCP), ports(UDP));
        }
    }

    /** The spec built: the demo as it is. */
    Path spec() throws java.io.IOException {
        return Path.of("examples/demo.yaml");
    }

    /** Loads the firewall built for a node (its directory in the output) into its namespace. */
    void load(Host node, Path dir) {
        lab.loadRules(node, dir.resolve("iptables.rules"), dir.resolve("ip6tables.rules"));
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // best effort: a temp directory
        }
    }

    @Test
    void internet_reachesOnlyHttps_v4AndV6() {
        for (int i = 1; i <= 3; i++) {
            expect(internet, "198.51.100.99", "198.51.100.1" + i, "tcp/443");
            expect(internet, "2001:db8:1::99", "2001:db8:1::1" + i, "tcp/443");
        }
    }

    @Test
    void admin_reachesSshAndHttps_v4AndV6() {
        for (int i = 1; i <= 3; i++) {
            expect(admin, "203.0.113.5", "198.51.100.1" + i, "tcp/22", "tcp/443");
            expect(admin, "2001:db8:ad::5", "2001:db8:1::1" + i, "tcp/22", "tcp/443");
        }
    }

    @Test
    void partner_reachesCallbacksAndHttps() {
        for (int i = 1; i <= 3; i++) {
            expect(partner, "192.0.2.5", "198.51.100.1" + i, "tcp/443", "tcp/3000", "tcp/3001");
        }
    }

    @Test
    void peers_reachEtcdAndMetricsOnPrivate_syslogOnlyOnCore1() {
        expect(
                nodes.get("core-2"),
                "10.250.0.12",
                "10.250.0.11",
                "tcp/443",
                "tcp/2379",
                "tcp/2380",
                "tcp/9100",
                "udp/514");
        expect(
                nodes.get("core-3"),
                "10.250.0.13",
                "10.250.0.11",
                "tcp/443",
                "tcp/2379",
                "tcp/2380",
                "tcp/9100",
                "udp/514");
        expect(nodes.get("core-1"), "10.250.0.11", "10.250.0.12", "tcp/443", "tcp/2379", "tcp/2380", "tcp/9100");
        expect(nodes.get("core-1"), "10.250.0.11", "10.250.0.13", "tcp/443", "tcp/2379", "tcp/2380", "tcp/9100");
        expect(nodes.get("core-2"), "10.250.0.12", "10.250.0.13", "tcp/443", "tcp/2379", "tcp/2380", "tcp/9100");
    }

    @Test
    void peersOnPublicInterface_getEtcdClientButNeverPeerPort() {
        // 'cluster' includes the nodes' public addresses, but etcd peers are bound to the private interface
        expect(nodes.get("core-2"), "198.51.100.12", "198.51.100.11", "tcp/443", "tcp/2379", "udp/514");
        expect(nodes.get("core-1"), "198.51.100.11", "198.51.100.13", "tcp/443", "tcp/2379");
        expect(nodes.get("core-2"), "2001:db8:1::12", "2001:db8:1::11", "tcp/443", "udp/514");
        expect(nodes.get("core-3"), "2001:db8:1::13", "2001:db8:1::12", "tcp/443");
    }

    @Test
    void nonMemberOnPrivateNetwork_getsMetricsAndHttpsButNoEtcd() {
        for (int i = 1; i <= 3; i++) {
            expect(rogue, "10.250.0.99", "10.250.0.1" + i, "tcp/443", "tcp/9100");
        }
    }

    @Test
    void pingAndNeighbourDiscovery_workOnBothFamilies() {
        for (int i = 1; i <= 3; i++) {
            assertTrue(lab.ping(internet, "198.51.100.99", "198.51.100.1" + i), "IPv4 ping core-" + i);
            assertTrue(lab.ping(internet, "2001:db8:1::99", "2001:db8:1::1" + i), "IPv6 ping (needs NDP) core-" + i);
            assertTrue(lab.ping(admin, "2001:db8:ad::5", "2001:db8:1::1" + i), "IPv6 ping via on-link route core-" + i);
        }
    }

    /** Probes every listening port from {@code src} and asserts exactly {@code open} were reached. */
    private void expect(Host from, String src, String dst, String... open) {
        List<Probe> probes = new ArrayList<>();
        for (int p : TCP) {
            probes.add(Probe.tcp(src, dst, p));
        }
        for (int p : UDP) {
            probes.add(Probe.udp(src, dst, p));
        }
        Set<String> reached = new TreeSet<>();
        for (ProbeResult r : lab.probe(from, probes)) {
            if (r.reached()) {
                reached.add(r.probe().proto() + "/" + r.probe().port());
            }
            assertEquals(r.reached(), queryAccepts(r.probe()), "fw query disagrees with the kernel on " + r);
        }
        assertEquals(new TreeSet<>(List.of(open)), reached, src + " -> " + dst);
    }

    /** What 'stockade fw query' says about the probe's first packet on the node's generated rules. */
    private boolean queryAccepts(Probe probe) {
        String node = "core-" + probe.dst().charAt(probe.dst().length() - 1);
        boolean v6 = probe.dst().contains(":");
        String iface = probe.dst().startsWith("10.250.0.") ? "eth1" : "eth0";
        try {
            dev.stockade.iptables.Table filter = filter(tmp.resolve("demo").resolve(node), v6);
            int proto = probe.proto().equals("tcp") ? 6 : 17;
            dev.stockade.analysis.Packet packet = dev.stockade.analysis.Packet.of(
                            dev.stockade.net.Prefix.parse(probe.src()),
                            dev.stockade.net.Prefix.parse(probe.dst()),
                            proto)
                    .withPorts(40000, probe.port())
                    .withInterfaces(java.util.Optional.of(iface), java.util.Optional.empty());
            dev.stockade.analysis.FilterAnalysis analysis = dev.stockade.analysis.FilterAnalysis.of(
                    v6 ? dev.stockade.net.IpFamily.V6 : dev.stockade.net.IpFamily.V4, filter);
            dev.stockade.analysis.PacketQuery.Result r =
                    dev.stockade.analysis.PacketQuery.query(analysis, "INPUT", packet, true);
            return r.verdict() == dev.stockade.analysis.Verdict.ACCEPT;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The filter table the analysis reads from the node's generated rules (its output directory). */
    dev.stockade.iptables.Table filter(Path dir, boolean v6) throws Exception {
        Path rules = dir.resolve(v6 ? "ip6tables.rules" : "iptables.rules");
        return dev.stockade.iptables.IptablesSaveParser.parse(rules.toString(), Files.readString(rules), null)
                .ruleset()
                .table("filter")
                .orElseThrow();
    }

    private static List<Integer> ports(int[] ports) {
        List<Integer> l = new ArrayList<>();
        for (int p : ports) {
            l.add(p);
        }
        return l;
    }
}
