package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stockade} as a user runs it, from a copy of the launcher and the packaged jar (no
 * sources beside them, so it never rebuilds): the class-sharing archive beside the jar is written by
 * the first run, mapped by the next, replaced when the jar changes, left alone when the user chose
 * JVM options or cannot write there, and never changes what a run prints or returns.
 */
class LauncherIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    /** A copy of bin/stockade and target/stockade.jar under {@code tmp}. */
    private Path install() throws IOException {
        Path root = tmp.resolve("stockade");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("target"));
        Path launcher = root.resolve("bin/stockade");
        Files.copy(Path.of("bin/stockade"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of(BadInputProcessIT.jar()), root.resolve("target/stockade.jar"));
        return root;
    }

    private static ExecResult run(Map<String, String> env, List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("STOCKADE_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        ExecResult r = Commands.run(pb, TIMEOUT, null);
        assertNotEquals(ExecResult.TIMED_OUT, r.exit(), () -> argv + "\n" + r.stderr());
        return r;
    }

    private static ExecResult launcher(Path root, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of(root.resolve("bin/stockade").toString()));
        argv.addAll(List.of(args));
        return run(env, argv);
    }

    /** The same command as a plain {@code java -jar} run: what the launcher's runs must print. */
    private static ExecResult plain(Path root, String... args) {
        List<String> argv = new ArrayList<>(
                List.of("java", "-jar", root.resolve("target/stockade.jar").toString()));
        argv.addAll(List.of(args));
        return run(Map.of(), argv);
    }

    private static List<Path> archives(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void firstRun_writesAnArchive_laterRunsMapIt_outputUnchanged() throws IOException {
        Path root = install();
        ExecResult expected = plain(root, "--help");
        assertEquals(0, expected.exit(), expected.stderr());

        ExecResult first = launcher(root, Map.of(), "--help");
        assertEquals(expected, first);
        List<Path> made = archives(root);
        assertEquals(1, made.size(), made::toString);
        assertTrue(made.get(0).getFileName().toString().matches("stockade-[0-9.]+-[0-9.]+\\.jsa"), made::toString);

        Path log = tmp.resolve("classes.log");
        ExecResult second =
                launcher(root, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "fw", "--help");
        ExecResult fwHelp = plain(root, "fw", "--help");
        assertEquals(fwHelp.exit(), second.exit(), second.stderr());
        assertEquals(fwHelp.stdout(), second.stdout());
        assertTrue(
                Files.readString(log).contains("dev.stockade.cli.Main source: shared objects file (top)"),
                "the second run did not map the archive");
        assertEquals(made, archives(root));

        // a usage error: the same message and exit code through the launcher
        assertEquals(plain(root, "buidl"), launcher(root, Map.of(), "buidl"));
    }

    @Test
    void firstRunFails_archiveStillWritten_exitCodeKept() throws IOException {
        Path root = install();
        ExecResult expected = plain(root, "fw", "lnt");
        assertEquals(2, expected.exit(), expected.stderr());
        assertEquals(expected, launcher(root, Map.of(), "fw", "lnt"));
        assertEquals(1, archives(root).size());
    }

    @Test
    void changedJar_replacesTheArchive_outputUnchanged() throws IOException {
        Path root = install();
        launcher(root, Map.of(), "--version");
        List<Path> before = archives(root);
        assertEquals(1, before.size());

        Path jar = root.resolve("target/stockade.jar");
        Files.setLastModifiedTime(
                jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        ExecResult after = launcher(root, Map.of(), "--version");
        assertEquals(plain(root, "--version"), after);
        List<Path> now = archives(root);
        assertEquals(1, now.size(), now::toString);
        assertNotEquals(before, now);
    }

    @Test
    void userJavaOptions_noArchive() throws IOException {
        Path root = install();
        ExecResult r = launcher(root, Map.of("STOCKADE_JAVA_OPTS", "-XX:+UseSerialGC"), "--help");
        assertEquals(plain(root, "--help"), r);
        assertEquals(List.of(), archives(root));
    }

    @Test
    void targetNotWritable_asUnprivilegedUser_noArchive_outputUnchanged() throws IOException {
        // root writes everywhere, so the check runs the launcher as 'nobody'
        GeneratedFilesIT.requireTool("setpriv");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = install();
        ExecResult r = run(
                Map.of(),
                List.of(
                        "setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        root.resolve("bin/stockade").toString(),
                        "--help"));
        assertEquals(plain(root, "--help"), r);
        assertEquals(List.of(), archives(root));
    }
}
