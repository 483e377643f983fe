package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Suggestions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecLoaderTest {

    static final String VALID = String.join(
            "\n",
            "stockade: 1",
            "cluster: t",
            "target: flatcar",
            "interfaces: {public: eth0, private: eth1}",
            "nodes:",
            "  - {name: a, private: 10.250.0.1, public: [198.51.100.1, \"2001:db8::1\"]}",
            "  - {name: b, private: 10.250.0.2}",
            "  - {name: c, private: 10.250.0.3}",
            "sources:",
            "  office: [203.0.113.0/24]",
            "admin:",
            "  ssh: {from: [office], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]}",
            "etcd: {tls: true}",
            "services:",
            "  - {name: web, port: 443, from: any}",
            "");

    static Diagnostic onlyError(String text) {
        InputException e = assertThrows(InputException.class, () -> SpecLoader.parse("s.yaml", text));
        assertEquals(1, e.diagnostics().size(), () -> "expected one error, got " + e.diagnostics());
        return e.diagnostics().get(0);
    }

    static void assertAt(Diagnostic d, String code, int line, int col) {
        assertEquals(code, d.code(), d::toString);
        assertEquals(line, d.span().line(), d::toString);
        assertEquals(col, d.span().column(), d::toString);
    }

    @Test
    void parse_validSpec_buildsModel() throws Exception {
        ClusterSpec s = SpecLoader.parse("s.yaml", VALID).spec();
        assertEquals("t", s.cluster());
        assertEquals(3, s.nodes().size());
        assertEquals("10.250.0.1", s.nodes().get(0).privateV4().orElseThrow().toString());
        assertEquals(2, s.nodes().get(0).publicAddresses().size());
        assertTrue(s.etcd().isPresent());
        assertEquals(2379, s.etcd().get().clientPort());
        assertEquals("office", s.ssh().from().get(0).text());
    }

    @Test
    void parse_bundledExample_loadsWithoutWarnings() throws Exception {
        LoadedSpec loaded = SpecLoader.load(Path.of("examples/demo.yaml"));
        assertEquals(List.of(), loaded.warnings());
        assertEquals("demo", loaded.spec().cluster());
    }

    @Test
    void parse_unknownKey_suggestsClosest() {
        Diagnostic d = onlyError(VALID.replace("interfaces: {public:", "interfaces: {pubilc:"));
        assertAt(d, "SPEC-UNKNOWN-KEY", 4, 14);
        assertEquals("did you mean 'public'?", d.hint());
    }

    @Test
    void parse_topLevelTypo_suggestsClosest() {
        Diagnostic d = onlyError(VALID.replace("services:", "servics:"));
        assertAt(d, "SPEC-UNKNOWN-KEY", 14, 1);
        assertEquals("did you mean 'services'?", d.hint());
    }

    @Test
    void parse_badCidr_pointsAtValue() {
        Diagnostic d = onlyError(VALID.replace("203.0.113.0/24", "203.0.113.0/40"));
        assertAt(d, "SPEC-ADDRESS", 10, 12);
    }

    @Test
    void parse_hostBitsInCidr_suggestsNetwork() {
        Diagnostic d = onlyError(VALID.replace("203.0.113.0/24", "203.0.113.9/24"));
        assertTrue(d.message().contains("did you mean 203.0.113.0/24"), d::toString);
    }

    @Test
    void parse_ipv6InIpv4Field_familyError() {
        Diagnostic d = onlyError(VALID.replace("private: 10.250.0.2", "private: \"2001:db8::2\""));
        assertAt(d, "SPEC-FAMILY", 7, 24);
    }

    @Test
    void parse_ipv4InIpv6Field_familyError() {
        Diagnostic d = onlyError(VALID.replace("private: 10.250.0.2}", "private: 10.250.0.2, private_ipv6: 10.0.0.2}"));
        assertEquals("SPEC-FAMILY", d.code());
    }

    @Test
    void parse_portOutOfRange_pointsAtPort() {
        Diagnostic d = onlyError(VALID.replace("port: 443", "port: 70000"));
        assertAt(d, "SPEC-PORT", 15, 23);
        assertTrue(d.message().contains("70000"));
    }

    @Test
    void parse_duplicateNode_namesFirstLine() {
        Diagnostic d = onlyError(VALID.replace("{name: c, private: 10.250.0.3}", "{name: b, private: 10.250.0.3}"));
        assertAt(d, "SPEC-DUPLICATE-NODE", 8, 5);
        assertTrue(d.message().contains("line 7"));
    }

    @Test
    void parse_duplicateAddress_isError() {
        Diagnostic d = onlyError(VALID.replace("private: 10.250.0.3", "private: 10.250.0.2"));
        assertEquals("SPEC-DUPLICATE-ADDRESS", d.code());
    }

    @Test
    void parse_serviceWithoutPorts_isError() {
        Diagnostic d = onlyError(VALID.replace("{name: web, port: 443, from: any}", "{name: web, from: any}"));
        assertAt(d, "SPEC-NO-PORTS", 15, 5);
    }

    @Test
    void parse_unknownSourceName_suggests() {
        Diagnostic d = onlyError(VALID.replace("from: [office]", "from: [ofice]"));
        assertEquals("SPEC-REFERENCE", d.code());
        assertEquals("did you mean 'office'?", d.hint());
    }

    @Test
    void parse_unknownNodeInService_isError() {
        Diagnostic d = onlyError(VALID.replace("from: any}", "from: any, nodes: [z]}"));
        assertEquals("SPEC-REFERENCE", d.code());
    }

    @Test
    void parse_syntaxError_hasPosition() {
        Diagnostic d = onlyError("stockade: 1\ncluster: t\n  target: [flatcar\n");
        assertEquals("SPEC-SYNTAX", d.code());
        assertEquals(3, d.span().line());
    }

    @Test
    void parse_emptyAndCommentOnly_isError() {
        assertAt(onlyError(""), "SPEC-EMPTY", 1, 1);
        assertAt(onlyError("# nothing\n\n"), "SPEC-EMPTY", 1, 1);
    }

    @Test
    void parse_duplicateKey_isError() {
        Diagnostic d = onlyError(VALID + "cluster: again\n");
        assertEquals("SPEC-DUPLICATE-KEY", d.code());
    }

    @Test
    void parse_manyProblems_reportsAllSortedByLine() {
        String text = VALID.replace("port: 443", "port: 0")
                .replace("203.0.113.0/24", "nope")
                .replace("pubilc", "x")
                .replace("target: flatcar", "target: flatcat");
        InputException e = assertThrows(InputException.class, () -> SpecLoader.parse("s.yaml", text));
        List<Integer> lines = e.diagnostics().stream().map(d -> d.span().line()).toList();
        assertEquals(List.of(3, 10, 15), lines, e.diagnostics()::toString);
        assertEquals("did you mean 'flatcar'?", e.diagnostics().get(0).hint());
    }

    @Test
    void parse_yaml11Pitfalls_readAsWritten() throws Exception {
        // 'no' would be false and 22:00 sexagesimal 1320 under YAML 1.1 resolution
        String text = VALID.replace("cluster: t", "cluster: no").replace("port: 443", "ports: [\"30-40\", 1100]");
        ClusterSpec s = SpecLoader.parse("s.yaml", text).spec();
        assertEquals("no", s.cluster());
        assertEquals("30-40", s.services().get(0).ports().get(0).toString());
    }

    @Test
    void parse_etcdWithoutTls_refused() {
        assertEquals(
                "SPEC-ETCD-PLAINTEXT",
                onlyError(VALID.replace("tls: true", "tls: false")).code());
    }

    @Test
    void parse_serviceOnSshPort_refused() {
        assertEquals(
                "SPEC-PORT-CONFLICT",
                onlyError(VALID.replace("port: 443", "port: 22")).code());
    }

    @Test
    void parse_missingAddresses_warnsProvisional() throws Exception {
        LoadedSpec l = SpecLoader.parse("s.yaml", VALID.replace("{name: c, private: 10.250.0.3}", "{name: c}"));
        assertTrue(l.warnings().stream().anyMatch(w -> w.code().equals("SPEC-PROVISIONAL")), l.warnings()::toString);
    }

    @Test
    void parse_sshClosed_warns() throws Exception {
        LoadedSpec l = SpecLoader.parse("s.yaml", VALID.replace("from: [office], keys", "from: [], keys"));
        assertTrue(l.spec().ssh().from().isEmpty());
        assertTrue(l.warnings().stream().anyMatch(w -> w.code().equals("SPEC-SSH-CLOSED")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFEFF", "\u0085", "%YAML 1.1", "\uFEFF\n", "%YAML 1.1\n# nothing else\n", "\u0085\u0085"})
    void parse_streamWithoutDocument_emptyErrorAtStart(String text) {
        Diagnostic d = onlyError(text);
        assertAt(d, "SPEC-EMPTY", 1, 1);
        assertTrue(d.hint().contains("examples/demo.yaml"), d::toString);
    }

    @Test
    void load_fileWithByteOrderMark_readsAndCountsColumnsAsEditors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(f, concat(bom, VALID.getBytes(StandardCharsets.UTF_8)));
        assertEquals("t", SpecLoader.load(f).spec().cluster());
        Files.write(f, concat(bom, "cluster: t\n".getBytes(StandardCharsets.UTF_8)));
        InputException e = assertThrows(InputException.class, () -> SpecLoader.load(f));
        assertAt(e.diagnostics().get(0), "SPEC-MISSING", 1, 1);
        Files.write(f, concat(bom, "stockade: 1\nclustr: t\n".getBytes(StandardCharsets.UTF_8)));
        e = assertThrows(InputException.class, () -> SpecLoader.load(f));
        assertTrue(e.diagnostics().stream()
                .anyMatch(d -> d.code().equals("SPEC-UNKNOWN-KEY")
                        && d.span().line() == 2
                        && d.span().column() == 1));
    }

    @Test
    void parse_nestingBeyondLimit_limitErrorAtTheDeepCollection() {
        // the top mapping is level 1, so the 50th '[' opens level 51
        Diagnostic d = onlyError("stockade: 1\ncluster: " + "[".repeat(60) + "]".repeat(60) + "\n");
        assertAt(d, "SPEC-LIMIT", 2, 10 + 49);
        assertTrue(d.message().contains("50"), d::toString);
    }

    @Test
    void parse_nestingOfAMillionLevels_limitErrorNotStackOverflow() {
        assertAt(onlyError("a: " + "[".repeat(1_000_000)), "SPEC-LIMIT", 1, 4 + 49);
        assertAt(onlyError("- ".repeat(100_000) + "x"), "SPEC-LIMIT", 1, 1 + 2 * 50);
    }

    @Test
    void parse_aliasExpansionBomb_limitErrorAtTheAlias() {
        StringBuilder b = new StringBuilder("stockade: 1\nsources:\n  a: &a [x, x]\n");
        for (int i = 0; i < 60; i++) {
            b.append("  b").append(i).append(": *a\n");
        }
        Diagnostic d = onlyError(b.toString());
        assertAt(d, "SPEC-LIMIT", 4 + 50, 8);
    }

    @Test
    void parse_aliasInsideItsOwnCollection_aliasError() {
        assertAt(onlyError(VALID.replace("nodes:\n", "nodes: &n\n  - *n\n")), "SPEC-ALIAS", 6, 5);
        assertAt(onlyError("stockade: 1\nsources: &s {a: *s}\n"), "SPEC-ALIAS", 2, 17);
    }

    @Test
    void parse_tagEscapingAControlCharacter_syntaxErrorAtTheValue() {
        // found by fuzzing: SnakeYAML's composer threw IllegalArgumentException for such a tag
        Diagnostic d = onlyError("stockade: 1\ncluster: !a%1e x\n");
        assertAt(d, "SPEC-SYNTAX", 2, 10);
        assertTrue(d.message().contains("tag"), d::toString);
        assertAt(onlyError("!./k%1e"), "SPEC-SYNTAX", 1, 1);
    }

    @Test
    void parse_keyWithLineBreak_messageStaysOnOneLine() {
        Diagnostic d = onlyError(VALID.replace("etcd: {tls: true}", "\"et\\ncd\": {tls: true}"));
        assertAt(d, "SPEC-UNKNOWN-KEY", 13, 1);
        assertEquals("unknown key 'et\\u000acd' in the spec", d.message());
    }

    @Test
    void parse_nulCharacter_syntaxErrorAtTheCharacter() {
        Diagnostic d = onlyError("stockade: 1\ncluster: a\u0000b\n");
        assertAt(d, "SPEC-SYNTAX", 2, 11);
        assertTrue(d.message().contains("U+0000"), d::toString);
    }

    static Diagnostic onlyWarning(String text) throws InputException {
        List<Diagnostic> w = SpecLoader.parse("s.yaml", text).warnings();
        assertEquals(1, w.size(), w::toString);
        assertEquals(dev.stockade.report.Severity.WARNING, w.get(0).severity(), w::toString);
        return w.get(0);
    }

    @Test
    void parse_nameTwiceInAList_duplicateErrorAtTheRepeat() {
        Diagnostic member = onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true, members: [a, b, a]}"));
        assertAt(member, "SPEC-DUPLICATE", 13, 35);
        assertEquals("'a' is listed twice in etcd.members", member.message());
        Diagnostic client =
                onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {clients: [ops, ops]}"));
        assertAt(client, "SPEC-DUPLICATE", 14, 22);
        assertEquals("client 'ops' is listed twice", client.message());
        assertEquals("remove the repeated name", client.hint());
    }

    @Test
    void parse_clientNamedLikeANode_duplicateErrorAtTheNode() {
        Diagnostic d = onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {clients: [ops, b]}"));
        assertAt(d, "SPEC-DUPLICATE", 7, 5);
        assertEquals("node 'b' has the name of a pki client; their certificate files would collide", d.message());
        // the default client, operator, is taken by a node of that name too
        assertAt(
                onlyError(VALID.replace("{name: c, private: 10.250.0.3}", "{name: operator, private: 10.250.0.3}")),
                "SPEC-DUPLICATE",
                8,
                5);
    }

    @Test
    void parse_nodeOrClientNamedCa_reservedNameError() {
        // ca.pem is the CA: a node's certificate of that name made 'pki renew' replace the CA with a leaf
        Diagnostic node = onlyError(VALID.replace("{name: c, private: 10.250.0.3}", "{name: ca, private: 10.250.0.3}"));
        assertAt(node, "SPEC-NAME", 8, 5);
        assertTrue(node.message().startsWith("node name 'ca' is reserved for the cluster CA"), node::toString);
        assertEquals("rename the node; its host name can stay: hostname: ca", node.hint());
        Diagnostic client = onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {clients: [ca]}"));
        assertAt(client, "SPEC-NAME", 14, 17);
        assertTrue(client.message().startsWith("client name 'ca' is reserved for the cluster CA"), client::toString);
    }

    @Test
    void parse_nodeOrClientNamedCrl_reservedNameError() {
        // crl.pem is the CA's revocation list (pki revoke): a certificate of that name would replace it
        Diagnostic node =
                onlyError(VALID.replace("{name: c, private: 10.250.0.3}", "{name: crl, private: 10.250.0.3}"));
        assertAt(node, "SPEC-NAME", 8, 5);
        assertTrue(
                node.message().startsWith("node name 'crl' is reserved for the CA's revocation list"), node::toString);
        Diagnostic client = onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {clients: [crl]}"));
        assertAt(client, "SPEC-NAME", 14, 17);
        assertTrue(
                client.message().startsWith("client name 'crl' is reserved for the CA's revocation list"),
                client::toString);
    }

    @Test
    void parse_crlDays_defaultSevenAtMost366() throws Exception {
        assertEquals(7, SpecLoader.parse("t.yaml", VALID).spec().pki().crlDays());
        assertEquals(
                30,
                SpecLoader.parse("t.yaml", VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {crl_days: 30}"))
                        .spec()
                        .pki()
                        .crlDays());
        Diagnostic d = onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {crl_days: 400}"));
        assertAt(d, "SPEC-VALUE", 14, 17);
        assertEquals("pki.crl_days must be at most 366, not 400", d.message());
        assertAt(
                onlyError(VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {crl_days: 0}")),
                "SPEC-VALUE",
                14,
                17);
    }

    @Test
    void parse_firewall_iptablesByDefault_nftablesWhereTheTargetShipsNft() throws Exception {
        assertEquals(
                FirewallBackend.IPTABLES,
                SpecLoader.parse("t.yaml", VALID).spec().firewall());
        String nft = VALID.replace("target: flatcar\n", "target: flatcar\nfirewall: nftables\n");
        assertEquals(
                FirewallBackend.NFTABLES, SpecLoader.parse("t.yaml", nft).spec().firewall());
        assertEquals(
                FirewallBackend.NFTABLES,
                SpecLoader.parse("t.yaml", nft.replace("target: flatcar", "target: fcos"))
                        .spec()
                        .firewall());
        Diagnostic unknown = onlyError(nft.replace("firewall: nftables", "firewall: nft"));
        assertAt(unknown, "SPEC-VALUE", 4, 11);
        assertEquals("unknown firewall 'nft'", unknown.message());
        Diagnostic legacy = onlyError(nft.replace("target: flatcar", "target: container-linux"));
        assertAt(legacy, "SPEC-VALUE", 4, 11);
        assertTrue(legacy.message().contains("CoreOS Container Linux does not ship"), legacy::message);
        assertTrue(legacy.hint().contains("firewall: iptables"), legacy::hint);
    }

    @Test
    void parse_pkiDeliver_userdataByDefault_sshNeedsOpenSsh() throws Exception {
        assertEquals(
                dev.stockade.pki.PkiSpec.Delivery.USERDATA,
                SpecLoader.parse("t.yaml", VALID).spec().pki().deliver());
        String ssh = VALID.replace("etcd: {tls: true}", "etcd: {tls: true}\npki: {deliver: ssh}");
        assertEquals(
                dev.stockade.pki.PkiSpec.Delivery.SSH,
                SpecLoader.parse("t.yaml", ssh).spec().pki().deliver());
        Diagnostic unknown = onlyError(ssh.replace("deliver: ssh", "deliver: scp"));
        assertAt(unknown, "SPEC-VALUE", 14, 16);
        assertEquals("unknown pki.deliver 'scp'", unknown.message());
        Diagnostic closed = onlyError(ssh.replace("from: [office], ", "from: [], "));
        assertAt(closed, "SPEC-VALUE", 14, 16);
        assertEquals("pki.deliver: ssh needs SSH to the nodes, but admin.ssh leaves sshd masked", closed.message());
    }

    @Test
    void parse_invalidClusterName_nameErrorAtTheValue() {
        Diagnostic d = onlyError(VALID.replace("cluster: t", "cluster: My_Cluster"));
        assertAt(d, "SPEC-NAME", 2, 10);
        assertEquals("cluster name 'My_Cluster' is not a valid name", d.message());
        assertTrue(d.hint().contains("DNS label"), d::toString);
    }

    @Test
    void parse_serviceNameTwice_duplicateServiceAtTheSecond() {
        Diagnostic d = onlyError(VALID.replace(
                "  - {name: web, port: 443, from: any}",
                "  - {name: web, port: 443, from: any}\n  - {name: web, port: 8443, from: any}"));
        assertAt(d, "SPEC-DUPLICATE-SERVICE", 16, 5);
        assertEquals("service name 'web' is used twice (first at line 15)", d.message());
    }

    @Test
    void parse_evenMembers_evenWarningAtEtcd() throws Exception {
        Diagnostic d = onlyWarning(VALID.replace("etcd: {tls: true}", "etcd: {tls: true, members: [a, b]}"));
        assertAt(d, "SPEC-ETCD-EVEN", 13, 7);
        assertEquals("etcd with 2 members tolerates no more failures than with 1", d.message());
    }

    @Test
    void parse_etcdOnEightNodes_largeWarningAtEtcd() throws Exception {
        StringBuilder more = new StringBuilder("  - {name: c, private: 10.250.0.3}");
        for (char n = 'd'; n <= 'h'; n++) {
            more.append("\n  - {name: ")
                    .append(n)
                    .append(", private: 10.250.0.")
                    .append(n - 'a' + 1)
                    .append('}');
        }
        Diagnostic d = onlyWarning(VALID.replace("  - {name: c, private: 10.250.0.3}", more));
        assertAt(d, "SPEC-ETCD-LARGE", 18, 7);
        assertEquals("etcd runs on all 8 nodes; more than 7 members only slow it down", d.message());
        assertTrue(d.hint().contains("etcd.members"), d::toString);
    }

    @Test
    void parse_ipv6EtcdClientSource_v6WarningAtTheSource() throws Exception {
        Diagnostic d = onlyWarning(
                VALID.replace("etcd: {tls: true}", "etcd: {tls: true, clients_from: [cluster, \"2001:db8:1::/48\"]}"));
        assertAt(d, "SPEC-ETCD-V6", 13, 43);
        assertTrue(d.message().contains("IPv6 client source 2001:db8:1::/48 cannot reach it"), d::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"any", "[0.0.0.0/0]"})
    void parse_sshFromEverywhere_anyWarningAtTheSource(String from) throws Exception {
        Diagnostic d = onlyWarning(VALID.replace("from: [office], keys", "from: " + from + ", keys"));
        assertAt(d, "SPEC-SSH-ANY", 12, from.equals("any") ? 15 : 16);
        assertEquals("SSH is open to the whole internet", d.message());
    }

    @Test
    void parse_sshOpenWithoutKeys_noKeysWarningAtSsh() throws Exception {
        Diagnostic d = onlyWarning(VALID.replace(
                ", keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]",
                ""));
        assertAt(d, "SPEC-SSH-NO-KEYS", 12, 8);
        assertEquals("SSH is open but no keys are given for the core user", d.message());
    }

    @Test
    void parse_notAnSshKey_keyErrorAtTheKey() {
        Diagnostic d = onlyError(VALID.replace(
                "keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]",
                "keys: [\"not a key\"]"));
        assertAt(d, "SPEC-SSH-KEY", 12, 32);
        assertEquals("not an OpenSSH public key", d.message());
        assertTrue(d.hint().contains(".pub"), d::toString);
    }

    @Test
    void parse_invalidNodeName_stillReportsTheNodesOtherErrors() {
        InputException e = assertThrows(
                InputException.class,
                () -> SpecLoader.parse(
                        "s.yaml",
                        VALID.replace("{name: c, private: 10.250.0.3}", "{name: C_1, private: 10.250.0.300}")));
        List<String> codes = e.diagnostics().stream().map(Diagnostic::code).toList();
        assertEquals(List.of("SPEC-NAME", "SPEC-ADDRESS"), codes, e.diagnostics()::toString);
        assertEquals(8, e.diagnostics().get(1).span().line());
    }

    @Test
    void parse_nonMemberWithoutPrivateAddress_provisionalWhereClusterIsUsed() throws Exception {
        String spec = VALID.replace("etcd: {tls: true}", "etcd: {tls: true, members: [a, b]}")
                .replace("{name: c, private: 10.250.0.3}", "{name: c, public: 198.51.100.3}");
        List<Diagnostic> warnings = SpecLoader.parse("s.yaml", spec).warnings();
        List<Diagnostic> provisional = warnings.stream()
                .filter(w -> w.code().equals("SPEC-PROVISIONAL"))
                .toList();
        assertEquals(1, provisional.size(), warnings::toString);
        assertEquals(8, provisional.get(0).span().line());
        assertTrue(provisional.get(0).message().contains("'cluster' in etcd.clients_from"), warnings::toString);
        // without any 'cluster' source the missing address matters nowhere
        String noCluster = spec.replace(
                "etcd: {tls: true, members: [a, b]}", "etcd: {tls: true, members: [a, b], clients_from: [office]}");
        assertTrue(SpecLoader.parse("s.yaml", noCluster).warnings().stream()
                .noneMatch(w -> w.code().equals("SPEC-PROVISIONAL")));
    }

    @Test
    void parse_fcosCustomSshPortWithSelinuxEnforcing_refusedAtTheSshEntry() throws Exception {
        String fcos = VALID.replace("target: flatcar", "target: fcos").replace("keys: [", "port: 2222, keys: [");
        Diagnostic d = onlyError(fcos);
        assertAt(d, "SPEC-SSH-PORT", 12, 8);
        assertTrue(d.hint().contains("hardening.selinux: permissive"), d::toString);
        // permissive SELinux, port 22, or another target: accepted
        SpecLoader.parse("s.yaml", fcos + "hardening: {selinux: permissive}\n");
        SpecLoader.parse("s.yaml", fcos.replace("port: 2222, ", ""));
        SpecLoader.parse("s.yaml", VALID.replace("keys: [", "port: 2222, keys: ["));
    }

    @Test
    void parse_etcdClientsFromAGroupWithIpv6_warnsAtTheReference() throws Exception {
        String spec = VALID.replace("office: [203.0.113.0/24]", "office: [203.0.113.0/24, \"2001:db8:ad::/48\"]")
                .replace("etcd: {tls: true}", "etcd: {tls: true, clients_from: [office]}");
        List<Diagnostic> v6 = SpecLoader.parse("s.yaml", spec).warnings().stream()
                .filter(w -> w.code().equals("SPEC-ETCD-V6"))
                .toList();
        assertEquals(1, v6.size(), v6::toString);
        assertEquals(13, v6.get(0).span().line());
        assertTrue(v6.get(0).message().contains("source office"), v6::toString);
    }

    @Test
    void parse_etcdLockWithoutEtcd_errorAtTheUpdatesValue() {
        Diagnostic d = onlyError(VALID.replace("etcd: {tls: true}", "hardening:\n  updates: etcd-lock"));
        assertAt(d, "SPEC-MISSING", 14, 12);
        assertEquals("s.yaml", d.span().file());
        Diagnostic fcos = onlyError(VALID.replace("target: flatcar", "target: fcos")
                .replace("etcd: {tls: true}", "etcd: {tls: true}\nhardening: {updates: etcd-lock}"));
        assertAt(fcos, "SPEC-VALUE", 14, 22);
    }

    @Test
    void parse_truncatedSshKey_keyErrorAtTheKey() {
        Diagnostic d = onlyError(VALID.replace(
                "keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]",
                "keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8v t@t\"]"));
        assertAt(d, "SPEC-SSH-KEY", 12, 32);
        assertTrue(d.message().contains("the ssh-ed25519 key data is incomplete"), d::toString);
        assertTrue(d.hint().contains("ssh-keygen -y"), d::toString);
    }

    @Test
    void parse_valuesOfTheWrongKind_typeErrorsAtTheValue() {
        Diagnostic mapping =
                onlyError(VALID.replace("interfaces: {public: eth0, private: eth1}", "interfaces: [eth0, eth1]")
                        .replace("etcd: {tls: true}\n", ""));
        assertAt(mapping, "SPEC-TYPE", 4, 13);
        assertEquals("interfaces must be a mapping (key: value), not a list", mapping.message());
        assertAt(onlyError(VALID.replace("cluster: t", "cluster: [t]")), "SPEC-TYPE", 2, 10);
        Diagnostic bool = onlyError(VALID.replace("tls: true", "tls: yes"));
        assertAt(bool, "SPEC-TYPE", 13, 13);
        assertEquals("etcd.tls must be true or false, not 'yes'", bool.message());
        Diagnostic list = onlyError(VALID.replace("from: [office]", "from: {office: 1}"));
        assertAt(list, "SPEC-TYPE", 12, 15);
        assertTrue(list.message().endsWith("must be a list, not a mapping"), list::toString);
    }

    @Test
    void parse_valueOutOfItsSet_valueErrorWithSuggestion() {
        Diagnostic target = onlyError(VALID.replace("target: flatcar", "target: flatcat"));
        assertAt(target, "SPEC-VALUE", 3, 9);
        assertEquals("unknown target 'flatcat'", target.message());
        assertEquals("did you mean 'flatcar'?", target.hint());
        Diagnostic from =
                onlyError(VALID.replace("{name: web, port: 443, from: any}", "{name: web, port: 443, from: []}"));
        assertAt(from, "SPEC-VALUE", 15, 5);
        assertEquals("service 'web' is open to nobody ('from' is empty)", from.message());
    }

    @Test
    void parse_otherVersion_versionErrorAtTheNumber() {
        Diagnostic d = onlyError(VALID.replace("stockade: 1", "stockade: 2"));
        assertAt(d, "SPEC-VERSION", 1, 11);
        assertEquals("unsupported spec version '2'", d.message());
        assertEquals("this Stockade reads 'stockade: 1'", d.hint());
    }

    @Test
    void load_directoryOrMissingFile_readErrorAtTheFile(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> SpecLoader.load(dir));
        assertAt(e.diagnostics().get(0), "SPEC-READ", 1, 1);
        assertEquals(dir.toString(), e.diagnostics().get(0).span().file());
        assertEquals("is a directory, not a spec file", e.diagnostics().get(0).message());
        Path missing = dir.resolve("nope.yaml");
        e = assertThrows(InputException.class, () -> SpecLoader.load(missing));
        assertAt(e.diagnostics().get(0), "SPEC-READ", 1, 1);
        assertEquals("no such file", e.diagnostics().get(0).message());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void suggestions_transpositionIsClose() {
        assertEquals(
                "public",
                Suggestions.closest("pulbic", List.of("public", "private")).orElseThrow());
        assertTrue(Suggestions.closest("zzzzzz", List.of("public", "private")).isEmpty());
    }
}
