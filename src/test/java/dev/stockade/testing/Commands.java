package dev.stockade.testing;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests start external programs: every run has a hard time limit that covers the whole
 * run, its output included, and ends with no process of it left behind.
 *
 * <h2>Output</h2>
 * Standard output and error go to files, never to pipes, so a chatty program cannot block on a full
 * pipe and nothing waits for an end-of-file that a stray grandchild could hold back: the time limit is
 * the only wait. (Long-running helpers that answer on a pipe are read on a thread of their own by
 * {@link ChildLines}, with bounded waits.)
 *
 * <h2>Process trees</h2>
 * Every program is started through {@code setsid}, so it leads a session of its own, and everything it
 * starts stays in that session unless it makes one itself. Killing a program kills the program, every
 * process in its session and the descendants of all of them: they are found in one pass over
 * {@code /proc} (parent and session of each process) and signalled through {@link ProcessHandle}, never
 * by name, and the JDK checks each one's start time, so a recycled pid is never hit. So a child that
 * outlived its parent and was re-parented away is found too. A run that ends on time also has its
 * session swept, so a background child it forgot cannot outlive the test. What escapes: a daemon that
 * starts a session of its own after its parent has exited.
 */
public final class Commands {

    /** The exit code when a program could not be started at all (as a shell reports it). */
    public static final int CANNOT_START = 127;

    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** /proc/PID/stat is a few hundred bytes; the fields read here come within the first hundred or so. */
    private static final int STAT_BUFFER = 1024;

    private static final List<String> SETSID_CANDIDATES = List.of("/usr/bin/setsid", "/bin/setsid");

    private Commands() {}

    /** Runs {@code argv} to completion or until {@code timeout}, then kills it; stdin is /dev/null. */
    public static ExecResult run(List<String> argv, Duration timeout) {
        return run(new ProcessBuilder(argv), timeout, null);
    }

    /** Like {@link #run(List, Duration)}, with the output files in {@code scratchDir} (null: system temp). */
    static ExecResult run(List<String> argv, Duration timeout, Path scratchDir) {
        return run(new ProcessBuilder(argv), timeout, scratchDir);
    }

