package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build's options: --dry-run writes nothing (no PKI either); a PKI that no longer fits stops the build. */
class BuildCommandDryRunTest {

    @TempDir
    Path tmp;

    private Path spec() throws Exception {
        Path spec = tmp.resolve("c.yaml");
        Files.writeString(
                spec,
                "stockade: 1\ncluster: c\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
                        + "nodes:\n  - {name: a, private: 10.250.0.1}\n  - {name: b, private: 10.250.0.2}\n"
                        + "  - {name: d, private: 10.250.0.3}\n"
                        + "admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n"
                        + "etcd: {tls: true}\n");
        return spec;
    }

    @Test
    void dryRun_checksAndSummarises_writesNothing() throws Exception {
        Path out = tmp.resolve("out");
        Path pki = tmp.resolve("pki");
        CommandRun r =
                CommandRun.of("build", spec().toString(), "-o", out.toString(), "--pki", pki.toString(), "--dry-run");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("Checked cluster c ("), r.out);
        assertTrue(r.out.contains("(dry run, nothing written)"), r.out);
        assertTrue(Files.notExists(out));
        assertTrue(Files.notExists(pki), "a dry run creates no CA");
        BuildCommand c = r.command(BuildCommand.class);
        assertTrue(c.dryRun);
        assertEquals(out, c.out);
    }

    @Test
    void build_pkiNoLongerFitsSpec_exit2NothingWritten() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("out");
        Path pki = tmp.resolve("pki");
        assertEquals(0, CommandRun.of("build", spec.toString(), "-o", out.toString(), "--pki", pki.toString()).exit);
        byte[] before = Files.readAllBytes(out.resolve("c/a/iptables.rules"));
        Files.writeString(spec, Files.readString(spec).replace("10.250.0.1", "10.250.0.9"));
        CommandRun r = CommandRun.of("build", spec.toString(), "-o", out.toString(), "--pki", pki.toString());
        assertEquals(2, r.exit, r::toString);
        assertTrue(
                r.err.contains("stockade: the certificates in " + pki + " do not fit the spec; nothing was written"),
                r.err);
        assertTrue(r.err.contains("  hint: stockade pki renew --spec " + spec + " --dir " + pki), r.err);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("c/a/iptables.rules"))));
    }
}
