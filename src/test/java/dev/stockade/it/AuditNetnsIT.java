package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.audit.Checks;
import dev.stockade.audit.CollectorScript;
import dev.stockade.audit.HostFacts;
import dev.stockade.audit.SnapshotFacts;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host in a network namespace with real listeners and a loaded IPv4 ruleset but no IPv6 rules,
 * audited two ways: from the snapshot the collector script writes when run inside it, and with
 * {@code stockade audit --local} run inside it. What the audit says can be reached is then tried
 * with real connections from a second namespace.
 */
class AuditNetnsIT {

    static final String V4 = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A INPUT -i lo -j ACCEPT\n"
            + "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
            + "-A INPUT -s 10.250.7.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n"
            + "-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT\n"
            + "COMMIT\n";

    @Test
    void namespaceHost_snapshotAndLocalAudit_agreeWithRealConnections(@TempDir Path tmp) throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            Host node = lab.host("node");
            Host outside = lab.host("outside");
            Segment lan = lab.segment("lan");
            lab.attach(node, "eth1", lan, "10.250.7.1/24", "2001:db8:7::1/64");
            lab.attach(outside, "eth1", lan, "10.250.7.2/24", "2001:db8:7::2/64");
            lab.loadRuleText(node, V4, null);
            lab.listen(node, List.of(22, 8080, 9000), List.of());

            Path script = Files.writeString(tmp.resolve("collect.sh"), CollectorScript.text("test"));
            Path facts = tmp.resolve("facts");
            ExecResult collected = lab.exec(node, "sh", script.toString(), facts.toString());
            assertEquals(0, collected.exit(), collected.describe());
            assertFalse(collected.stderr().contains("tar:"), collected.describe());
            assertTrue(Files.isRegularFile(tmp.resolve("facts.tar")), collected.describe());
            assertEquals(
                    "rwx------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(facts)));

            Checks.HostAudit fromSnapshot =
                    Checks.audit(HostFacts.collect(SnapshotFacts.read(tmp.resolve("facts.tar"))));
            List<Finding> f = fromSnapshot.findings();
            assertTrue(has(f, "AUD-POLICY-ACCEPT", Severity.ERROR, "no IPv6 firewall is loaded"), f.toString());
            assertTrue(
                    has(
                            f,
                            "AUD-EXPOSED",
                            Severity.WARNING,
                            "tcp/8080 (python3) on every IPv4 address can be reached" + " over IPv4 from any address"),
                    f.toString());
            assertTrue(
                    has(
                            f,
                            "AUD-EXPOSED",
                            Severity.NOTE,
                            "tcp/22 (python3) on every IPv4 address can be reached over" + " IPv4 from 10.250.7.0/24"),
                    f.toString());
            assertTrue(
                    has(
                            f,
                            "AUD-V6-OPEN",
                            Severity.ERROR,
                            "tcp/9000 (python3) is closed on IPv4 but open on IPv6 from" + " any address"),
                    f.toString());
            assertTrue(
                    has(f, "AUD-V6-OPEN", Severity.ERROR, "tcp/22 (python3) is open on IPv4 only from 10.250.7.0/24"),
                    f.toString());
            assertFalse(
                    f.stream().anyMatch(x -> x.message().startsWith("tcp/9000 (python3) on every IPv4 address")),
                    "9000 is closed on IPv4: " + f);

            // the claims, tried: 8080 and 22 over IPv4 from the lan, 9000 only over IPv6
            List<ProbeResult> r = lab.probe(
                    outside,
                    List.of(
                            Probe.tcp("10.250.7.2", "10.250.7.1", 8080),
                            Probe.tcp("10.250.7.2", "10.250.7.1", 22),
                            Probe.tcp("10.250.7.2", "10.250.7.1", 9000),
                            Probe.tcp("2001:db8:7::2", "2001:db8:7::1", 9000)));
            assertEquals(
                    List.of(true, true, false, true),
                    r.stream().map(ProbeResult::reached).toList(),
                    r.toString());

            // the same host audited from inside, by the CLI: the same findings
            List<String> argv = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.stockade.cli.Main",
                    "audit",
                    "--local",
                    "--format",
                    "json"));
            ExecResult local = lab.exec(node, ChildJvm.withCoverageAgent(argv.toArray(String[]::new)));
            assertEquals(1, local.exit(), local.describe());
            assertEquals(ids(fromSnapshot.findings()), idsInJson(local.stdout()), local.stdout());
        }
    }

    static boolean has(List<Finding> findings, String id, Severity severity, String start) {
        return findings.stream()
                .anyMatch(x -> x.id().equals(id)
                        && x.severity() == severity
                        && x.message().startsWith(start));
    }

    static TreeSet<String> ids(List<Finding> findings) {
        TreeSet<String> out = new TreeSet<>();
        findings.forEach(f -> out.add(f.id() + " " + f.severity().label()));
        return out;
    }

    static TreeSet<String> idsInJson(String json) {
        TreeSet<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([A-Z0-9-]+)\"\\s*,\\s*\"severity\"\\s*:\\s*\"(\\w+)\"")
                .matcher(json);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
