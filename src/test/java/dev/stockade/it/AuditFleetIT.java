package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import dev.stockade.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stockade audit --spec}: every node of a cluster spec audited over SSH at once. Three
 * namespace nodes at the spec's private addresses, each with its own sshd and host key and the
 * rules {@code build} compiles for it: core-1 as built (no drift), core-2 with one more port open
 * and a service behind it (drift, and the service reachable against the spec), core-3 down
 * (unreachable, and the others are still audited). The summary table names all three.
 */
class AuditFleetIT {

    @Test
    void specFleet_overSsh_driftOnOne_oneDown_othersStillAudited(@TempDir Path tmp) throws Exception {
        Path sshd = TestSshd.sshd();
        // the demo cluster, with SSH also open to the operator's namespace
        String text = Files.readString(Path.of("examples/demo.yaml"))
                .replace("    from: [office]", "    from: [office, 10.250.0.2/32]");
        Path specFile = Files.writeString(tmp.resolve("cluster.yaml"), text);
        ClusterSpec spec = SpecLoader.parse(specFile.toString(), text).spec();
        AuditSshIT.keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        StringBuilder known = new StringBuilder();
        List<Process> daemons = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Segment lan = lab.segment("lan");
            Host ops = lab.host("ops");
            lab.attach(ops, "eth1", lan, "10.250.0.2/24");
            for (int i = 0; i < 3; i++) {
                var node = spec.nodes().get(i);
                String address = node.privateV4().orElseThrow().address();
                Host host = lab.host(node.name());
                lab.attach(host, "eth1", lan, address + "/24");
                NodeFirewall fw = FirewallCompiler.compile(spec, node);
                String v4 = IptablesSaveWriter.write(fw.v4(), List.of());
                if (i == 1) {
                    v4 = v4.replaceFirst("COMMIT", "-A INPUT -p tcp -m tcp --dport 2375 -j ACCEPT\nCOMMIT");
                    lab.listen(host, List.of(2375), List.of());
                }
                lab.loadRuleText(host, v4, IptablesSaveWriter.write(fw.v6(), List.of()));
                if (i == 2) {
                    continue; // core-3 is down: nothing listens on its SSH port
                }
                Path key = tmp.resolve("host-" + node.name());
                AuditSshIT.keygen(key);
                known.append(address + " " + Files.readString(tmp.resolve("host-" + node.name() + ".pub")));
                Path config = TestSshd.config(
                        tmp.resolve("sshd_config-" + node.name()), address, 22, key, tmp.resolve("authorized_keys"));
                Path log = tmp.resolve("sshd-" + node.name() + ".log");
                Process daemon = new ProcessBuilder(
                                "ip",
                                "netns",
                                "exec",
                                host.netns(),
                                sshd.toString(),
                                "-D",
                                "-e",
                                "-f",
                                config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                daemons.add(daemon);
                AuditSshIT.awaitListening(lab, host, daemon, log, address + ":22 ");
            }
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), known);
            ExecResult r = lab.exec(ops, ChildJvm.withCoverageAgent(new String[] {
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stockade.cli.Main",
                "audit",
                "--spec",
                specFile.toString(),
                "--user",
                "root",
                "--known-hosts",
                knownHosts.toString(),
                "--identity",
                tmp.resolve("client").toString(),
                "--connect-timeout",
                "3"
            }));
            String out = r.stdout();
            assertEquals(3, r.exit(), r.describe()); // core-3 could not be evaluated
            assertFalse(out.contains("Exception") || out.contains("\tat "), out);
            String core1 = section(out, "10.250.0.11");
            String core2 = section(out, "10.250.0.12");
            String core3 = section(out, "10.250.0.13");
            assertFalse(core1.contains("[AUD-DRIFT]") || core1.contains("[AUD-UNINTENDED]"), core1);
            assertFalse(core1.contains("[AUD-SPEC-NODE]"), core1);
            assertTrue(
                    core2.contains("node core-2: the loaded IPv4 rules differ from the spec's: lets in tcp/2375"),
                    core2);
            assertTrue(
                    core2.contains(specFile + ":11:5: error: node core-2: tcp/2375 (python3) can be reached over IPv4"),
                    core2);
            assertTrue(core3.contains("cannot audit: cannot connect to 10.250.0.13:22"), core3);
            assertTrue(out.contains("\n10.250.0.11  "), out);
            assertTrue(out.contains("  unreachable\n"), out);
            assertTrue(out.contains("3 hosts: 1 pass, 2 not."), out);
            assertEquals(
                    3,
                    r.stderr()
                            .lines()
                            .filter(l -> l.matches("\\[[123]/3\\] 10\\.250\\.0\\.1[123]: .*"))
                            .count(),
                    r.stderr());
        } finally {
            TestSshd.stop(daemons);
        }
    }

    /** The text report's part about one host: from its "Audited" line to the next. */
    static String section(String report, String host) {
        int from = report.indexOf("Audited " + host + " (");
        assertTrue(from >= 0, "no section for " + host + ":\n" + report);
        int to = report.indexOf("\nAudited ", from + 1);
        return report.substring(from, to < 0 ? report.length() : to);
    }
}
