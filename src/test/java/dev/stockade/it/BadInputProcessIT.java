package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real launcher process (the packaged jar): exit code 2, a
 * {@code file:line:col: error:} line with a hint, and never a Java stack trace; and an output
 * directory this user cannot write: exit 3 with the previous output unchanged.
 */
class BadInputProcessIT {

    @TempDir
    Path tmp;

    static String jar() {
        String jar = System.getProperty("stockade.jar", "target/stockade.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
        return jar;
    }

    @Test
    void unreadableSpec_asUnprivilegedUser_exit2WithHint() throws Exception {
        // root reads every file, so the check runs the tool as 'nobody'
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = tmp.resolve("stockade.jar");
        Files.copy(Path.of(jar()), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path spec = tmp.resolve("secret.yaml");
        Files.copy(Path.of("examples/demo.yaml"), spec);
        Files.setPosixFilePermissions(spec, PosixFilePermissions.fromString("---------"));

        GeneratedFilesIT.Result r = GeneratedFilesIT.exec(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "java",
                "-jar",
                jar.toString(),
                "build",
                spec.toString(),
                "-o",
                tmp.resolve("out").toString(),
                "--pki",
                tmp.resolve("pki").toString());

        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains(spec + ":1:1: error: cannot read: permission denied"), r.output());
        assertTrue(r.output().contains("hint: "), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void brokenSpec_throughJar_exit2NoStackTrace() throws Exception {
        Path spec = tmp.resolve("broken.yaml");
        Files.writeString(
                spec, "stockade: 1\ncluster: x\ntarget: flatcar\nnodes:\n  - {name: a, private: 10.250.0.1/24}\n");
        GeneratedFilesIT.Result r = GeneratedFilesIT.exec(
                "java",
                "-jar",
                jar(),
                "build",
                spec.toString(),
                "-o",
                tmp.resolve("out").toString());
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains(spec + ":5:24: error: 'private' must be a single address"), r.output());
        assertFalse(r.output().contains("\tat "), r.output());
    }

    @Test
    void help_throughJar_exit0() throws Exception {
        GeneratedFilesIT.Result r = GeneratedFilesIT.exec("java", "-jar", jar(), "build", "--help");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("Exit codes:"), r.output());
    }

    @Test
    void unknownCommand_throughJar_exit2WithSuggestion() throws Exception {
        GeneratedFilesIT.Result r = GeneratedFilesIT.exec("java", "-jar", jar(), "buidl");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("unknown command 'buidl'; did you mean 'build'?"), r.output());
    }

    @Test
    void noCommand_throughJar_usageExit2() throws Exception {
        GeneratedFilesIT.Result r = GeneratedFilesIT.exec("java", "-jar", jar());
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().startsWith("Usage: stockade"), r.output());
    }

    @Test
    void deepJumpChain_throughJar_neverExit1OrStackTrace() throws Exception {
        // 3,000 user chains each jumping to the next: deeper than a naive recursion survives
        StringBuilder rules = new StringBuilder("*filter\n:INPUT DROP [0:0]\n");
        int n = 3000;
        for (int i = 0; i < n; i++) {
            rules.append(":c").append(i).append(" - [0:0]\n");
        }
        rules.append("-A INPUT -j c0\n");
        for (int i = 0; i < n - 1; i++) {
            rules.append("-A c").append(i).append(" -j c").append(i + 1).append('\n');
        }
        rules.append("COMMIT\n");
        Path file = tmp.resolve("deep.rules");
        Files.writeString(file, rules);
        for (String command : new String[] {"lint", "analyze"}) {
            GeneratedFilesIT.Result r =
                    GeneratedFilesIT.exec("java", "-Xss512k", "-jar", jar(), "fw", command, file.toString());
            assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 2 || r.code() == 4, r.output());
            assertFalse(r.code() == 1 && command.equals("analyze"), r.output());
            assertFalse(r.output().contains("\tat "), r.output());
            assertFalse(r.output().contains("Exception in thread"), r.output());
        }
    }

    @Test
    void unwritableOutput_asUnprivilegedUser_exit3PreviousOutputUnchanged() throws Exception {
        // root writes everywhere, so the tool runs as 'nobody' in a directory that user owns
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = tmp.resolve("stockade.jar");
        Files.copy(Path.of(jar()), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path spec = tmp.resolve("demo.yaml");
        Files.copy(Path.of("examples/demo.yaml"), spec);
        Files.setPosixFilePermissions(spec, PosixFilePermissions.fromString("rw-r--r--"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        assertEquals(
                0,
                GeneratedFilesIT.exec("chown", "65534:65534", work.toString()).code());
        Path out = work.resolve("out");
        String[] build = {
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "java",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "build",
            spec.toString(),
            "-o",
            out.toString(),
            "--pki",
            work.resolve("pki").toString()
        };
        GeneratedFilesIT.Result first = GeneratedFilesIT.exec(build);
        assertEquals(0, first.code(), first.output());
        java.util.Map<String, byte[]> before = contents(out);
        assertTrue(
                before.containsKey("demo/core-1/iptables.rules"),
                before.keySet().toString());
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));

        GeneratedFilesIT.Result second = GeneratedFilesIT.exec(build);

        assertEquals(3, second.code(), second.output());
        assertTrue(
                second.output()
                        .contains("stockade: error: cannot write " + out.resolve("demo") + ": permission denied: " + out
                                + "\n"),
                second.output());
        assertTrue(second.output().contains("nothing was written and no certificate was issued"), second.output());
        assertFalse(second.output().contains("Exception"), second.output());
        java.util.Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k));
    }

    /** Every file under {@code dir} with its bytes, by relative path. */
    private static java.util.Map<String, byte[]> contents(Path dir) throws java.io.IOException {
        java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
