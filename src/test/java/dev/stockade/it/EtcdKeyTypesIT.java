package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Go's TLS stack (etcd) reads Stockade's keys of every type: a one-member cluster per key type,
 * started from the generated Ignition, answers a health check over mutual TLS.
 */
class EtcdKeyTypesIT {

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"})
    void etcd_acceptsEveryKeyType(String key) throws Exception {
        Path tmp = EtcdCluster.createWorkDir();
        try (NetnsLab lab = NetnsLab.create()) {
            Path spec = tmp.resolve("one.yaml");
            Files.writeString(
                    spec,
                    String.join(
                            "\n",
                            "stockade: 1",
                            "cluster: one",
                            "target: flatcar",
                            "interfaces: {public: eth0, private: eth1}",
                            "nodes:",
                            "  - {name: solo, private: 10.250.7.1}",
                            "admin: {ssh: {from: []}}",
                            "etcd: {clients_from: [10.250.7.0/24]}",
                            "pki: {key: " + key + "}",
                            ""));
            StringWriter err = new StringWriter();
            int code = Main.run(
                    new String[] {
                        "build",
                        spec.toString(),
                        "-o",
                        tmp.resolve("out").toString(),
                        "--pki",
                        tmp.resolve("pki").toString()
                    },
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err));
            assertEquals(0, code, err.toString());
            Segment lan = lab.segment("lan");
            Host solo = lab.host("solo");
            lab.attach(solo, "eth1", lan, "10.250.7.1/24");
            Host client = lab.host("client");
            lab.attach(client, "eth1", lan, "10.250.7.50/24");
            Path dir = tmp.resolve("out/one/solo");
            lab.loadRules(solo, dir.resolve("iptables.rules"), dir.resolve("ip6tables.rules"));
            Map<String, String> env = EtcdTlsClusterIT.fromIgnition(dir.resolve("ignition.json"), tmp.resolve("tls"));
            Path pki = tmp.resolve("pki");
            TlsClient operator =
                    new TlsClient(pki.resolve("ca.pem"), pki.resolve("operator.pem"), pki.resolve("operator-key.pem"));
            try (EtcdCluster cluster =
                    EtcdCluster.start(lab, Map.of(solo, env), Files.createDirectories(tmp.resolve("etcd")))) {
                cluster.awaitHealthy(client, "https://10.250.7.1:2379", operator);
                ExecResult put = cluster.etcdctl(client, "https://10.250.7.1:2379", operator, "put", "k", key);
                assertEquals(0, put.exit(), put.describe());
            }
        } finally {
            EtcdCluster.deleteWorkDir(tmp);
        }
    }
}
