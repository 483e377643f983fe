package dev.stockade.validate;

import static dev.stockade.validate.Findings.none;
import static dev.stockade.validate.Findings.one;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every security lint, found and not found, in cloud-config and Ignition alike. */
class SecurityLintsTest {

    static final String KEY = "-----BEGIN PRIVATE KEY-----\\n    MIGH\\n    -----END PRIVATE KEY-----";

    static List<Finding> cc(String body) {
        return new Validator().validate("u.yml", "#cloud-config\n" + body, java.util.Optional.empty());
    }

    static List<Finding> ign(String body) {
        return new Validator()
                .validate(
                        "c.ign",
                        "{\"ignition\": {\"version\": \"3.3.0\"},\n" + body + "\n}",
                        java.util.Optional.empty());
    }

    @Test
    void keyMode_groupOrWorldReadableKeys_includingTheDefaultMode() {
        List<Finding> f = cc("write_files:\n  - path: /etc/ssl/a-key.pem\n    content: x\n");
        one(
                f,
                "SEC-KEY-MODE",
                3,
                5,
                "/etc/ssl/a-key.pem holds a private key and is written with mode 0644 (the default)");
        none(
                cc("write_files:\n  - path: /etc/ssl/a-key.pem\n    permissions: '0600'\n    content: x\n"),
                "SEC-KEY-MODE");
        one(
                ign("\"storage\": {\"files\": [{\"path\": \"/k\", \"mode\": 416, \"contents\": {\"source\":"
                        + " \"data:,-----BEGIN%20EC%20PRIVATE%20KEY-----\"}}]}"),
                "SEC-KEY-MODE",
                2,
                23,
                "written with mode 0640");
    }

    @Test
    void keyInUserData_anyPrivateKeyContents() {
        one(
                cc("write_files:\n  - path: /etc/k\n    permissions: '0600'\n    content: |\n      "
                        + KEY.replace("\\n    ", "\n      ") + "\n"),
                "SEC-KEY-IN-USERDATA",
                6,
                7,
                "/etc/k: a private key in user data");
        none(
                cc("write_files:\n  - path: /etc/cert.pem\n    content: |\n      -----BEGIN CERTIFICATE-----\n"),
                "SEC-KEY-IN-USERDATA");
    }

    @Test
    void plaintextEndpoints_etcdLocksmithFleetFlannel_butNotLoopback() {
        List<Finding> f = cc("coreos:\n  locksmith:\n    endpoint: http://10.0.0.1:2379\n");
        one(f, "SEC-HTTP-ENDPOINT", 4, 15, "LOCKSMITHD_ENDPOINT uses plaintext http:// (http://10.0.0.1:2379)");
        none(cc("coreos:\n  locksmith:\n    endpoint: https://10.0.0.1:2379\n"), "SEC-HTTP-ENDPOINT");
        none(cc("coreos:\n  locksmith:\n    endpoint: http://127.0.0.1:2379\n"), "SEC-HTTP-ENDPOINT");
        one(
                ign("\"systemd\": {\"units\": [{\"name\": \"x.service\", \"contents\":"
                        + " \"[Service]\\nExecStart=/usr/bin/etcd --listen-client-urls=http://0.0.0.0:2379\\n\"}]}"),
                "SEC-HTTP-ENDPOINT",
                2,
                23,
                "--listen-client-urls uses plaintext http://");
    }

    @Test
    void etcdCaFile_obsolete_andTlsWithoutClientCertificateChecks() {
        one(
                cc("coreos:\n  etcd2:\n    ca_file: /etc/ca.pem\n"),
                "SEC-ETCD-CA-FILE",
                4,
                14,
                "ETCD_CA_FILE is obsolete: etcd 3 ignores it");
        List<Finding> noAuth = cc("write_files:\n  - path: /etc/etcd.env\n    content: |\n"
                + "      ETCD_CERT_FILE=/e/c.pem\n      ETCD_TRUSTED_CA_FILE=/e/ca.pem\n");
        one(noAuth, "SEC-ETCD-CLIENT-AUTH", 5, 7, "ETCD_CLIENT_CERT_AUTH=true is missing");
        List<Finding> auth = cc("write_files:\n  - path: /etc/etcd.env\n    content: |\n"
                + "      ETCD_CERT_FILE=/e/c.pem\n      ETCD_CLIENT_CERT_AUTH=true\n");
        none(auth, "SEC-ETCD-CLIENT-AUTH");
        none(auth, "SEC-ETCD-CA-FILE");
    }

    @Test
    void firewall_ipv6RulesAndRestoreServices() {
        String rules =
                "    content: |\n      *filter\n      :INPUT DROP [0:0]\n      -A INPUT -p tcp --dport 22 -j ACCEPT\n"
                        + "      COMMIT\n";
        List<Finding> v4only = cc("write_files:\n  - path: /var/lib/iptables/rules-save\n" + rules);
        one(v4only, "SEC-NO-IPV6-RULES", 3, 5, "IPv4 rules are written (/var/lib/iptables/rules-save) but no IPv6");
        one(v4only, "SEC-RESTORE-DISABLED", 3, 5, "iptables-restore.service is not enabled");
        List<Finding> both = cc("write_files:\n  - path: /var/lib/iptables/rules-save\n" + rules
                + "  - path: /var/lib/ip6tables/rules-save\n" + rules
                + "coreos:\n  units:\n    - name: iptables-restore.service\n      enable: true\n"
                + "    - name: ip6tables-restore.service\n      command: start\n");
        none(both, "SEC-NO-IPV6-RULES");
        none(both, "SEC-RESTORE-DISABLED");
    }

