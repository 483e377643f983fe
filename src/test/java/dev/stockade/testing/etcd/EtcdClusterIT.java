package dev.stockade.testing.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-test of {@link EtcdCluster}: a three-member etcd cluster with mutual TLS on both the client and the
 * peer port, certificates made by openssl ({@code gen-test-pki.sh}), configured only through {@code ETCD_*}
 * environment variables. Topology: node1..node3 (10.250.0.11-13/24) and "client" (10.250.0.50/24) on one
 * segment. The cluster is started once; every test only reads or writes keys, so the tests are independent.
 *
 * <p>What a refused client looks like: etcdctl only ever says {@code context deadline exceeded} (gRPC keeps
 * retrying the handshake until {@code --command-timeout}, so each refusal costs the full 5 s), while the
 * member logs one {@code embed: rejected connection from "IP:PORT" (error "...")} line per attempt, with
 * {@code tls: client didn't provide a certificate}, {@code tls: failed to verify client certificate: x509:
 * certificate signed by unknown authority} or, for cleartext, {@code tls: first record does not look like a
 * TLS handshake}. The tests check both sides.
 */
class EtcdClusterIT {

    private static final int MEMBERS = 3;
    private static final String CLIENT_IP = "10.250.0.50";
    private static final Duration PKI_TIMEOUT = Duration.ofSeconds(20);
    private static final String KEY = "/stockade-it/greeting";

    private static Path tmp;

    private static NetnsLab lab;
    private static EtcdCluster cluster;
    private static final List<Host> nodes = new ArrayList<>();
    private static Host client;
    private static Path pki;
    private static TlsClient goodClient;
    private static List<ProcessHandle> etcdProcesses = List.of();

    @BeforeAll
    static void startCluster() throws Exception {
        long t0 = System.nanoTime();
        tmp = EtcdCluster.createWorkDir();
        pki = generatePki(tmp.resolve("pki"));
        long tPki = System.nanoTime();
        goodClient = new TlsClient(pki.resolve("ca.crt"), pki.resolve("client.crt"), pki.resolve("client.key"));

        lab = NetnsLab.create();
        Segment lan = lab.segment("lan");
        for (int i = 1; i <= MEMBERS; i++) {
            Host node = lab.host("node" + i);
            lab.attach(node, "eth1", lan, ip(i) + "/24");
            nodes.add(node);
        }
        client = lab.host("client");
        lab.attach(client, "eth1", lan, CLIENT_IP + "/24");
        long tLab = System.nanoTime();

        String initialCluster = IntStream.rangeClosed(1, MEMBERS)
                .mapToObj(i -> "node" + i + "=https://" + ip(i) + ":2380")
                .collect(Collectors.joining(","));
        String token = "stockade-it-" + UUID.randomUUID();
        Map<Host, Map<String, String>> env = new LinkedHashMap<>();
        for (int i = 1; i <= MEMBERS; i++) {
            env.put(nodes.get(i - 1), memberEnv(i, initialCluster, token));
        }
        cluster = EtcdCluster.start(lab, env, tmp);
        etcdProcesses = cluster.processes();
        cluster.awaitHealthy(client, "https://" + ip(1) + ":2379", goodClient);
        long tHealthy = System.nanoTime();
        System.err.printf(
                "[etcd-it] pki %d ms, lab %d ms, etcd start->healthy %d ms (etcd pids %s)%n",
                millis(tPki - t0),
                millis(tLab - tPki),
                millis(tHealthy - tLab),
                etcdProcesses.stream().map(ProcessHandle::pid).toList());
    }

