package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import dev.stockade.testing.etcd.EtcdCluster;
import dev.stockade.testing.etcd.TlsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * etcd membership changes with real etcd, done only the way an operator would: change the spec, run
 * {@code stockade build}, and follow the steps it prints (its JSON form), running the printed shell
 * commands as they are. Five nodes, each in its own network namespace with the firewall of the
 * latest build it was given; etcd starts on three of them. The cluster grows to five members, then
 * shrinks to three while two nodes leave the spec, whose certificates the build revokes. After every
 * step the cluster must be healthy and still hold the data written at the start.
 */
class EtcdMembershipIT {

    static final List<String> ALL = List.of("core-1", "core-2", "core-3", "core-4", "core-5");

    static Path tmp;
    static Path out;
    static Path pkiDir;
    static NetnsLab lab;
    static EtcdCluster cluster;
    static final Map<String, Host> hosts = new LinkedHashMap<>();
    static TlsClient operator;

    @BeforeAll
    static void start() {
        tmp = EtcdCluster.createWorkDir();
        out = tmp.resolve("out");
        pkiDir = tmp.resolve("pki");
        lab = NetnsLab.create();
        Segment priv = lab.segment("priv");
        for (int i = 1; i <= ALL.size(); i++) {
            Host h = lab.host("core" + i);
            lab.attach(h, "eth1", priv, "10.250.0.1" + i + "/24");
            hosts.put("core-" + i, h);
        }
        operator = new TlsClient(
                pkiDir.resolve("ca.pem"), pkiDir.resolve("operator.pem"), pkiDir.resolve("operator-key.pem"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (lab != null) {
            lab.close();
        }
        EtcdCluster.deleteWorkDir(tmp);
    }

    @Test
    void grow3To5_thenShrink5To3_byThePrintedSteps_healthyThroughout_departedRevoked() throws Exception {
        // the first build: a new cluster of three
        Map<String, Object> first = build(ALL, List.of("core-1", "core-2", "core-3"));
        assertTrue(steps(first).isEmpty(), "a new cluster needs no steps: " + first);
        Map<Host, Map<String, String>> env = new LinkedHashMap<>();
        for (String n : ALL) {
            loadFirewall(n);
        }
        for (String n : List.of("core-1", "core-2", "core-3")) {
            Map<String, String> e = memberEnv(n);
            assertEquals("new", e.get("ETCD_INITIAL_CLUSTER_STATE"));
            env.put(hosts.get(n), e);
        }
        cluster = EtcdCluster.start(lab, env, Files.createDirectories(tmp.resolve("etcd")));
        healthy("core-1");
        ExecResult put = cluster.etcdctl(hosts.get("core-1"), url("core-1"), operator, "put", "/stockade/k", "v1");
        assertEquals(0, put.exit(), put.describe());

        // grow: every node is a member
        Map<String, Object> grow = build(ALL, List.of());
        assertEquals(List.of("core-4", "core-5"), etcd(grow).get("added"));
        assertEquals(List.of(), etcd(grow).get("removed"));
        assertEquals(
                List.of("firewall", "add", "add"),
                steps(grow).stream().map(s -> s.get("action")).toList());
        follow(grow, "core-1");
        assertEquals(5, startedMembers("core-1"), "five started members");
        assertEquals("existing", memberEnv("core-5").get("ETCD_INITIAL_CLUSTER_STATE"));
        assertEquals(
                4,
                memberEnv("core-4").get("ETCD_INITIAL_CLUSTER").split(",").length,
                "core-4 joins the membership as it is right after its member add");

        // a dry run now changes nothing and agrees that nothing is to be done
        Map<String, Object> again = json("build", spec(ALL, List.of()).toString(), "--dry-run");
        assertTrue(steps(again).isEmpty(), again.toString());

        // shrink: core-1 and core-2 leave the spec altogether
        List<String> left = List.of("core-3", "core-4", "core-5");
        Map<String, Object> shrink = build(left, List.of());
        assertEquals(List.of("core-1", "core-2"), etcd(shrink).get("removed"));
        assertEquals(
                List.of("core-1", "core-2"),
                revocations(shrink).stream().map(r -> r.get("name")).toList(),
                "the departed nodes are revoked by the build");
        assertEquals(
                List.of("remove", "remove", "firewall", "crl"),
                steps(shrink).stream().map(s -> s.get("action")).toList());
        follow(shrink, "core-3");
        assertEquals(3, startedMembers("core-3"), "three started members");

        // the revoked certificates: refused as a client and as a peer; the kept ones still work
        Host core3 = hosts.get("core-3");
        // core-3's firewall drops core-1's peer traffic now; open it for a moment to see that etcd refuses too
        lab.loadRuleText(
                core3, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", null);
        ExecResult asPeer = peerRequest("core-1", "core-1", "core-3");
        assertFalse(asPeer.ok(), "a revoked peer certificate is refused on the peer port: " + asPeer.describe());
        assertEquals(1, revokedLines(core3), "etcd says why: " + cluster.logTail(core3));
        ExecResult validPeer = peerRequest("core-4", "core-4", "core-3");
        assertTrue(validPeer.ok(), "the same request with a valid peer certificate works: " + validPeer.describe());
        loadFirewall("core-3");
        TlsClient departed =
                new TlsClient(operator.caFile(), pkiDir.resolve("core-2.pem"), pkiDir.resolve("core-2-key.pem"));
        ExecResult asClient = cluster.etcdctl(hosts.get("core-4"), url("core-3"), departed, "get", "/stockade/k");
        assertNotEquals(0, asClient.exit(), asClient.describe());
        assertTrue(revokedLines(core3) > 1, "refused as revoked: " + cluster.logTail(core3));
    }

    /** Runs every step of a build's JSON output, checking health and data after each one. */
    @SuppressWarnings("unchecked")
    static void follow(Map<String, Object> build, String via) throws Exception {
        Map<String, String> environment = (Map<String, String>) etcd(build).get("environment");
        for (Map<String, Object> step : steps(build)) {
            List<String> nodes = (List<String>) step.get("nodes");
            for (String command : (List<String>) step.get("commands")) {
                ExecResult r = shell(via, environment, command);
                // as the note says: etcd refuses a reconfiguration until every member has been connected for 5 s
                for (int attempt = 0; attempt < 30 && r.stderr().contains("etcdserver: unhealthy cluster"); attempt++) {
                    Thread.sleep(1000);
                    r = shell(via, environment, command);
                }
                assertEquals(0, r.exit(), step + "\n" + r.describe());
            }
            switch ((String) step.get("action")) {
                case "remove" ->
                    assertTrue(
                            cluster.awaitRemoved(hosts.get(nodes.get(0)), Duration.ofSeconds(20)),
                            "etcd on a removed member stops by itself");
                case "firewall" -> nodes.forEach(EtcdMembershipIT::loadFirewall);
                case "crl" -> {
                    for (String n : nodes) {
                        cluster.restart(hosts.get(n), memberEnv(n));
                        healthy(via);
                    }
                }
                case "add" -> {
                    // the new node boots with its provisioning: its firewall, then etcd
                    loadFirewall(nodes.get(0));
                    cluster.join(hosts.get(nodes.get(0)), memberEnv(nodes.get(0)), tmp.resolve("etcd"));
                    // "wait until it is healthy": an added member that has not started yet has no client
                    // URL, so 'endpoint health --cluster' does not look at it; wait for it to start
                    awaitStarted(via, nodes.get(0));
                }
                default -> throw new AssertionError("unknown step " + step);
            }
            healthy(via);
            ExecResult get =
                    cluster.etcdctl(hosts.get(via), url(via), operator, "get", "/stockade/k", "--print-value-only");
            assertEquals("v1", get.stdout().strip(), "the data survives step " + step + ": " + get.describe());
        }
    }

    /** {@code command} as the operator runs it: in a POSIX shell, after the printed export line. */
    static ExecResult shell(String node, Map<String, String> environment, String command) {
        StringBuilder script = new StringBuilder();
        environment.forEach((k, v) ->
                script.append("export ").append(k).append("='").append(v).append("'\n"));
        script.append(command).append('\n');
        return lab.exec(
                hosts.get(node),
                "/usr/bin/env",
                "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "/bin/sh",
                "-c",
                script.toString());
    }

    /** An HTTPS request to {@code target}'s peer port from {@code from}'s namespace, with {@code cert}'s certificate. */
    static ExecResult peerRequest(String from, String cert, String target) {
        return lab.exec(
                hosts.get(from),
                "/usr/bin/curl",
                "--silent",
                "--show-error",
                "--fail",
                "--http1.1",
                "--max-time",
                "5",
                "--cacert",
                pkiDir.resolve("ca.pem").toString(),
                "--cert",
                pkiDir.resolve(cert + ".pem").toString(),
                "--key",
                pkiDir.resolve(cert + "-key.pem").toString(),
                "https://10.250.0.1" + target.substring(5) + ":2380/members");
    }

    /** Polls 'member list' (at most 30 s) until {@code member} shows as started. */
    static void awaitStarted(String via, String member) throws InterruptedException {
        ExecResult list = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            list = cluster.etcdctl(hosts.get(via), url(via), operator, "member", "list");
            if (list.ok() && list.stdout().contains(", started, " + member + ", ")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(member + " did not start: " + (list == null ? "" : list.describe()) + "\n"
                + cluster.logTail(hosts.get(member)));
    }

    /** Log lines of etcd refusing a certificate because the CRL lists it. */
    static long revokedLines(Host member) {
        return cluster.log(member)
                .lines()
                .filter(l -> l.matches(".*certificate serial [0-9a-f]+ revoked.*"))
                .count();
    }

    static void healthy(String via) {
        cluster.awaitHealthy(hosts.get(via), url(via), operator);
    }

    static long startedMembers(String via) {
        ExecResult list = cluster.etcdctl(hosts.get(via), url(via), operator, "member", "list");
        assertEquals(0, list.exit(), list.describe());
        return list.stdout().lines().filter(l -> l.contains(", started, ")).count();
    }

    static String url(String node) {
        return "https://10.250.0.1" + node.substring(5) + ":2379";
    }

    static void loadFirewall(String node) {
        Path dir = out.resolve("grow").resolve(node);
        lab.loadRules(hosts.get(node), dir.resolve("iptables.rules"), dir.resolve("ip6tables.rules"));
    }

    static Map<String, String> memberEnv(String node) throws Exception {
        return EtcdTlsClusterIT.fromIgnition(
                out.resolve("grow").resolve(node).resolve("ignition.json"), tmp.resolve("node-" + node));
    }

    /** Writes the spec for {@code nodes} with etcd on {@code members} (all nodes when empty). */
    static Path spec(List<String> nodes, List<String> members) throws Exception {
        StringBuilder y = new StringBuilder("stockade: 1\ncluster: grow\ntarget: flatcar\n"
                + "interfaces: {public: eth0, private: eth1}\nnodes:\n");
        for (String n : nodes) {
            y.append("  - {name: ")
                    .append(n)
                    .append(", private: 10.250.0.1")
                    .append(n.substring(5))
                    .append("}\n");
        }
        y.append("admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 "
                + "AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcDemo ops@example\"]}}\n");
        y.append("etcd: {tls: true, clients_from: [cluster]");
        if (!members.isEmpty()) {
            y.append(", members: [").append(String.join(", ", members)).append("]");
        }
        y.append("}\n");
        Path file = tmp.resolve("grow.yaml");
        Files.writeString(file, y);
        return file;
    }

    static Map<String, Object> build(List<String> nodes, List<String> members) throws Exception {
        return json("build", spec(nodes, members).toString());
    }

    static Map<String, Object> json(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-o", out.toString(), "--pki", pkiDir.toString(), "--format", "json"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(argv.toArray(String[]::new), new PrintWriter(o), new PrintWriter(e));
        assertEquals(0, code, e.toString());
        return new Yaml().load(o.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> etcd(Map<String, Object> build) {
        return (Map<String, Object>) build.get("etcd");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Map<String, Object> build) {
        return (List<Map<String, Object>>) etcd(build).get("steps");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> revocations(Map<String, Object> build) {
        return (List<Map<String, Object>>) build.get("revocations");
    }
}
