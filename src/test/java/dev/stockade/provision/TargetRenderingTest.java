package dev.stockade.provision;

import static dev.stockade.provision.Exposed.cover;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.Exposure;
import dev.stockade.build.BuildResult;
import dev.stockade.build.NodeOutput;
import dev.stockade.net.IpFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every target's documents read back structurally (JSON / YAML, then files, units, modes, owners):
 * that each document carries the node's whole plan, what each target adds of its own (restore units,
 * SELinux policy type, update configuration, the etcd member), and that an etcd member with custom
 * ports is reachable on exactly those ports and starts with mutual TLS from the files the same
 * document writes.
 */
class TargetRenderingTest {

    static final List<String> MEMBERS = List.of("m1", "m2", "m3");
    static final Map<String, String> PRIVATE =
            Map.of("m1", "10.250.2.1", "m2", "10.250.2.2", "m3", "10.250.2.3", "w1", "10.250.2.9");
    static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTwo2 ops@example";

    /** Three etcd members on custom ports and one client node, with every hardening option. */
    static String spec(String target) {
        return String.join(
                "\n",
                "stockade: 1",
                "cluster: tr",
                "target: " + target,
                "interfaces: {public: eth0, private: eth1}",
                "nodes:",
                "  - {name: m1, hostname: m1.example.net, private: 10.250.2.1, public: [198.51.100.21, \"2001:db8:2::1\"]}",
                "  - {name: m2, private: 10.250.2.2, public: [198.51.100.22]}",
                "  - {name: m3, private: 10.250.2.3}",
                "  - {name: w1, private: 10.250.2.9}",
                "sources:",
                "  office: [203.0.113.0/24, \"2001:db8:ad::/48\"]",
                "admin: {ssh: {from: [office], keys: [\"" + KEY + "\"]}}",
                "etcd: {members: [m1, m2, m3], client_port: 12379, peer_port: 12380, clients_from: [cluster, 192.0.2.0/24]}",
                "services:",
                "  - {name: https, port: 443, from: any}",
                "hardening: {core_groups: [wheel, docker], selinux: enforcing, docker_socket: root-only," + " updates: "
                        + (target.equals("fcos") ? "reboot" : "etcd-lock") + "}",
                "");
    }