    /**
     * Runs the program {@code builder} describes (its command, environment, directory and whether
     * stderr joins stdout are kept; its input and output redirections are replaced: stdin is /dev/null,
     * output goes to files) until it exits or {@code timeout} passes, then kills its whole tree. Returns
     * within {@code timeout} plus a few seconds of killing, whatever the program does.
     *
     * @return the exit code and output; exit {@link ExecResult#TIMED_OUT} when killed after {@code
     *     timeout}, {@link #CANNOT_START} when the program could not be started
     */
    public static ExecResult run(ProcessBuilder builder, Duration timeout, Path scratchDir) {
        Path out = tempFile(scratchDir, "out");
        Path err = tempFile(scratchDir, "err");
        List<String> argv = List.copyOf(builder.command());
        try {
            builder.redirectInput(DEV_NULL).redirectOutput(out.toFile());
            if (!builder.redirectErrorStream()) {
                builder.redirectError(err.toFile());
            }
            Process process = start(builder);
            boolean finished = waitFor(process, timeout);
            kill(process); // on time: sweeps what it left running in its session
            int exit = finished ? process.exitValue() : ExecResult.TIMED_OUT;
            String stderr = read(err) + (finished ? "" : "\n[stockade] killed after " + timeout.toMillis() + " ms");
            return new ExecResult(exit, read(out), stderr);
        } catch (IOException e) {
            return new ExecResult(CANNOT_START, "", "[stockade] cannot start " + argv + ": " + e.getMessage());
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Starts a long-running {@code argv} with its output in files; its stdin stays a pipe, so the child
     * sees EOF when we go away. Stop it with {@link #stop} or {@link #kill}.
     */
    static Process start(List<String> argv, Path stdout, Path stderr) throws IOException {
        return start(new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()));
    }

    /**
     * Starts the program {@code builder} describes, as it is configured, in a session of its own. The
     * caller bounds every wait on it and ends it with {@link #stop} or {@link #kill}.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        List<String> argv = builder.command();
        List<String> command = new ArrayList<>(argv.size() + 2);
        command.add(setsid());
        command.add("--wait"); // were setsid ever to fork, it still reports the program's exit code
        command.addAll(argv);
        ProcessBuilder inSession = new ProcessBuilder(command)
                .directory(builder.directory())
                .redirectInput(builder.redirectInput())
                .redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError())
                .redirectErrorStream(builder.redirectErrorStream());
        inSession.environment().clear();
        inSession.environment().putAll(builder.environment());
        return inSession.start();
    }

    /** Closes the child's stdin, waits {@code grace}, then kills it and its whole tree. Bounded. */
    public static void stop(Process process, Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already be gone
        }
        waitFor(process, grace);
        kill(process);
    }

    /**
     * Kills {@code process}, its descendants and every process left in its session (SIGKILL, by handle)
     * and waits (bounded) until they are gone. Safe on a process that has already exited: then it only
     * sweeps what the process left behind.
     *
     * @return the processes still alive after the wait (empty unless something survived SIGKILL)
     */
    public static List<ProcessHandle> kill(Process process) {
        process.destroyForcibly();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        List<ProcessHandle> left = tree(process);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.forEach(ProcessHandle::destroyForcibly);
            sleep(Duration.ofMillis(5));
            left = tree(process);
        }
        waitFor(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return left;
    }

    /**
     * The live processes that belong to {@code process}: itself while it runs, every process in the
     * session it leads, and the descendants of all of these (zombies, which only wait for their parent
     * to collect them, left out). One pass over /proc.
     */
    public static List<ProcessHandle> tree(Process process) {
        Map<Long, long[]> table = processTable();
        Map<Long, List<Long>> children = new HashMap<>();
        Deque<Long> todo = new ArrayDeque<>();
        table.forEach((pid, parentAndSession) -> {
            children.computeIfAbsent(parentAndSession[0], k -> new ArrayList<>())
                    .add(pid);
            if (parentAndSession[1] == process.pid()) {
                todo.add(pid);
            }
        });
        if (process.isAlive()) { // once it is collected, its pid may be another process's
            todo.add(process.pid());
        }
        Set<Long> found = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (found.add(pid)) {
                todo.addAll(children.getOrDefault(pid, List.of()));
            }
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : found) {
            if (table.containsKey(pid)) {
                ProcessHandle.of(pid).ifPresent(handles::add);
            }
        }
        return handles;
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

    /**
     * Whether {@code pid} is a live process: it exists and is not a zombie. ({@link
     * ProcessHandle#isAlive()} counts zombies as alive.)
     */
    static boolean running(long pid) {
        return stat(Long.toString(pid), new byte[STAT_BUFFER]) != null;
    }

    /** Parent pid and session id of every live process, by pid, from /proc. */
    private static Map<Long, long[]> processTable() {
        String[] names = new File("/proc").list();
        if (names == null) {
            throw new AssertionError("cannot list the processes in /proc");
        }
        Map<Long, long[]> table = new HashMap<>();
        byte[] buffer = new byte[STAT_BUFFER];
        for (String name : names) {
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                long[] parentAndSession = stat(name, buffer);
                if (parentAndSession != null) {
                    table.put(Long.parseLong(name), parentAndSession);
                }
            }
        }
        return table;
    }

    /**
     * Parent pid and session id from /proc/PID/stat ({@code pid (comm) state ppid pgrp session ...});
     * null when the process is gone or a zombie.
     */
    private static long[] stat(String pid, byte[] buffer) {
        int length = 0;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
            }
        } catch (IOException e) {
            return null;
        }
        String line = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        int close = line.lastIndexOf(')');
        String[] fields =
                close < 0 ? new String[0] : line.substring(close + 1).strip().split(" ", 5);
        if (fields.length < 5 || fields[0].equals("Z") || fields[0].equals("X")) {
            return null;
        }
        return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[3])};
    }

    private static String setsid() {
        for (String candidate : SETSID_CANDIDATES) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("setsid (Debian package util-linux) not found in " + SETSID_CANDIDATES
                + "; every test program is started in a session of its own so it can be killed whole");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
