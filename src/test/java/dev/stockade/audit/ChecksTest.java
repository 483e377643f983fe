package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The checks on two snapshot fixtures (src/test/resources/audit): a hardened Flatcar host, where
 * only notes saying who can reach the open services remain, and the same host misconfigured so
 * that every check fires for the reason it names.
 */
class ChecksTest {

    static Checks.HostAudit audit(String fixture) throws Exception {
        return Checks.audit(HostFacts.collect(SnapshotFacts.read(Path.of("src/test/resources/audit", fixture))));
    }

    static List<Finding> ofId(Checks.HostAudit a, String id) {
        return a.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding only(Checks.HostAudit a, String id, Severity severity, String fact, int line, String text) {
        List<Finding> f = ofId(a, id);
        assertEquals(1, f.size(), id + ": " + a.findings());
        Finding x = f.get(0);
        assertEquals(severity, x.severity(), x.toString());
        assertTrue(x.span().orElseThrow().file().endsWith("/" + fact + ".out"), x.toString());
        assertEquals(line, x.span().orElseThrow().line(), x.toString());
        assertTrue(x.message().contains(text), x.toString());
        return x;
    }

    @Test
    void hardenedHost_onlyNotesOnWhoReachesItsServices() throws Exception {
        Checks.HostAudit a = audit("hardened");
        assertEquals("hardened", a.host());
        assertEquals(Probe.values().length, a.factsCollected());
        List<Finding> serious =
                a.findings().stream().filter(f -> f.severity() != Severity.NOTE).toList();
        assertEquals(List.of(), serious);
        List<String> notes =
                a.findings().stream().map(Finding::message).sorted().toList();
        assertEquals(3, notes.size(), notes.toString());
        assertTrue(
                notes.get(0)
                        .startsWith("tcp/22 (systemd) on every IPv4 address can be reached over IPv4 from"
                                + " 203.0.113.0/24"),
                notes.toString());
        assertTrue(
                notes.get(1)
                        .startsWith("tcp/22 (systemd) on every IPv6 address can be reached over IPv6 from"
                                + " 2001:db8:1::/48"),
                notes.toString());
        assertTrue(
                notes.get(2)
                        .startsWith("tcp/2379 (etcd) on 10.250.0.1 can be reached over IPv4 from 10.250.0.0/16"
                                + " on eth1"),
                notes.toString());
    }

    @Test
    void openHost_everyCheckFiresForItsReason() throws Exception {
        Checks.HostAudit a = audit("open");
        only(a, "AUD-POLICY-ACCEPT", Severity.ERROR, "ip6tables-save", 1, "no IPv6 firewall is loaded");
        only(
                a,
                "AUD-V6-OPEN",
                Severity.ERROR,
                "listening",
                2,
                "tcp/22 (sshd) is open on IPv4 only from 203.0.113.0/24 but open on IPv6 from any address");
        List<Finding> exposed = ofId(a, "AUD-EXPOSED");
        assertEquals(
                "ERROR 3 tcp/2375 (dockerd)|NOTE 1 tcp/22 (sshd)|WARNING 2 tcp/22 (sshd)",
                exposed.stream()
                        .map(f -> f.severity() + " " + f.span().orElseThrow().line() + " "
                                + f.message().substring(0, f.message().indexOf(')') + 1))
                        .sorted()
                        .collect(Collectors.joining("|")));
        List<Finding> unsaved = ofId(a, "AUD-RULES-UNSAVED");
        assertEquals(2, unsaved.size(), unsaved.toString());
        assertTrue(unsaved.get(0).message().contains("INPUT closes tcp/8080 from any"), unsaved.toString());
        assertTrue(unsaved.get(1).message().contains("IPv6 rules differ from /var/lib/ip6tables/rules-save"));
        only(a, "AUD-RESTORE-DISABLED", Severity.ERROR, "units", 26, "ip6tables-restore.service is disabled");
        Finding quota = only(a, "AUD-NFT-UNMODELLED", Severity.WARNING, "nft-ruleset", 1, "quota");
        assertTrue(quota.span().orElseThrow().column() > 900, quota.toString()); // at the rule, not the table
        only(a, "AUD-SSH-ROOT", Severity.ERROR, "sshd-config", 3, "PermitRootLogin yes");
        only(a, "AUD-SSH-PASSWORD", Severity.WARNING, "sshd-config", 4, "passwordauthentication yes");
        only(a, "AUD-CORE-GROUPS", Severity.WARNING, "groups", 2, "the core user is in wheel, docker");
        only(a, "AUD-DOCKER-SOCKET", Severity.ERROR, "docker-socket", 1, "writable by every user (mode 0666)");
        assertEquals(2, ofId(a, "AUD-SELINUX").size());
        assertEquals(2, ofId(a, "AUD-UPDATES").size());
        only(a, "AUD-ETCD-PLAINTEXT", Severity.ERROR, "etcd-process", 3, "http://0.0.0.0:2379");
        only(a, "AUD-ETCD-CA-FILE", Severity.ERROR, "etcd-process", 5, "ETCD_CA_FILE is obsolete");
        only(a, "AUD-ETCD-CLIENT-AUTH", Severity.ERROR, "etcd-process", 9, "TLS to peers");
        only(a, "AUD-KEY-MODE", Severity.ERROR, "etcd-keys", 1, "mode 0644");
        assertEquals(List.of(), ofId(a, "AUD-FACT"));
    }

    /** A fixture with some facts replaced. */
    record Changed(FactSource base, Map<Probe, String> outputs) implements FactSource {
        @Override
        public String host() {
            return base.host();
        }

        @Override
        public ProbeOutput collect(Probe probe) {
            ProbeOutput o = base.collect(probe);
            String text = outputs.get(probe);
            return text == null ? o : new ProbeOutput(probe, ProbeOutput.Status.OK, 0, text, "", o.source());
        }
    }

    static Checks.HostAudit audit(String fixture, Map<Probe, String> changed) throws Exception {
        return Checks.audit(HostFacts.collect(
                new Changed(SnapshotFacts.read(Path.of("src/test/resources/audit", fixture)), changed)));
    }

    @Test
    void locksmith_plainHttp_defaultEndpoint_orNoClientCertificate_eachSaid() throws Exception {
        String etcdLock = "# /etc/flatcar/update.conf\nREBOOT_STRATEGY=etcd-lock\n";
        only(
                audit("open", Map.of(Probe.UPDATE_CONF, etcdLock)),
                "AUD-LOCKSMITH-TLS",
                Severity.ERROR,
                "locksmith",
                1,
                "over plain HTTP (http://10.250.0.1:2379)");
        Finding byDefault = only(
                audit("open", Map.of(Probe.UPDATE_CONF, etcdLock, Probe.LOCKSMITH, "")),
                "AUD-LOCKSMITH-TLS",
                Severity.ERROR,
                "locksmith",
                1,
                "(http://127.0.0.1:2379, its default)");
        assertTrue(byDefault.hint().contains("LOCKSMITHD_ETCD_CAFILE"), byDefault.toString());
        only(
                audit(
                        "open",
                        Map.of(
                                Probe.UPDATE_CONF,
                                etcdLock + "LOCKSMITHD_ENDPOINT=https://user:secret@10.250.0.1:2379\n",
                                Probe.LOCKSMITH,
                                "")),
                "AUD-LOCKSMITH-TLS",
                Severity.WARNING,
                "update-conf",
                3,
                "over https (https://[removed]@10.250.0.1:2379) without a client certificate");
        // the hardened host's https endpoint with a client certificate, and a strategy without etcd
        assertEquals(List.of(), ofId(audit("hardened"), "AUD-LOCKSMITH-TLS"));
        assertEquals(List.of(), ofId(audit("open"), "AUD-LOCKSMITH-TLS"), "REBOOT_STRATEGY=off takes no lock");
    }

    /** The probes keep locksmith's endpoint and certificate paths, never a password beside them (real grep). */
    @Test
    void locksmithProbes_keepNoPassword() throws Exception {
        Path conf = Files.writeString(
                Files.createTempFile("update", ".conf"),
                "GROUP=stable\nREBOOT_STRATEGY=etcd-lock\nLOCKSMITHD_ETCD_USERNAME=lock\n"
                        + "LOCKSMITHD_ETCD_PASSWORD=hunter2\nLOCKSMITHD_ENDPOINT=https://10.250.0.1:2379\n");
        assertEquals(
                "GROUP=stable\nREBOOT_STRATEGY=etcd-lock\nLOCKSMITHD_ENDPOINT=https://10.250.0.1:2379\n",
                sh("grep -E '" + Probe.Locksmith.LINES + "' " + conf));
        assertEquals(
                "LOCKSMITHD_ENDPOINT=https://a:2379,https://b:2379\nLOCKSMITHD_ETCD_CAFILE=/etc/ssl/etcd/ca.pem\n",
                sh(
                        "echo 'Environment=\"LOCKSMITHD_ENDPOINT=https://a:2379,https://b:2379\" LOCKSMITHD_ETCD_PASSWORD=hunter2"
                                + " LOCKSMITHD_ETCD_CAFILE=/etc/ssl/etcd/ca.pem' | grep -oE '"
                                + Probe.Locksmith.ASSIGNMENTS + "'"));
    }

    static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
