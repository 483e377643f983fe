package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.NodeOutput;
import dev.stockade.spec.SpecLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

class RenderersTest {

    static BuildResult demo(String replace, String with) throws Exception {
        String text =
                java.nio.file.Files.readString(Path.of("examples/demo.yaml")).replace(replace, with);
        return ClusterBuilder.build(SpecLoader.parse("demo.yaml", text));
    }

    static String file(BuildResult r, int node, String name) {
        NodeOutput n = r.nodes().get(node);
        return new String(n.files().get(name).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void cloudConfig_firstLineUnderscoreKeysAndQuotedStrings() throws Exception {
        String cc = file(demo("", ""), 0, ClusterBuilder.CLOUD_CONFIG);
        assertTrue(cc.startsWith("#cloud-config\n"));
        Node root = new Yaml().compose(new java.io.StringReader(cc));
        walk(root, null);
    }

    /** Every key is a plain underscore word; every value scalar is double-quoted unless a boolean. */
    private static void walk(Node n, String key) {
        if (n instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                assertFalse(k.contains("-"), "hyphenated key " + k);
                walk(t.getValueNode(), k);
            }
        } else if (n instanceof SequenceNode) {
            ((SequenceNode) n).getValue().forEach(c -> walk(c, key));
        } else {
            ScalarNode s = (ScalarNode) n;
            boolean bool = s.getValue().equals("true") || s.getValue().equals("false");
            assertTrue(bool || s.getScalarStyle().getChar() == '"', "unquoted value of " + key + ": " + s.getValue());
            if (bool) {
                assertTrue(s.getScalarStyle().getChar() == null, key);
            }
        }
    }

    @Test
    void cloudConfig_permissionsStayOctalStrings() throws Exception {
        String cc = file(demo("", ""), 0, ClusterBuilder.CLOUD_CONFIG);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new Yaml().load(cc);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) m.get("write_files");
        assertTrue(files.stream()
                .allMatch(f -> f.get("permissions") instanceof String
                        && ((String) f.get("permissions")).matches("0[0-7]{3}")));
        assertTrue(files.stream()
                .anyMatch(f -> f.get("path").equals(NodePlanner.RULES_V4)
                        && ((String) f.get("content")).endsWith("COMMIT\n")));
    }

    @Test
    void ignition_etcdUsesTrustedCaAndClientCertAuth_neverCaFile() throws Exception {
        BuildResult r = demo("", "");
        String ign = file(r, 1, ClusterBuilder.IGNITION);
        assertTrue(ign.contains("\"ignition\": {\n    \"version\": \"3.3.0\""), ign.substring(0, 80));
        assertEquals(
                List.of(Map.of(
                        "name",
                        "20-stockade-etcd.conf",
                        "contents",
                        "[Service]\nEnvironment=ETCD_SSL_DIR=/etc/ssl/etcd\nEnvironmentFile=/etc/stockade/etcd.env\n")),
                unit(ign, "etcd-member.service").get("dropins"));
        String envFile = r.nodes().get(1).plan().files().stream()
                .filter(f -> f.path().equals("/etc/stockade/etcd.env"))
                .findFirst()
                .orElseThrow()
                .contents();
        assertTrue(ign.contains(IgnitionRenderer.dataUrl(envFile)));
        ign = envFile;
        // Flatcar's etcd-member wrapper mounts ETCD_SSL_DIR (/etc/ssl/etcd) at /etc/ssl/certs in etcd's container
        assertTrue(ign.contains("ETCD_TRUSTED_CA_FILE=/etc/ssl/certs/ca.pem\n"));
        assertTrue(ign.contains("ETCD_CLIENT_CERT_AUTH=true"));
        assertTrue(ign.contains("ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/certs/ca.pem\n"));
        assertTrue(ign.contains("ETCD_PEER_CLIENT_CERT_AUTH=true"));
        assertFalse(ign.contains("ETCD_CA_FILE"), "etcd 3.x ignores ETCD_CA_FILE");
        assertFalse(ign.contains("http://"), "etcd URLs are https only");
        assertTrue(ign.contains("ETCD_INITIAL_CLUSTER=core-1=https://10.250.0.11:2380,core-2=https://10.250.0.12:2380,"
                + "core-3=https://10.250.0.13:2380\n"));
    }

