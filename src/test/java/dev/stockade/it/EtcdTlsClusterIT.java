package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.pki.CertRequest;
import dev.stockade.pki.IssuedCertificate;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.Role;
import dev.stockade.pki.Signer;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import dev.stockade.testing.etcd.EtcdCluster;
import dev.stockade.testing.etcd.TlsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Real etcd from Debian, configured only by what {@code stockade build} generated: each member's
 * environment is read from the etcd drop-in inside the node's Ignition config and its TLS files from
 * the same config's data URLs. The files written under /etc/ssl/etcd go to a per-node directory, which
 * plays the drop-in's {@code ETCD_SSL_DIR} as Flatcar's etcd-member wrapper mounts it: at
 * /etc/ssl/certs in etcd's container (nothing else changes). Every node runs in its own network
 * namespace with its generated IPv4 and IPv6 firewall loaded.
 */
class EtcdTlsClusterIT {

    static Path tmp;
    static Path out;
    static Path pkiDir;
    static NetnsLab lab;
    static EtcdCluster cluster;
    static final Map<String, Host> nodes = new LinkedHashMap<>();
    static Host internet;
    static TlsClient operator;

    @BeforeAll
    static void start() throws Exception {
        tmp = EtcdCluster.createWorkDir();
        out = tmp.resolve("out");
        pkiDir = tmp.resolve("pki");
        revokedClient();
        build(Path.of("examples/demo.yaml"));

        lab = NetnsLab.create();
        Segment pub = lab.segment("pub");
        Segment priv = lab.segment("priv");
        Map<Host, Map<String, String>> env = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            String name = "core-" + i;
            Host n = lab.host("core" + i);
            lab.attach(n, "eth0", pub, "198.51.100.1" + i + "/24", "2001:db8:1::1" + i + "/64");
            lab.attach(n, "eth1", priv, "10.250.0.1" + i + "/24");
            Path dir = out.resolve("demo").resolve(name);
            lab.loadRules(n, dir.resolve("iptables.rules"), dir.resolve("ip6tables.rules"));
            env.put(n, fromIgnition(dir.resolve("ignition.json"), tmp.resolve("node-" + name)));
            nodes.put(name, n);
        }
        internet = lab.host("inet");
        lab.attach(internet, "eth0", pub, "198.51.100.99/24");
        lab.routeV4(internet, "10.250.0.0/24", "eth0");
        operator = new TlsClient(
                pkiDir.resolve("ca.pem"), pkiDir.resolve("operator.pem"), pkiDir.resolve("operator-key.pem"));
        cluster = EtcdCluster.start(lab, env, Files.createDirectories(tmp.resolve("etcd")));
        cluster.awaitHealthy(nodes.get("core-1"), "https://10.250.0.11:2379", operator);
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

