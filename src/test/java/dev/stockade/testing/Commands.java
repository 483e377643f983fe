package dev.stockade.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands with a hard timeout. Output goes to files (never to pipes nobody reads), so a
 * chatty command can never block, and every process is killed through its own handle, never by name.
 */
final class Commands {

    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private Commands() {}

    /** Runs {@code argv} to completion or until {@code timeout}, then kills it; stdin is /dev/null. */
    static ExecResult run(List<String> argv, Duration timeout, Path scratchDir) {
        Path out = tempFile(scratchDir, "out");
        Path err = tempFile(scratchDir, "err");
        try {
            Process process = builder(argv, out, err).redirectInput(DEV_NULL).start();
            boolean finished = waitFor(process, timeout);
            if (!finished) {
                kill(process);
            }
            int exit = finished ? process.exitValue() : ExecResult.TIMED_OUT;
            String stderr = read(err) + (finished ? "" : "\n[stockade] killed after " + timeout.toSeconds() + " s");
            return new ExecResult(exit, read(out), stderr);
        } catch (IOException e) {
            return new ExecResult(127, "", "[stockade] cannot start " + argv + ": " + e.getMessage());
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Starts a long-running {@code argv}; its stdin stays a pipe so the child sees EOF when we go away. */
    static Process start(List<String> argv, Path stdout, Path stderr) throws IOException {
        return builder(argv, stdout, stderr).start();
    }

    /** Closes the child's stdin, waits {@code grace}, then kills it and its descendants. Bounded. */
    static void stop(Process process, Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already be gone
        }
        if (!waitFor(process, grace)) {
            kill(process);
        }
    }

    /** Kills {@code process} and its descendants by handle and waits (bounded) until they are gone. */
    static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(process, KILL_WAIT);
    }

    static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "[stockade] cannot read " + file + ": " + e.getMessage();
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the whole scratch directory is removed on close
        }
    }

    /** A new empty file in {@code dir}, or in the system temp directory when {@code dir} is null. */
    static Path tempFile(Path dir, String suffix) {
        try {
            return dir == null
                    ? Files.createTempFile("stockade-cmd-", "." + suffix)
                    : Files.createTempFile(dir, "cmd-", "." + suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder builder(List<String> argv, Path stdout, Path stderr) {
        return new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    }
}
