package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class PkiDirOptionsTest {

    static final String SPEC = "stockade: 1\ncluster: t\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
            + "nodes:\n  - {name: a, private: 10.250.0.1}\n"
            + "admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n";

    @TempDir
    Path tmp;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        PkiDirOptions dirs;
    }

    private static PkiDirOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.dirs;
    }

    @Test
    void dir_defaultsToPkiSlashCluster_givenDirWins() throws Exception {
        Path spec = tmp.resolve("s.yaml");
        Files.writeString(spec, SPEC);
        PkiDirOptions o = parse("--spec", spec.toString());
        assertEquals(Path.of("pki", "t"), o.dir());
        assertEquals("t", o.spec().cluster());
        assertEquals(
                tmp.resolve("p"),
                parse("--spec", spec.toString(), "--dir", tmp.resolve("p").toString())
                        .dir());
        assertEquals(tmp, parse("--dir", tmp.toString()).dir(), "no spec needed with --dir");
    }

    @Test
    void dir_badSpec_inputError() throws Exception {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "stockade: 1\n");
        assertThrows(
                InputException.class, () -> parse("--spec", spec.toString()).dir());
    }
}