    /**
     * A client certificate of the cluster CA ({@code intruder}), revoked with {@code pki revoke}
     * before the build, which then places the CRL on every member.
     */
    static void revokedClient() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"pki", "issue", "--spec", "examples/demo.yaml", "--dir", pkiDir.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
        PkiStore store = new PkiStore(pkiDir, Clock.systemUTC());
        CertRequest client = new CertRequest(
                "intruder",
                "intruder",
                List.of(),
                List.of(),
                List.of(),
                CertRequest.usagesFor(Role.CLIENT),
                Duration.ofDays(30),
                false);
        store.save(
                Signer.issue(
                        store.loadCa((char[]) null),
                        client,
                        KeySpec.ECDSA_P256,
                        Clock.systemUTC().instant()),
                false);
        assertEquals(
                0,
                Main.run(
                        new String[] {
                            "pki", "revoke", "intruder", "--reason", "key-compromise", "--dir", pkiDir.toString()
                        },
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
    }

    static void build(Path spec) {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"build", spec.toString(), "-o", out.toString(), "--pki", pkiDir.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
    }

    /**
     * The member's environment from the etcd-member drop-in, and its /etc/ssl/etcd files written
     * under {@code dir}, which stands for the wrapper's /etc/ssl/certs mount of {@code ETCD_SSL_DIR}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> fromIgnition(Path ignition, Path dir) throws Exception {
        Map<String, Object> root = new Yaml().load(Files.readString(ignition));
        Files.createDirectories(dir);
        for (Map<String, Object> f :
                (List<Map<String, Object>>) ((Map<String, Object>) root.get("storage")).get("files")) {
            String path = (String) f.get("path");
            if (path.startsWith("/etc/ssl/etcd/")) {
                String source = (String) ((Map<String, Object>) f.get("contents")).get("source");
                Path target = dir.resolve(path.substring("/etc/ssl/etcd/".length()));
                Files.writeString(
                        target, URLDecoder.decode(source.substring("data:,".length()), StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(
                        target,
                        java.nio.file.attribute.PosixFilePermissions.fromString(
                                ((Integer) f.get("mode")) == 0600 ? "rw-------" : "rw-r--r--"));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        String envFile = null;
        String sslDir = null;
        for (Map<String, Object> u :
                (List<Map<String, Object>>) ((Map<String, Object>) root.get("systemd")).get("units")) {
            if ("etcd-member.service".equals(u.get("name"))) {
                for (Map<String, Object> d : (List<Map<String, Object>>) u.get("dropins")) {
                    for (String line : ((String) d.get("contents")).split("\n")) {
                        if (line.startsWith("EnvironmentFile=")) {
                            envFile = line.substring("EnvironmentFile=".length());
                        }
                        if (line.startsWith("Environment=ETCD_SSL_DIR=")) {
                            sslDir = line.substring("Environment=ETCD_SSL_DIR=".length());
                        }
                    }
                }
            }
        }
        assertTrue(envFile != null, "the etcd-member drop-in names its environment file");
        assertEquals("/etc/ssl/etcd", sslDir, "the wrapper mounts the directory the TLS files are written to");
        for (Map<String, Object> f :
                (List<Map<String, Object>>) ((Map<String, Object>) root.get("storage")).get("files")) {
            if (envFile.equals(f.get("path"))) {
                String source = (String) ((Map<String, Object>) f.get("contents")).get("source");
                for (String line : URLDecoder.decode(source.substring("data:,".length()), StandardCharsets.UTF_8)
                        .split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        env.put(line.substring(0, eq), line.substring(eq + 1).replace("/etc/ssl/certs/", dir + "/"));
                    }
                }
            }
        }
        assertTrue(
                env.containsKey("ETCD_TRUSTED_CA_FILE") && env.containsKey("ETCD_PEER_CLIENT_CERT_AUTH"),
                env.toString());
        assertFalse(env.containsKey("ETCD_CA_FILE"));
        return env;
    }

    @Test
    void cluster_healthyOverMutualTls_withGeneratedOperatorCertificate() {
        ExecResult put = cluster.etcdctl(
                nodes.get("core-2"), "https://10.250.0.12:2379", operator, "put", "/stockade/it", "hello");
        assertEquals(0, put.exit(), put.describe());
        ExecResult get = cluster.etcdctl(
                nodes.get("core-3"), "https://10.250.0.13:2379", operator, "get", "/stockade/it", "--print-value-only");
        assertEquals(0, get.exit(), get.describe());
        assertEquals("hello", get.stdout().trim());
        ExecResult members =
                cluster.etcdctl(nodes.get("core-1"), "https://10.250.0.11:2379", operator, "member", "list");
        assertEquals(
                3,
                members.stdout()
                        .lines()
                        .filter(l -> l.contains("https://10.250.0.1"))
                        .count(),
                members.stdout());
        assertFalse(members.stdout().contains("http://"), members.stdout());
        for (Host n : nodes.values()) {
            assertTrue(cluster.log(n).contains("client-cert-auth = true"), "client certificate checks are on");
        }
    }

    @Test
    void client_withoutCertificate_rejected() {
        ExecResult r = cluster.etcdctl(
                nodes.get("core-2"), "https://10.250.0.11:2379", TlsClient.caOnly(operator.caFile()), "get", "x");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(cluster.log(nodes.get("core-1")).contains("client didn't provide a certificate"));
    }

    @Test
    void client_fromAnotherCa_rejected() throws Exception {
        Path other = tmp.resolve("other-pki");
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"pki", "issue", "--spec", "examples/demo.yaml", "--dir", other.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
        TlsClient stranger =
                new TlsClient(operator.caFile(), other.resolve("operator.pem"), other.resolve("operator-key.pem"));
        ExecResult r = cluster.etcdctl(nodes.get("core-3"), "https://10.250.0.11:2379", stranger, "get", "x");
        assertNotEquals(0, r.exit(), r.describe());
        assertTrue(cluster.log(nodes.get("core-1")).contains("certificate signed by unknown authority"));
    }

    @Test
    void client_revokedByCrl_rejectedWhileOthersWork() throws Exception {
        for (Host n : nodes.values()) {
            assertTrue(
                    cluster.log(n).matches("(?s).*client-cert-auth = true, crl-file = \\S+/crl\\.pem\n.*"),
                    "etcd was given the CRL: " + cluster.log(n));
        }
        TlsClient revoked =
                new TlsClient(operator.caFile(), pkiDir.resolve("intruder.pem"), pkiDir.resolve("intruder-key.pem"));
        ExecResult r = cluster.etcdctl(nodes.get("core-2"), "https://10.250.0.11:2379", revoked, "get", "x");
        assertNotEquals(0, r.exit(), r.describe());
        java.math.BigInteger serial = dev.stockade.pki.Pem.certificates(
                        "intruder.pem", Files.readString(pkiDir.resolve("intruder.pem")))
                .get(0)
                .getSerialNumber();
        // etcd's own CRL check, with the serial as big-endian bytes in hex
        String expected = "transport: certificate serial "
                + java.util.HexFormat.of().formatHex(serial.toByteArray()).replaceFirst("^00", "") + " revoked";
        assertTrue(
                cluster.log(nodes.get("core-1")).contains(expected),
                expected + "\n" + cluster.log(nodes.get("core-1")));
        ExecResult ok = cluster.etcdctl(nodes.get("core-2"), "https://10.250.0.11:2379", operator, "get", "x");
        assertEquals(0, ok.exit(), ok.describe());
    }

    @Test
    void plainHttp_fails() {
        ExecResult r = cluster.etcdctl(nodes.get("core-2"), "http://10.250.0.11:2379", TlsClient.NONE, "get", "x");
        assertNotEquals(0, r.exit(), r.describe());
    }

    @Test
    void etcdPorts_unreachableFromInternet() {
        List<ProbeResult> results = lab.probe(
                internet,
                List.of(
                        Probe.tcp("198.51.100.99", "10.250.0.11", 2379),
                        Probe.tcp("198.51.100.99", "10.250.0.11", 2380),
                        Probe.tcp("198.51.100.99", "198.51.100.12", 2379),
                        Probe.tcp("198.51.100.99", "10.250.0.13", 2380)));
        for (ProbeResult r : results) {
            assertFalse(r.reached(), r.toString());
            assertEquals("timeout", r.detail(), "dropped by the firewall, not refused: " + r);
        }
        // the same port is reachable for a member, so the probe itself works
        List<ProbeResult> peer = lab.probe(nodes.get("core-2"), List.of(Probe.tcp("10.250.0.12", "10.250.0.11", 2379)));
        assertTrue(peer.get(0).reached(), peer.toString());
    }

    @Test
    void certificateWithoutMemberIp_caughtByVerifyBeforeDeployment() throws Exception {
        Path broken = tmp.resolve("broken-pki");
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"pki", "issue", "--spec", "examples/demo.yaml", "--dir", broken.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
        PkiStore store = new PkiStore(broken, Clock.systemUTC());
        CertRequest noIp = new CertRequest(
                "core-2",
                "core-2",
                List.of(),
                List.of("core-2", "localhost"),
                List.of("127.0.0.1", "::1"),
                CertRequest.usagesFor(Role.PEER),
                Duration.ofDays(30),
                false);
        IssuedCertificate bad = Signer.issue(
                store.loadCa((char[]) null),
                noIp,
                KeySpec.ECDSA_P256,
                Clock.systemUTC().instant());
        store.save(bad, true);

        StringWriter o = new StringWriter();
        int code = Main.run(
                new String[] {"pki", "verify", "--spec", "examples/demo.yaml", "--dir", broken.toString()},
                new PrintWriter(o),
                new PrintWriter(new StringWriter()));
        assertEquals(1, code, o.toString());
        assertTrue(
                o.toString().contains("core-2.pem: error: the certificate does not cover 10.250.0.12"), o.toString());
        assertTrue(o.toString().contains("[PKI-SAN-MISSING]"));
    }
}