    @Test
    void ignition_rulesFilesDecodeToTheRulesOutput() throws Exception {
        BuildResult r = demo("", "");
        String ign = file(r, 0, ClusterBuilder.IGNITION);
        String rules = file(r, 0, ClusterBuilder.RULES_V4);
        String encoded = IgnitionRenderer.dataUrl(rules);
        assertTrue(ign.contains(encoded));
        assertEquals(rules, URLDecoder.decode(encoded.substring("data:,".length()), StandardCharsets.UTF_8));
        assertEquals(Boolean.TRUE, unit(ign, "iptables-restore.service").get("enabled"));
        assertEquals(Boolean.TRUE, unit(ign, "ip6tables-restore.service").get("enabled"));
    }

    @Test
    void ignition_sshClosed_masksSshdAndHasNoKeys() throws Exception {
        BuildResult r = demo("from: [office]", "from: []");
        String ign = file(r, 0, ClusterBuilder.IGNITION);
        assertEquals(Boolean.TRUE, unit(ign, "sshd.socket").get("mask"));
        assertEquals(Boolean.TRUE, unit(ign, "sshd.service").get("mask"));
        assertFalse(ign.contains("\"passwd\""), "the spec's keys are not installed while SSH is closed");
        assertFalse(file(r, 0, ClusterBuilder.RULES_V4).contains("--dport 22 "));
    }

