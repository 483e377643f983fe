package dev.stockade.validate;

import static dev.stockade.validate.Findings.none;
import static dev.stockade.validate.Findings.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cloud-config checks. The cases in {@code upstream_*} restate what the coreos-cloudinit
 * validator documents and tests (its own lines are reported one higher here: this file's line 1 is
 * the #cloud-config header); the rest is what it misses.
 */
class CloudConfigValidatorTest {

    static List<Finding> check(String body) {
        return CloudConfigValidator.validate("u.yml", "#cloud-config\n" + body.replace("\\n", "\n"))
                .findings();
    }

    /** "ID@line" of every finding, in order. */
    static String summary(List<Finding> findings) {
        return String.join(
                " ",
                findings.stream()
                        .map(f -> f.id() + "@" + f.span().orElseThrow().line())
                        .toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // clean in coreos-cloudinit and here (a unit without a name is flagged here: it does nothing)
                "coreos:\\n  flannel:\\n    interface: good|''",
                "coreos:\\n  units:\\n    - enable: true|CC-UNIT-NAME@4",
                "hostname: true|''",
                "hostname: 4|''",
                "hostname: host|''",
                "ssh_authorized_keys:\\n  - key|''",
                "users:\\n  - name: good|''",
                "write_files:\\n  - path: /valid|''",
                "write_files:\\n  - path: /tmp/usr/valid|''",
                "write_files:\\n  - permissions: '0744'\\n    path: /a|''",
                "write_files:\\n  - encoding: base64\\n    content: aGVsbG8K\\n    path: /a|''",
                "write_files:\\n  - encoding: gzip+base64\\n    content: H4sIAOC3tVQAA8tIzcnJ5wIAIDA6NgYAAAA=\\n    path: /a|''",
                "write_files:\\n  - content: !!binary aGVsbG8K\\n    path: /a|''",
                "write_files:\\n  - encoding: base64\\n    content: !!binary YUdWc2JHOEsK\\n    path: /a|''",
                "write_files:\\n  - encoding: gzip\\n    content: !!binary H4sIAOC3tVQAA8tIzcnJ5wIAIDA6NgYAAAA=\\n    path: /a|''",
                "coreos:\\n  fleet:\\n    verbosity: 2|CC-DEPRECATED@3",
                "coreos:\\n  etcd:\\n    discovery: https://discovery.etcd.io/00000000000000000000000000000000|CC-DEPRECATED@3",
                "coreos:\\n  etcd:\\n    discovery: http://custom.domain/mytoken|CC-DEPRECATED@3",
                "coreos:\\n  etcd2:\\n    discovery: /v2/keys/_etcd/registry/token|CC-DEPRECATED@3",
                "coreos:\\n  units:\\n    - command: start\\n      name: a.service\\n    - name: stop.service|''",
                // found by coreos-cloudinit: the same kind of finding, line and severity
                "test:|CC-UNKNOWN-KEY@2",
                "coreos:\\n  flannel:\\n    bad:|CC-UNKNOWN-KEY@4",
                "coreos:\\n  etcd:\\n    proxy: hi|CC-DEPRECATED@3 CC-DEPRECATED@4",
                "coreos:\\n  units:\\n    - hello\\n    - goodbye|CC-TYPE@4 CC-TYPE@5",
                "coreos:\\n  units:\\n    - enable: 4|CC-TYPE@4 CC-UNIT-NAME@4",
                "coreos:\\n  units:\\n    - enable: bad|CC-TYPE@4 CC-UNIT-NAME@4",
                "coreos:\\n  units:\\n    - enable:\\n        bad:|CC-TYPE@5 CC-UNIT-NAME@4",
                "hostname:\\n  name:|CC-TYPE@3",
                "coreos: true|CC-TYPE@2",
                "coreos:\\n  - hello|CC-TYPE@3",
                "ssh_authorized_keys: key|CC-TYPE@2",
                "ssh_authorized_keys:\\n  - key: value|CC-TYPE@3",
                "users:\\n  bad:|CC-TYPE@3",
                "users:\\n  - name: hi\\n  - true|CC-TYPE@4",
                "coreos:\\n  units:\\n    - command: lol|CC-VALUE@4 CC-UNIT-NAME@4",
                "coreos:\\n  update:\\n    reboot_strategy: always|CC-VALUE@4",
                "coreos:\\n  update:\\n    reboot_strategy: false|CC-VALUE@4",
                "write_files:\\n  - path: /usr/invalid|CC-READ-ONLY@3",
                "write-files:\\n  - path: /tmp/../usr/invalid|CC-HYPHEN@2 CC-READ-ONLY@3",
                "coreos:\\n  write_files:\\n    - path: /hi|CC-MISPLACED@3",
                "coreos:\\n  etcd:\\n    discovery: disco|CC-DEPRECATED@3 CC-DISCOVERY@4",
                "write_files:\\n  - encoding: custom\\n    content: hello\\n    path: /a|CC-VALUE@3 CC-ENCODING@4",
                "write_files:\\n  - encoding: base64\\n    content: !!binary aGVsbG8K\\n    path: /a|CC-ENCODING@4",
                // what coreos-cloudinit misses
                "write_files:\\n  - path: etc/x|CC-PATH@3",
                "coreos:\\n  etcd2:\\n    discovery: fire in the disco|CC-DEPRECATED@3 CC-DISCOVERY@4",
                "coreos:\\n  etcd2:\\n    discovery: 'https:///token'|CC-DEPRECATED@3 CC-DISCOVERY@4",
                "write_files:\\n  - path: /a\\n  - path: /a|CC-DUPLICATE@4",
                "coreos:\\n  units:\\n    - name: etcd2|CC-UNIT-NAME@4",
                "coreos:\\n  units:\\n    - name: a.service\\n    - name: a.service|CC-DUPLICATE@5",
                "coreos:\\n  units:\\n    - name: a.service\\n      drop_ins:\\n        - name: x.txt|CC-DROPIN-NAME@6",
                "coreos:\\n  units:\\n    - name: a.service\\n      content: \"[Unit\"|CC-UNIT-CONTENT@5",
                "users:\\n  - name: a\\n  - name: a|CC-DUPLICATE@4",
                "coreos:\\n  update:\\n    reboot-strategy: off|CC-HYPHEN@4 CC-YAML-BOOL@4",
                "hostname: a\\nhostname: b|CC-DUPLICATE-KEY@3",
                "coreos:\\n  units:\\n    - enable: yes|CC-YAML-BOOL@4 CC-UNIT-NAME@4",
                "write_files:\\n  - path: /a\\n    permissions: 644|CC-PERMISSIONS@4",
                "write_files:\\n  - path: /a\\n    permissions: 0999|CC-VALUE@4 CC-PERMISSIONS@4",
                "write_files:\\n  - path: /a\\n    permissions: '0420'|CC-PERMISSIONS@4",
                "hostname: $private_ipv4|CC-VARIABLE@2"
            })
    void cases(String body, String expected) {
        assertEquals(expected, summary(check(body)));
    }

    @Test
    void header_andYamlSyntax_locatedByTheParser() {
        List<Finding> header =
                CloudConfigValidator.validate("u.yml", "hostname: a\n").findings();
        one(header, "CC-HEADER", 1, 1, "the first line must be #cloud-config");
        one(check("\t"), "CC-SYNTAX", 2, 1, "not valid YAML");
        one(check("a:\\na"), "CC-SYNTAX", 3, 2, "not valid YAML: could not find expected ':'");
    }

    @Test
    void messages_sayWhatAndWhere() {
        Finding unknown =
                one(check("coreos:\\n  updates: {}"), "CC-UNKNOWN-KEY", 3, 3, "unrecognized key 'coreos.updates'");
        assertEquals("did you mean 'update'?", unknown.hint());
        Finding value = one(
                check("coreos:\\n  update:\\n    reboot_strategy: always"),
                "CC-VALUE",
                4,
                22,
                "invalid value 'always' for 'coreos.update.reboot_strategy'");
        assertEquals("allowed: best-effort, etcd-lock, reboot, off", value.hint());
        Finding hyphen = one(
                check("coreos:\\n  update:\\n    reboot-strategy: reboot"),
                "CC-HYPHEN",
                4,
                5,
                "'reboot-strategy' is ignored by Flatcar 3975.2.0 and later");
        assertEquals(Severity.WARNING, hyphen.severity());
        Finding perm = one(
                check("write_files:\\n  - path: /a\\n    permissions: '0420'"),
                "CC-PERMISSIONS",
                4,
                18,
                "permissions 0420 is 0420 in octal");
        assertEquals("cloud-config permissions are octal: write '0644'", perm.hint());
    }

    @Test
    void hostConfig_filesWithModesAndContentLines_unitsEnabledByCommand_etcdSectionsAsEnvironment() {
        Checked c = CloudConfigValidator.validate("u.yml", """
                #cloud-config
                write_files:
                  - path: /etc/a
                    permissions: '0600'
                    content: |
                      line one
                      line two
                coreos:
                  etcd2:
                    advertise_client_urls: http://10.0.0.1:2379
                  units:
                    - name: iptables-restore.service
                      command: start
                """);
        HostConfig.File f = c.host().orElseThrow().files().get(0);
        assertEquals(0600, f.effectiveMode());
        assertEquals(Optional.of("line one\nline two\n"), f.contents());
        assertEquals(6, f.firstContentLine().getAsInt());
        assertTrue(c.host().orElseThrow().units().stream()
                .anyMatch(u -> u.name().equals("iptables-restore.service") && u.enabled()));
        assertTrue(c.host().orElseThrow().units().stream()
                .anyMatch(u -> u.name().equals("etcd2.service")
                        && u.contents().orElse("").contains("ETCD_ADVERTISE_CLIENT_URLS=http://10.0.0.1:2379")));
        none(c.findings(), "CC-TYPE");
    }
}
