package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.ClusterPki;
import dev.stockade.spec.SpecLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildSummaryTest {

    private static final String HEAD =
            "stockade: 1\ncluster: t\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n";

    private static BuildResult build(String rest) throws Exception {
        BuildResult r = ClusterBuilder.build(SpecLoader.parse("t.yaml", HEAD + rest));
        assertTrue(r.proven());
        return r;
    }

    @Test
    void text_headerNodeTableProofAndFiles() throws Exception {
        BuildResult r = build("nodes:\n  - {name: a, private: 10.250.0.1, public: [198.51.100.1, \"2001:db8::1\"]}\n"
                + "admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n"
                + "icmp: strict\n"
                + "hardening: {updates: reboot}\n");
        String text = BuildSummary.text(new BuildReport(
                r, Path.of("out", "t"), false, Path.of("pki", "t"), null, BuildCommand.Revoked.NONE, EtcdSteps.NONE));
        List<String> lines = text.lines().toList();
        assertEquals("Built cluster t (" + r.spec().target() + ", 1 node) from t.yaml into out/t/", lines.get(0));
        assertEquals("", lines.get(1));
        assertEquals("a  private 10.250.0.1  public 198.51.100.1 2001:db8::1", lines.get(2));
        assertEquals("  proto  port  iface  spec entry  IPv4 from       IPv6 from", lines.get(3));
        assertEquals("  tcp    22    any    admin.ssh   203.0.113.0/24  -", lines.get(4));
        assertEquals(
                "  proof: IPv4 holds, IPv6 holds (the rules written accept exactly the new connections the spec"
                        + " allows)",
                lines.get(6));
        assertTrue(lines.get(7).startsWith("  files: "), lines.get(7));
    }

    @Test
    void text_dryRunPkiCountsWrappedSourcesAndProvisional() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            // every other /28, so that no two can be joined into one prefix
            many.append(i == 0 ? "" : ", ").append("192.0.2.").append(i * 32).append("/28");
        }
        BuildResult r = build("nodes:\n  - {name: a, private: 10.250.0.1}\n  - {name: b}\n"
                + "admin: {ssh: {from: [" + many
                + "], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n"
                + "services:\n  - {name: db, port: 5432, from: [cluster]}\n"
                + "hardening: {updates: reboot}\n");
        ClusterPki.Outcome pki =
                new ClusterPki.Outcome(true, false, List.of("a", "b"), List.of("operator"), List.of(), List.of());
        String text = BuildSummary.text(new BuildReport(
                r, Path.of("out", "t"), true, Path.of("pki", "t"), pki, BuildCommand.Revoked.NONE, EtcdSteps.NONE));
        assertTrue(text.startsWith("Checked cluster t ("), text);
        assertTrue(text.contains(" nodes) from t.yaml (dry run, nothing written)\n"), text);
        assertTrue(text.contains("PKI pki/t: new CA; CA key not encrypted; 2 issued, 1 reused (issued: a b)\n"), text);
        assertTrue(text.lines().allMatch(l -> l.length() < 140), text);
        assertTrue(text.contains("192.0.2.0/28 192.0.2.32/28"), "sources wrap at 32 columns:\n" + text);
        assertTrue(text.contains("b  private (unknown)"), text);
        assertTrue(text.contains("  ! "), text);
        assertTrue(
                text.contains("\nProvisional: the items marked '!' above are incomplete. Fix what they name (t.yaml)"),
                text);
    }

    @Test
    void proofFailures_provenBuild_printsNothing() throws Exception {
        StringWriter err = new StringWriter();
        dev.stockade.spec.LoadedSpec spec =
                SpecLoader.parse("t.yaml", HEAD + "nodes:\n  - {name: a, private: 10.250.0.1}\n");
        dev.stockade.build.ProvedCluster proved = ClusterBuilder.prove(spec, ClusterBuilder.fresh(spec.spec()));
        assertTrue(proved.proven());
        BuildSummary.proofFailures(new PrintWriter(err, true), proved);
        assertEquals("", err.toString());
    }
}