    @Test
    void etcdMembers_onlyMembersRunEtcdAndPeerOnlyWithMembers() throws Exception {
        BuildResult r = demo("etcd: {tls: true, clients_from: [cluster]}", "etcd: {members: [core-1, core-2, core-3]}");
        assertTrue(file(r, 0, ClusterBuilder.RULES_V4).contains("--dport 2380"));
        String text = java.nio.file.Files.readString(Path.of("examples/demo.yaml"))
                .replace(
                        "  - {name: core-3, private: 10.250.0.13, public: [198.51.100.13, \"2001:db8:1::13\"]}",
                        "  - {name: core-3, private: 10.250.0.13, public: [198.51.100.13, \"2001:db8:1::13\"]}\n"
                                + "  - {name: worker-1, private: 10.250.0.21}")
                .replace("etcd: {tls: true, clients_from: [cluster]}", "etcd: {members: [core-1, core-2, core-3]}");
        BuildResult w = ClusterBuilder.build(SpecLoader.parse("demo.yaml", text));
        assertFalse(file(w, 3, ClusterBuilder.RULES_V4).contains("--dport 2380"), "a non-member opens no etcd port");
        assertFalse(file(w, 0, ClusterBuilder.RULES_V4).contains("10.250.0.21/32 -i eth1 -p tcp -m tcp --dport 2380"));
        assertFalse(
                w.nodes().get(3).plan().files().stream().anyMatch(f -> f.path().equals("/etc/stockade/etcd.env")));
        String env = w.nodes().get(0).plan().files().stream()
                .filter(f -> f.path().equals("/etc/stockade/etcd.env"))
                .findFirst()
                .orElseThrow()
                .contents();
        assertFalse(env.contains("worker-1"), env);
        String lock = w.nodes().get(3).plan().units().stream()
                .filter(u -> u.name().equals("locksmithd.service"))
                .findFirst()
                .orElseThrow()
                .dropins()
                .get(0)
                .contents();
        assertTrue(
                lock.contains(
                        "LOCKSMITHD_ENDPOINT=https://10.250.0.11:2379,https://10.250.0.12:2379,https://10.250.0.13:2379"),
                lock);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> unit(String ignition, String name) {
        Map<String, Object> root = new Yaml().load(ignition);
        List<Map<String, Object>> units =
                (List<Map<String, Object>>) ((Map<String, Object>) root.get("systemd")).get("units");
        return units.stream()
                .filter(u -> name.equals(u.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no unit " + name));
    }

    @Test
    void fcos_definesRestoreUnitsAndNoCloudConfig() throws Exception {
        BuildResult r = ClusterBuilder.build(SpecLoader.parse(
                "demo.yaml",
                java.nio.file.Files.readString(Path.of("examples/demo.yaml"))
                        .replace("target: flatcar", "target: fcos")
                        .replace("updates: etcd-lock", "updates: reboot")));
        String ign = file(r, 0, ClusterBuilder.IGNITION);
        assertTrue(ign.contains("ExecStart=/usr/sbin/iptables-restore -w -- /var/lib/iptables/rules-save"));
        assertTrue(ign.contains("ExecStart=/usr/sbin/ip6tables-restore -w -- /var/lib/ip6tables/rules-save"));
        assertTrue(ign.contains(IgnitionRenderer.dataUrl("SELINUX=enforcing\nSELINUXTYPE=targeted\n")));
        assertFalse(r.nodes().get(0).files().containsKey(ClusterBuilder.CLOUD_CONFIG));
    }

    @Test
    void build_unknownPrivateAddress_leavesEtcdOutAndSaysSo() throws Exception {
        BuildResult r = demo("{name: core-3, private: 10.250.0.13, ", "{name: core-3, ");
        assertTrue(r.isProvisional());
        String ign = file(r, 0, ClusterBuilder.IGNITION);
        assertFalse(ign.contains("etcd.env"));
        assertTrue(r.nodes().get(0).plan().provisional().stream().anyMatch(p -> p.contains("core-3")));
    }

    @Test
    void tls_withCrl_placedBesideTheCaAndNamedForClientsAndPeers() throws Exception {
        for (String target : List.of("flatcar", "fcos")) {
            String text = java.nio.file.Files.readString(Path.of("examples/demo.yaml"))
                    .replace("target: flatcar", "target: " + target)
                    .replace("updates: etcd-lock", "updates: reboot");
            dev.stockade.spec.LoadedSpec loaded = SpecLoader.parse("demo.yaml", text);
            Map<String, NodeTls> with = new java.util.HashMap<>();
            Map<String, NodeTls> without = new java.util.HashMap<>();
            loaded.spec().nodes().forEach(n -> {
                with.put(n.name(), new NodeTls("CA\n", "CERT\n", "KEY\n", java.util.Optional.of("CRL\n")));
                without.put(n.name(), new NodeTls("CA\n", "CERT\n", "KEY\n"));
            });
            NodePlan plan = ClusterBuilder.build(loaded, with).nodes().get(0).plan();
            ProvisionedFile crl = plan.files().stream()
                    .filter(f -> f.path().equals("/etc/ssl/etcd/crl.pem"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("CRL\n", crl.contents());
            assertEquals(0644, crl.mode());
            String env = plan.files().stream()
                    .filter(f -> f.path().equals("/etc/stockade/etcd.env"))
                    .findFirst()
                    .orElseThrow()
                    .contents();
            String inContainer = target.equals("fcos") ? "/etc/ssl/etcd/crl.pem" : "/etc/ssl/certs/crl.pem";
            assertTrue(env.contains("ETCD_CLIENT_CRL_FILE=" + inContainer + "\n"), target + "\n" + env);
            assertTrue(env.contains("ETCD_PEER_CRL_FILE=" + inContainer + "\n"), target + "\n" + env);
            NodePlan plain =
                    ClusterBuilder.build(loaded, without).nodes().get(0).plan();
            assertFalse(plain.files().stream().anyMatch(f -> f.path().endsWith("crl.pem")));
            assertFalse(
                    plain.files().stream().anyMatch(f -> f.contents().contains("CRL_FILE")),
                    "no CRL, no CRL settings: etcd would not start without the file");
        }
    }

    @Test
    void tls_filesPlacedWithOwnerEtcdAndKeyMode0600() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("examples/demo.yaml"));
        dev.stockade.spec.LoadedSpec loaded = SpecLoader.parse("demo.yaml", text);
        Map<String, NodeTls> tls = new java.util.HashMap<>();
        loaded.spec()
                .nodes()
                .forEach(n ->
                        tls.put(n.name(), new NodeTls("CA\n", "CERT " + n.name() + "\n", "KEY " + n.name() + "\n")));
        BuildResult r = ClusterBuilder.build(loaded, tls);
        NodePlan plan = r.nodes().get(1).plan();
        ProvisionedFile key = plan.files().stream()
                .filter(f -> f.path().equals(EtcdPaths.KEY))
                .findFirst()
                .orElseThrow();
        assertEquals(0600, key.mode());
        assertEquals("etcd", key.owner());
        assertEquals("KEY core-2\n", key.contents());
        assertFalse(key.toString().contains("KEY core-2"), "a file record never prints its contents");
        String ign = file(r, 1, ClusterBuilder.IGNITION);
        assertTrue(ign.contains(IgnitionRenderer.dataUrl("KEY core-2\n")));
        String cc = file(r, 1, ClusterBuilder.CLOUD_CONFIG);
        assertTrue(
                cc.contains(
                        "path: \"/etc/ssl/etcd/node-key.pem\"\n    permissions: \"0600\"\n    owner: \"etcd:etcd\""),
                cc);
        assertTrue(
                r.nodes().get(1).plan().provisional().isEmpty(),
                r.nodes().get(1).plan().provisional()::toString);
    }
}