    static NodeOutput node(BuildResult r, String name) {
        return r.nodes().stream()
                .filter(n -> n.node().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    // ---------------------------------------------------------------- every target, every document

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void everyDocument_carriesTheNodesWholePlan(String target) throws Exception {
        BuildResult r = TargetOutputs.build(spec(target));
        for (NodeOutput n : r.nodes()) {
            NodePlan plan = n.plan();
            List<ParsedNodeConfig> docs = TargetOutputs.documents(target, n);
            for (ParsedNodeConfig c : docs) {
                String where = target + " " + n.node().name() + " " + c.format();
                assertEquals(Optional.of(n.node().hostname()), c.hostname(), where);
                ParsedNodeConfig.FileEntry hostname = c.requireFile("/etc/hostname");
                assertEquals(n.node().hostname() + "\n", hostname.contents());
                assertEquals(0644, hostname.mode(), where);
                assertEquals(Map.of("core", List.of(KEY)), c.authorizedKeys(), where);
                for (IpFamily f : IpFamily.values()) {
                    SshProvisioningTest.rulesOf(c, n, f);
                }

                Map<String, ParsedNodeConfig.FileEntry> expectedFiles = new LinkedHashMap<>();
                for (ProvisionedFile f : plan.files()) {
                    expectedFiles.put(
                            f.path(),
                            new ParsedNodeConfig.FileEntry(f.path(), f.mode(), f.owner(), f.owner(), f.contents()));
                }
                assertEquals(expectedFiles, c.files(), where + ": files");

                assertEquals(
                        plan.units().stream().map(Unit::name).toList(),
                        List.copyOf(c.units().keySet()),
                        where);
                for (Unit u : plan.units()) {
                    ParsedNodeConfig.UnitEntry e = c.requireUnit(u.name());
                    Map<String, String> dropins = new LinkedHashMap<>();
                    u.dropins().forEach(d -> dropins.put(d.name(), d.contents()));
                    assertEquals(u.enable(), e.enabled(), where + " " + u.name() + " enabled");
                    assertEquals(u.mask(), e.masked(), where + " " + u.name() + " masked");
                    assertEquals(u.contents(), e.contents(), where + " " + u.name() + " contents");
                    assertEquals(dropins, e.dropins(), where + " " + u.name() + " drop-ins");
                    if (c.format().equals("cloud-config")) {
                        // the command coreos-cloudinit runs right after writing the unit
                        Optional<String> expected = u.mask()
                                ? Optional.of("stop")
                                : !u.start()
                                        ? Optional.empty()
                                        : Optional.of(u.dropins().isEmpty() ? "start" : "restart");
                        assertEquals(expected, e.command(), where + " " + u.name() + " command");
                    }
                }
                for (ParsedNodeConfig.FileEntry f : c.files().values()) {
                    assertEquals(0, f.mode() & 02, where + ": " + f.path() + " is not world-writable");
                }
            }
        }
    }

    @Test
    void flatcar_ignitionAndCloudConfigDescribeTheSameNode() throws Exception {
        BuildResult r = TargetOutputs.build(spec("flatcar"));
        for (NodeOutput n : r.nodes()) {
            List<ParsedNodeConfig> docs = TargetOutputs.documents("flatcar", n);
            ParsedNodeConfig ign = docs.get(0);
            ParsedNodeConfig cc = docs.get(1);
            assertEquals(ign.files(), cc.files());
            assertEquals(ign.authorizedKeys(), cc.authorizedKeys());
            assertEquals(ign.hostname(), cc.hostname());
            assertEquals(ign.units().keySet(), cc.units().keySet());
            for (String u : ign.units().keySet()) {
                ParsedNodeConfig.UnitEntry a = ign.units().get(u);
                ParsedNodeConfig.UnitEntry b = cc.units().get(u);
                assertEquals(
                        List.of(a.enabled(), a.masked(), a.contents(), a.dropins()),
                        List.of(b.enabled(), b.masked(), b.contents(), b.dropins()),
                        u);
            }
        }
    }

    // ---------------------------------------------------------------- what each target adds

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "container-linux"})
    void flatcarAndContainerLinux_enableTheShippedUnitsAndConfigureLocksmith(String target) throws Exception {
        BuildResult r = TargetOutputs.build(spec(target));
        String updateConf = target.equals("flatcar") ? "/etc/flatcar/update.conf" : "/etc/coreos/update.conf";
        for (NodeOutput n : r.nodes()) {
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                String where = target + " " + n.node().name() + " " + c.format();
                for (String restore : List.of("iptables-restore.service", "ip6tables-restore.service")) {
                    ParsedNodeConfig.UnitEntry u = c.requireUnit(restore);
                    assertTrue(u.enabled() && !u.masked(), where + ": " + restore + " enabled");
                    assertEquals(Optional.empty(), u.contents(), where + ": the OS ships " + restore);
                }
                assertEquals(
                        "REBOOT_STRATEGY=etcd-lock\n", c.requireFile(updateConf).contents(), where);
                assertEquals(
                        "SELINUX=enforcing\nSELINUXTYPE=mcs\n",
                        c.requireFile("/etc/selinux/config").contents(),
                        where);
                assertHardening(c, where);
                assertFalse(c.files().keySet().stream().anyMatch(p -> p.startsWith("/etc/zincati/")), where);

                UnitText lock = UnitText.parse(c.requireUnit("locksmithd.service")
                        .dropins()
                        .values()
                        .iterator()
                        .next());
                Map<String, String> env = new LinkedHashMap<>();
                lock.list("Service", "Environment").forEach(v -> {
                    Map.Entry<String, String> e = EtcdView.assignment(v);
                    env.put(e.getKey(), e.getValue());
                });
                String name = n.node().name();
                String endpoints = MEMBERS.contains(name)
                        ? "https://" + PRIVATE.get(name) + ":12379"
                        : "https://10.250.2.1:12379,https://10.250.2.2:12379,https://10.250.2.3:12379";
                assertEquals(endpoints, env.get("LOCKSMITHD_ENDPOINT"), where);
                assertEquals(
                        "CA\n", c.requireFile(env.get("LOCKSMITHD_ETCD_CAFILE")).contents(), where);
                assertEquals(
                        "CERT " + name + "\n",
                        c.requireFile(env.get("LOCKSMITHD_ETCD_CERTFILE")).contents(),
                        where);
                assertEquals(
                        "KEY " + name + "\n",
                        c.requireFile(env.get("LOCKSMITHD_ETCD_KEYFILE")).contents(),
                        where);
            }
        }
    }

    @Test
    void fcos_definesTheRestoreUnitsAndUsesZincati() throws Exception {
        BuildResult r = TargetOutputs.build(spec("fcos"));
        for (NodeOutput n : r.nodes()) {
            ParsedNodeConfig c = TargetOutputs.documents("fcos", n).get(0);
            String where = "fcos " + n.node().name();
            for (String family : List.of("iptables", "ip6tables")) {
                String rules = "/var/lib/" + family + "/rules-save";
                ParsedNodeConfig.UnitEntry u = c.requireUnit(family + "-restore.service");
                assertTrue(u.enabled(), where + ": enabled");
                UnitText t = UnitText.parse(u.contents()
                        .orElseThrow(() -> new AssertionError(
                                "FCOS ships no " + family + "-restore.service: the document must define it")));
                assertEquals("oneshot", t.value("Service", "Type"), where);
                assertEquals("yes", t.value("Service", "RemainAfterExit"), where);
                assertEquals(
                        List.of("/usr/sbin/" + family + "-restore -w -- " + rules),
                        t.list("Service", "ExecStart"),
                        where);
                assertEquals(rules, t.value("Unit", "ConditionFileNotEmpty"), where);
                assertTrue(
                        List.of(t.value("Unit", "Before").split(" ", -1)).contains("network-pre.target"),
                        where + ": rules are in place before any network comes up");
                assertEquals("no", t.value("Unit", "DefaultDependencies"), where);
                assertEquals("multi-user.target", t.value("Install", "WantedBy"), where);
                assertEquals(0644, c.requireFile(rules).mode(), where);
            }
            assertEquals(
                    "SELINUX=enforcing\nSELINUXTYPE=targeted\n",
                    c.requireFile("/etc/selinux/config").contents(),
                    where);
            assertHardening(c, where);
            List<ParsedNodeConfig.FileEntry> zincati = c.files().values().stream()
                    .filter(f -> f.path().startsWith("/etc/zincati/config.d/"))
                    .toList();
            assertEquals(1, zincati.size(), where);
            assertTrue(zincati.get(0).path().endsWith(".toml"), where);
            assertTrue(zincati.get(0).contents().contains("[updates]\nstrategy = \"immediate\"\n"), where);
            assertFalse(c.units().containsKey("locksmithd.service"), where + ": FCOS has no locksmith");
            assertTrue(
                    c.files().keySet().stream().noneMatch(p -> p.endsWith("/update.conf")),
                    where + ": no Container Linux update.conf");
        }
    }

    /** The core-groups oneshot and the root-only docker socket, as every target writes them. */
    private static void assertHardening(ParsedNodeConfig c, String where) {
        ParsedNodeConfig.FileEntry script = c.requireFile(NodePlanner.CORE_GROUPS_SCRIPT);
        assertEquals(0755, script.mode(), where);
        assertEquals("root", script.user(), where);
        assertTrue(script.contents().startsWith("#!"), where);
        ParsedNodeConfig.UnitEntry groups = c.requireUnit("stockade-core-groups.service");
        assertTrue(groups.enabled(), where);
        UnitText g = UnitText.parse(groups.contents().orElseThrow());
        assertEquals("oneshot", g.value("Service", "Type"), where);
        assertEquals(
                List.of("/bin/bash " + NodePlanner.CORE_GROUPS_SCRIPT + " wheel docker"),
                g.list("Service", "ExecStart"),
                where);
        assertEquals("multi-user.target", g.value("Install", "WantedBy"), where);
        ParsedNodeConfig.UnitEntry docker = c.requireUnit("docker.socket");
        assertTrue(docker.contents().isEmpty() && !docker.masked(), where);
        UnitText d = UnitText.parse(docker.dropins().values().iterator().next());
        assertEquals(
                List.of("root", "root", "0600"),
                List.of(
                        d.value("Socket", "SocketUser"),
                        d.value("Socket", "SocketGroup"),
                        d.value("Socket", "SocketMode")),
                where);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos"})
    void nftables_writesOneRulesetAndItsLoader_noRestoreUnits(String target) throws Exception {
        String spec = spec(target).replace("target: " + target + "\n", "target: " + target + "\nfirewall: nftables\n");
        BuildResult r = TargetOutputs.build(spec);
        for (NodeOutput n : r.nodes()) {
            String written = TargetOutputs.text(n, "nftables.conf");
            assertTrue(written.contains("\ntable inet stockade {\n"), written);
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                String where = target + " " + n.node().name() + " " + c.format();
                ParsedNodeConfig.FileEntry conf = c.requireFile(NodePlanner.NFTABLES_CONF);
                assertEquals(written, conf.contents(), where + ": the node loads the file the build proved");
                assertEquals(0644, conf.mode(), where);
                assertEquals("root", conf.user(), where);
                ParsedNodeConfig.UnitEntry u = c.requireUnit(NodePlanner.NFTABLES_UNIT);
                assertTrue(u.enabled() && !u.masked(), where);
                UnitText t = UnitText.parse(u.contents().orElseThrow(() -> new AssertionError(where + ": defined")));
                assertEquals(List.of("/usr/sbin/nft -f " + NodePlanner.NFTABLES_CONF), t.list("Service", "ExecStart"));
                assertEquals(List.of("/usr/sbin/nft -f " + NodePlanner.NFTABLES_CONF), t.list("Service", "ExecReload"));
                assertEquals(List.of(), t.list("Service", "ExecStop"), where + ": stopping keeps the firewall");
                assertEquals("network-pre.target", t.value("Unit", "Before"), where);
                assertEquals("no", t.value("Unit", "DefaultDependencies"), where);
                for (String restore : NodePlanner.RESTORE_UNITS) {
                    assertFalse(c.units().containsKey(restore), where + ": " + restore);
                }
                assertTrue(c.file(NodePlanner.RULES_V4).isEmpty(), where);
                assertTrue(c.file(NodePlanner.RULES_V6).isEmpty(), where);
                if (target.equals("fcos") && MEMBERS.contains(n.node().name())) {
                    UnitText etcd = UnitText.parse(
                            c.requireUnit("etcd-member.service").contents().orElseThrow());
                    assertTrue(
                            List.of(etcd.value("Unit", "After").split(" ", -1)).contains(NodePlanner.NFTABLES_UNIT),
                            where + ": etcd starts behind its firewall");
                }
            }
        }
    }

    // ---------------------------------------------------------------- etcd

    @Test
    void fcos_etcdMember_isAPodmanUnitWithMutualTlsOnThePrivateAddressAndCustomPorts() throws Exception {
        BuildResult r = TargetOutputs.build(spec("fcos"));
        for (String name : MEMBERS) {
            ParsedNodeConfig c = TargetOutputs.documents("fcos", node(r, name)).get(0);
            ParsedNodeConfig.UnitEntry unit = c.requireUnit("etcd-member.service");
            assertTrue(unit.enabled() && !unit.masked() && unit.dropins().isEmpty(), name);
            UnitText t = UnitText.parse(unit.contents().orElseThrow());
            assertTrue(List.of(t.value("Unit", "After").split(" ", -1)).contains("network-online.target"), name);
            assertTrue(List.of(t.value("Unit", "Wants").split(" ", -1)).contains("network-online.target"), name);
            assertTrue(
                    List.of(t.value("Unit", "After").split(" ", -1)).contains("iptables-restore.service"),
                    name + ": etcd starts behind its firewall");
            assertEquals("multi-user.target", t.value("Install", "WantedBy"), name);
            EtcdView etcd = EtcdView.podman(c, t);
            assertTrue(
                    etcd.image().matches("quay\\.io/coreos/etcd:v3\\.[4-9]\\.[0-9]+"),
                    name + ": a pinned etcd 3.4+ image, not " + etcd.image());
            assertEtcdMember(c, etcd, name, "root", "fcos");
        }
        ParsedNodeConfig w = TargetOutputs.documents("fcos", node(r, "w1")).get(0);
        assertFalse(w.units().containsKey("etcd-member.service"), "w1 is not a member");
        assertTrue(w.file(NodePlanner.ETCD_ENV).isEmpty(), "w1 is not a member");
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "container-linux"})
    void flatcarAndContainerLinux_etcdMember_isTheShippedUnitWithADropIn(String target) throws Exception {
        BuildResult r = TargetOutputs.build(spec(target));
        for (String name : MEMBERS) {
            for (ParsedNodeConfig c : TargetOutputs.documents(target, node(r, name))) {
                String where = target + " " + name + " " + c.format();
                ParsedNodeConfig.UnitEntry unit = c.requireUnit("etcd-member.service");
                assertTrue(unit.enabled() && !unit.masked(), where);
                assertEquals(Optional.empty(), unit.contents(), where + ": the OS ships etcd-member.service");
                if (c.format().equals("cloud-config")) {
                    assertEquals(Optional.of("restart"), unit.command(), where + ": restarted with its drop-in");
                }
                assertEtcdMember(c, EtcdView.wrapper(c, unit), name, "etcd", target);
            }
        }
        for (ParsedNodeConfig c : TargetOutputs.documents(target, node(r, "w1"))) {
            assertFalse(c.units().containsKey("etcd-member.service"), "w1 is not a member");
            assertTrue(c.file(NodePlanner.ETCD_ENV).isEmpty(), "w1 is not a member");
        }
    }

    /**
     * {@code pki.deliver: ssh}: no document carries a TLS file or the key's text; the plan hands
     * the whole set (key 0600, owned by etcd's user) to apply; the member waits for its key, and a
     * path unit starts it when the key arrives.
     */
    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void deliverOverSsh_noTlsInUserData_memberWaitsForItsKey(String target) throws Exception {
        BuildResult r = TargetOutputs.build(spec(target).replace("services:", "pki: {deliver: ssh}\nservices:"));
        String user = target.equals("fcos") ? "root" : "etcd";
        for (NodeOutput n : r.nodes()) {
            String name = n.node().name();
            for (String f : TargetOutputs.formatsOf(target)) {
                String text = TargetOutputs.text(n, f);
                assertFalse(
                        text.contains("KEY " + name), target + " " + name + " " + f + ": the key is not in user data");
            }
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                assertTrue(
                        c.files().keySet().stream().noneMatch(p -> p.startsWith(EtcdPaths.DIR + "/")),
                        target + " " + name + " " + c.format() + ": "
                                + c.files().keySet());
                boolean member = MEMBERS.contains(name);
                assertEquals(member, c.units().containsKey("stockade-etcd-tls.path"), name);
                if (member) {
                    ParsedNodeConfig.UnitEntry path = c.requireUnit("stockade-etcd-tls.path");
                    UnitText p = UnitText.parse(path.contents().orElseThrow());
                    assertTrue(path.enabled(), name);
                    assertEquals(EtcdPaths.KEY, p.value("Path", "PathExists"), name);
                    assertEquals("etcd-member.service", p.value("Path", "Unit"), name);
                    ParsedNodeConfig.UnitEntry etcd = c.requireUnit("etcd-member.service");
                    String unitText = etcd.contents()
                            .orElseGet(() -> String.join("\n", etcd.dropins().values()));
                    assertEquals(
                            EtcdPaths.KEY,
                            UnitText.parse(unitText).value("Unit", "ConditionPathExists"),
                            name + ": etcd does not start before its key is there");
                }
            }
            assertEquals(
                    List.of(EtcdPaths.CA, EtcdPaths.CERT, EtcdPaths.KEY),
                    n.plan().overSsh().stream().map(ProvisionedFile::path).toList(),
                    name);
            ProvisionedFile key = n.plan().overSsh().get(2);
            assertEquals(0600, key.mode(), name);
            assertEquals(user, key.owner(), name);
            assertEquals("KEY " + name + "\n", key.contents(), name);
        }
        // and by default the files are in the user data, and nothing waits
        BuildResult plain = TargetOutputs.build(spec(target));
        for (NodeOutput n : plain.nodes()) {
            assertEquals(List.of(), n.plan().overSsh());
            for (ParsedNodeConfig c : TargetOutputs.documents(target, n)) {
                assertEquals(0600, c.requireFile(EtcdPaths.KEY).mode());
                assertFalse(c.units().containsKey("stockade-etcd-tls.path"));
            }
        }
    }

    /**
     * What the member starts with: TLS files that resolve, through its container's mounts, to the files
     * the document writes for this node (key readable by etcd's user only), client and peer certificate
     * checks on, every URL https on the node's private address and the spec's ports, and the firewall
     * the same document places opening exactly those ports to exactly the spec's sources.
     */
    private static void assertEtcdMember(ParsedNodeConfig c, EtcdView etcd, String name, String user, String target)
            throws Exception {
        String where = target + " " + name + " " + c.format();
        Map<String, String> env = etcd.env();
        assertEquals(user, etcd.user(), where);
        Map<String, String> expectedTls = Map.of(
                "ETCD_TRUSTED_CA_FILE", "CA\n",
                "ETCD_PEER_TRUSTED_CA_FILE", "CA\n",
                "ETCD_CERT_FILE", "CERT " + name + "\n",
                "ETCD_PEER_CERT_FILE", "CERT " + name + "\n",
                "ETCD_KEY_FILE", "KEY " + name + "\n",
                "ETCD_PEER_KEY_FILE", "KEY " + name + "\n");
        for (Map.Entry<String, String> tls : expectedTls.entrySet()) {
            String inContainer = env.get(tls.getKey());
            assertTrue(inContainer != null, where + ": " + tls.getKey() + " is set");
            String host = etcd.hostPath(inContainer)
                    .orElseThrow(() -> new AssertionError(where + ": " + tls.getKey() + "=" + inContainer
                            + " is not visible in etcd's container (mounts " + etcd.mounts() + ")"));
            ParsedNodeConfig.FileEntry f = c.requireFile(host);
            assertEquals(tls.getValue(), f.contents(), where + ": " + tls.getKey());
            if (tls.getKey().contains("KEY")) {
                assertEquals(0600, f.mode(), where + ": private key mode");
                assertEquals(user, f.user(), where + ": the key belongs to the user etcd runs as");
            } else {
                assertEquals(0, f.mode() & 0222 & ~0200, where + ": " + host + " writable by its owner only");
            }
        }
        assertEquals("true", env.get("ETCD_CLIENT_CERT_AUTH"), where);
        assertEquals("true", env.get("ETCD_PEER_CLIENT_CERT_AUTH"), where);
        for (String off : List.of("ETCD_CA_FILE", "ETCD_PEER_CA_FILE", "ETCD_AUTO_TLS", "ETCD_PEER_AUTO_TLS")) {
            assertFalse(env.containsKey(off), where + ": " + off);
        }
        String ip = PRIVATE.get(name);
        assertEquals(name, env.get("ETCD_NAME"), where);
        assertEquals("https://" + ip + ":12380", env.get("ETCD_LISTEN_PEER_URLS"), where);
        assertEquals("https://" + ip + ":12380", env.get("ETCD_INITIAL_ADVERTISE_PEER_URLS"), where);
        assertEquals(
                Set.of("https://" + ip + ":12379", "https://127.0.0.1:12379"),
                Set.of(env.get("ETCD_LISTEN_CLIENT_URLS").split(",", -1)),
                where);
        assertEquals("https://" + ip + ":12379", env.get("ETCD_ADVERTISE_CLIENT_URLS"), where);
        assertEquals(
                "m1=https://10.250.2.1:12380,m2=https://10.250.2.2:12380,m3=https://10.250.2.3:12380",
                env.get("ETCD_INITIAL_CLUSTER"),
                where);
        assertEquals("new", env.get("ETCD_INITIAL_CLUSTER_STATE"), where);
        assertFalse(env.values().stream().anyMatch(v -> v.contains("http://")), where + ": https only");

        String dataHost = etcd.hostPath(env.get("ETCD_DATA_DIR"))
                .orElseThrow(() -> new AssertionError(where + ": etcd's data directory is not a mount"));
        for (String source : etcd.mounts().values()) {
            boolean os = Set.of("/run", "/usr/share/ca-certificates", "/etc/ssl/certs")
                    .contains(source);
            boolean written = c.files().keySet().stream().anyMatch(p -> p.startsWith(source + "/"));
            boolean prepared = etcd.preparedDirs().contains(source);
            assertTrue(
                    os || written || prepared,
                    where + ": " + source + " is mounted into etcd's container but nothing creates it");
        }
        assertTrue(etcd.mounts().containsValue(dataHost), where);

        NodeOutputRules rules = new NodeOutputRules(c);
        Exposure v4 = Exposed.input(rules.v4, IpFamily.V4);
        Exposure v6 = Exposed.input(rules.v6, IpFamily.V6);
        List<String> peers =
                MEMBERS.stream().filter(m -> !m.equals(name)).map(PRIVATE::get).toList();
        assertEquals(cover(peers.toArray(String[]::new)), Exposed.tcpSources(v4, 12380), where + ": peers");
        assertTrue(
                Exposed.tcp(v4, 12380).stream()
                        .allMatch(e -> e.interfaces().equals(List.of("eth1")) && !e.interfacesNegated()),
                where + ": peers only on the private interface");
        assertEquals(
                cover(
                        "10.250.2.1",
                        "10.250.2.2",
                        "10.250.2.3",
                        "10.250.2.9",
                        "198.51.100.21",
                        "198.51.100.22",
                        "192.0.2.0/24"),
                Exposed.tcpSources(v4, 12379),
                where + ": clients from the cluster and 192.0.2.0/24");
        for (int port : new int[] {2379, 2380}) {
            assertFalse(Exposed.tcpOpen(v4, port), where + ": default port " + port + " stays closed");
        }
        for (int port : new int[] {2379, 2380, 12379, 12380}) {
            assertFalse(Exposed.tcpOpen(v6, port), where + ": etcd listens on IPv4 only");
        }
    }

    /** The rules a document places (the placement itself is checked in every-document test). */
    private record NodeOutputRules(String v4, String v6) {
        NodeOutputRules(ParsedNodeConfig c) {
            this(
                    c.requireFile(NodePlanner.RULES_V4).contents(),
                    c.requireFile(NodePlanner.RULES_V6).contents());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void etcdClientNode_opensNoEtcdPort(String target) throws Exception {
        BuildResult r = TargetOutputs.build(spec(target));
        for (ParsedNodeConfig c : TargetOutputs.documents(target, node(r, "w1"))) {
            Exposure v4 = Exposed.input(c.requireFile(NodePlanner.RULES_V4).contents(), IpFamily.V4);
            for (int port : new int[] {2379, 2380, 12379, 12380}) {
                assertFalse(Exposed.tcpOpen(v4, port), target + " w1 " + c.format() + ": " + port);
            }
            assertTrue(Exposed.tcpOpen(v4, 443), "the node's own services are there");
        }
    }
}