    @Test
    void check_onTheHostModelDirectly_noFindingsForANeutralHost() {
        HostConfig host = new HostConfig(
                List.of(new HostConfig.File(
                        "/etc/hostname",
                        java.util.OptionalInt.empty(),
                        0644,
                        java.util.Optional.of("a\n"),
                        new dev.stockade.report.SourceSpan("h", 1, 1),
                        new dev.stockade.report.SourceSpan("h", 1, 1),
                        java.util.OptionalInt.empty())),
                List.of(),
                List.of(new HostConfig.User("core", List.of("video"), new dev.stockade.report.SourceSpan("h", 2, 1))));
        assertEquals(List.of(), SecurityLints.check("h", host));
    }

    @Test
    void coreGroups_rootEquivalentGroupsOnly() {
        one(
                ign("\"passwd\": {\"users\": [{\"name\": \"core\", \"groups\": [\"docker\", \"video\"]}]}"),
                "SEC-CORE-GROUPS",
                2,
                22,
                "the core user is put into docker");
        none(ign("\"passwd\": {\"users\": [{\"name\": \"core\", \"groups\": [\"video\"]}]}"), "SEC-CORE-GROUPS");
        none(ign("\"passwd\": {\"users\": [{\"name\": \"ops\", \"groups\": [\"wheel\"]}]}"), "SEC-CORE-GROUPS");
    }

    @Test
    void embeddedRules_sshLockoutWarning_onlyWhenSshIsMeantToBeOnPort22() {
        String closed = "write_files:\n  - path: /var/lib/iptables/rules-save\n    content: |\n      *filter\n"
                + "      :INPUT DROP [0:0]\n      COMMIT\n";
        List<Finding> lockout = cc(closed);
        one(lockout, "FW-SSH-CLOSED", 5, 7, "no new SSH connection (tcp/22) is accepted");
        none(cc(closed + "coreos:\n  units:\n    - name: sshd.socket\n      mask: true\n"), "FW-SSH-CLOSED");
        none(
                cc(closed + "coreos:\n  units:\n    - name: sshd.socket\n      content: |\n        [Socket]\n"
                        + "        ListenStream=2222\n"),
                "FW-SSH-CLOSED");
    }

    @Test
    void embeddedRules_lintedWithTheFirewallEngine_atTheirLineInTheYaml() {
        List<Finding> f = cc("write_files:\n  - path: /var/lib/iptables/rules-save\n    content: |\n      *filter\n"
                + "      :INPUT DROP [0:0]\n      -A INPUT -p tcp --dport 22 -j NOWHERE\n      COMMIT\n");
        Finding undefined = one(f, "FW-UNDEFINED-CHAIN", 7, 7, "/var/lib/iptables/rules-save: jump to chain 'NOWHERE'");
        assertEquals("u.yml", undefined.span().orElseThrow().file());
        List<Finding> ign = ign("\"storage\": {\"files\": [{\"path\": \"/var/lib/iptables/rules-save\", \"contents\":"
                + " {\"source\": \"data:,*filter%0A:INPUT%20ACCEPT%20%5B0:0%5D%0ACOMMIT%0A\"}}]}");
        one(ign, "FW-POLICY-ACCEPT", 2, 87, "/var/lib/iptables/rules-save: chain INPUT: INPUT accepts everything");
    }

    @Test
    void embeddedRules_binaryTaggedYaml_decodedAndLinted() {
        String data = java.util.Base64.getEncoder()
                .encodeToString(
                        "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Finding> f =
                cc("write_files:\n  - path: /var/lib/iptables/rules-save\n    content: !!binary " + data + "\n");
        one(f, "FW-POLICY-ACCEPT", 4, 14, "/var/lib/iptables/rules-save: chain INPUT: INPUT accepts everything");
    }

    @Test
    void embeddedRules_gzipCompressed_decompressedAndLinted() throws java.io.IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String data = java.util.Base64.getEncoder().encodeToString(gz.toByteArray());
        List<Finding> ign = ign("\"storage\": {\"files\": [{\"path\": \"/var/lib/iptables/rules-save\", \"contents\":"
                + " {\"compression\": \"gzip\", \"source\": \"data:;base64," + data + "\"}}]}");
        one(ign, "FW-POLICY-ACCEPT", 2, 110, "/var/lib/iptables/rules-save: chain INPUT: INPUT accepts everything");
        List<Finding> broken = ign("\"storage\": {\"files\": [{\"path\": \"/etc/x\", \"contents\":"
                + " {\"compression\": \"gzip\", \"source\": \"data:,not-gzip\"}}]}");
        Finding f = one(broken, "IGN-COMPRESSION", 2, 88, "compression is gzip but the data does not decompress");
        assertEquals(Severity.ERROR, f.severity());
    }
}