    @AfterAll
    static void stopEverythingAndCheckNothingIsLeft() {
        long t0 = System.nanoTime();
        long t1 = t0;
        List<Path> dataDirsLeft = new ArrayList<>();
        try {
            if (cluster != null) {
                cluster.close();
                cluster.close(); // idempotent
                cluster.members().stream()
                        .map(cluster::dataDir)
                        .filter(Files::exists)
                        .forEach(dataDirsLeft::add);
            }
        } finally {
            t1 = System.nanoTime();
            try {
                if (lab != null) {
                    lab.close();
                }
            } finally {
                EtcdCluster.deleteWorkDir(tmp);
            }
        }
        System.err.printf(
                "[etcd-it] stopping etcd %d ms, closing the lab %d ms%n",
                millis(t1 - t0), millis(System.nanoTime() - t1));
        List<ProcessHandle> survivors =
                etcdProcesses.stream().filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), survivors.stream().map(ProcessHandle::pid).toList(), "etcd members still alive");
        if (lab != null) {
            List<String> present = NetnsLab.systemNamespaces();
            assertEquals(
                    List.of(),
                    lab.namespaces().stream().filter(present::contains).toList(),
                    "namespaces left behind");
        }
        assertEquals(List.of(), dataDirsLeft, "data dirs left behind by close()");
        assertFalse(tmp != null && Files.exists(tmp), "work dir left behind: " + tmp);
    }

    @Test
    void theClusterIsHealthyAndStoresKeysForAClientWithACertificateOfTheClusterCa() {
        ExecResult health = ctl(client, allEndpoints(), goodClient, "endpoint", "health", "--cluster");
        assertTrue(health.ok(), health::describe);
        String report = health.stdout() + health.stderr();
        for (int i = 1; i <= MEMBERS; i++) {
            String url = "https://" + ip(i) + ":2379 is healthy";
            assertTrue(report.contains(url), () -> "missing '" + url + "' in:\n" + report);
        }

        String value = "hello-" + UUID.randomUUID();
        ExecResult put = ctl(client, endpoint(1), goodClient, "put", KEY, value);
        assertTrue(put.ok(), put::describe);
        assertEquals("OK", put.stdout().strip());
        // read it back through another member: the write was replicated
        ExecResult get = ctl(client, endpoint(3), goodClient, "get", KEY, "--print-value-only");
        assertTrue(get.ok(), get::describe);
        assertEquals(value, get.stdout().strip());
    }

    @Test
    void eachMemberAlsoServesClientsOnItsLoopbackAddress() {
        for (Host node : nodes) {
            ExecResult health = ctl(node, "https://127.0.0.1:2379", goodClient, "endpoint", "health");
            assertTrue(health.ok(), () -> node.name() + ": " + health.describe());
        }
    }

    @Test
    void aClientWithoutACertificateIsRejected() {
        ExecResult result = ctl(client, endpoint(1), TlsClient.caOnly(pki.resolve("ca.crt")), "get", KEY);
        report("no client certificate", result);
        assertNotEquals(0, result.exit(), result::describe);
        assertEquals("", result.stdout().strip(), "nothing may be read without a client certificate");
        assertRejectionLogged(nodes.get(0), "client didn't provide a certificate");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejected() {
        TlsClient foreign =
                new TlsClient(pki.resolve("ca.crt"), pki.resolve("other-client.crt"), pki.resolve("other-client.key"));
        ExecResult result = ctl(client, endpoint(2), foreign, "get", KEY);
        report("client certificate of an unrelated CA", result);
        assertNotEquals(0, result.exit(), result::describe);
        assertEquals("", result.stdout().strip(), "nothing may be read with a foreign client certificate");
        assertRejectionLogged(nodes.get(1), "certificate signed by unknown authority");
    }

    @Test
    void plainHttpIsNotServed() {
        ExecResult bare = ctl(client, "http://" + ip(1) + ":2379", TlsClient.NONE, "get", KEY);
        report("plain http", bare);
        assertNotEquals(0, bare.exit(), bare::describe);
        // even with valid client credentials at hand, an http:// endpoint makes etcdctl speak cleartext
        ExecResult withCerts = ctl(client, "http://" + ip(1) + ":2379", goodClient, "get", KEY);
        report("plain http with client certificate files", withCerts);
        assertNotEquals(0, withCerts.exit(), withCerts::describe);
        assertRejectionLogged(nodes.get(0), "first record does not look like a TLS handshake");
    }

    @Test
    void theMemberListHasThreeStartedMembersWithHttpsPeerUrls() {
        ExecResult list = ctl(client, endpoint(1), goodClient, "member", "list", "--write-out=simple");
        assertTrue(list.ok(), list::describe);
        // simple format: ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER
        List<String[]> rows = list.stdout()
                .lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.split(", "))
                .toList();
        assertEquals(MEMBERS, rows.size(), list::describe);
        Map<String, String> peerUrlByName = new LinkedHashMap<>();
        for (String[] row : rows) {
            assertEquals(6, row.length, () -> "unexpected member list line: " + String.join(", ", row));
            assertEquals("started", row[1], () -> "member not started: " + String.join(", ", row));
            assertEquals("false", row[5], () -> "member is a learner: " + String.join(", ", row));
            peerUrlByName.put(row[2], row[3]);
            assertTrue(row[4].startsWith("https://"), () -> "client URL not https: " + String.join(", ", row));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 1; i <= MEMBERS; i++) {
            expected.put("node" + i, "https://" + ip(i) + ":2380");
        }
        assertEquals(new TreeMap<>(expected), new TreeMap<>(peerUrlByName));
    }

    // ------------------------------------------------------------------ helpers

    /** The environment a node's etcd unit would get: mutual TLS for clients and peers. */
    private static Map<String, String> memberEnv(int i, String initialCluster, String token) {
        String name = "node" + i;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_NAME", name);
        env.put("ETCD_LISTEN_PEER_URLS", "https://" + ip(i) + ":2380");
        env.put("ETCD_LISTEN_CLIENT_URLS", "https://" + ip(i) + ":2379,https://127.0.0.1:2379");
        env.put("ETCD_INITIAL_ADVERTISE_PEER_URLS", "https://" + ip(i) + ":2380");
        env.put("ETCD_ADVERTISE_CLIENT_URLS", "https://" + ip(i) + ":2379");
        env.put("ETCD_INITIAL_CLUSTER", initialCluster);
        env.put("ETCD_INITIAL_CLUSTER_STATE", "new");
        env.put("ETCD_INITIAL_CLUSTER_TOKEN", token);
        env.put("ETCD_TRUSTED_CA_FILE", pki.resolve("ca.crt").toString());
        env.put("ETCD_CERT_FILE", pki.resolve(name + ".crt").toString());
        env.put("ETCD_KEY_FILE", pki.resolve(name + ".key").toString());
        env.put("ETCD_CLIENT_CERT_AUTH", "true");
        env.put("ETCD_PEER_TRUSTED_CA_FILE", pki.resolve("ca.crt").toString());
        env.put("ETCD_PEER_CERT_FILE", pki.resolve(name + ".crt").toString());
        env.put("ETCD_PEER_KEY_FILE", pki.resolve(name + ".key").toString());
        env.put("ETCD_PEER_CLIENT_CERT_AUTH", "true");
        return env;
    }

    private static String ip(int i) {
        return "10.250.0.1" + i;
    }

    private static String endpoint(int i) {
        return "https://" + ip(i) + ":2379";
    }

    private static String allEndpoints() {
        return IntStream.rangeClosed(1, MEMBERS)
                .mapToObj(EtcdClusterIT::endpoint)
                .collect(Collectors.joining(","));
    }

    private static ExecResult ctl(Host from, String endpoints, TlsClient tls, String... args) {
        return cluster.etcdctl(from, endpoints, tls, args);
    }

    /** The server logs each refused handshake; wait (bounded) for the line, since logging is asynchronous. */
    private static void assertRejectionLogged(Host member, String reason) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (rejectionLines(member, reason).findAny().isPresent()) {
                rejectionLines(member, reason)
                        .findFirst()
                        .ifPresent(line -> System.err.println("[etcd-it] " + member.name() + " logged: " + line));
                return;
            }
            sleepMillis(100);
        }
        throw new AssertionError("no 'rejected connection ... " + reason + "' from " + CLIENT_IP + " in the log of "
                + member.name() + ":\n" + cluster.logTail(member));
    }

    private static Stream<String> rejectionLines(Host member, String reason) {
        return cluster.log(member)
                .lines()
                .filter(l -> l.contains("rejected connection") && l.contains(CLIENT_IP) && l.contains(reason));
    }

    private static void report(String what, ExecResult result) {
        System.err.println("[etcd-it] " + what + ": exit " + result.exit() + ", etcdctl said: "
                + (result.stdout() + result.stderr()).strip().replace("\n", " | "));
    }

    /** Runs gen-test-pki.sh (openssl only) in the root namespace: it touches files, never the network. */
    private static Path generatePki(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = tmp.resolve("gen-test-pki.sh");
        try (InputStream in = EtcdClusterIT.class.getResourceAsStream("gen-test-pki.sh")) {
            assertTrue(in != null, "classpath resource dev/stockade/testing/etcd/gen-test-pki.sh missing");
            Files.copy(in, script);
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", script.toString(), dir.toString()));
        for (int i = 1; i <= MEMBERS; i++) {
            argv.add("node" + i + "=" + ip(i));
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().keySet().retainAll(List.of("PATH", "HOME"));
        ExecResult result = Commands.run(builder, PKI_TIMEOUT, tmp);
        assertNotEquals(
                ExecResult.TIMED_OUT,
                result.exit(),
                () -> "gen-test-pki.sh still running after " + PKI_TIMEOUT + ", killed:\n" + result.stdout());
        assertEquals(0, result.exit(), () -> "gen-test-pki.sh failed:\n" + result.stdout());
        return dir;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
