package dev.stockade.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A shell kept running inside one namespace ({@link NetnsLab#shell}), for tests that run many short
 * commands there (reading rule counters after every batch of packets): each command is one line on
 * the shell's standard input, so it costs a fork of the shell instead of a process started from the
 * JVM and a namespace switch. Commands read /dev/null and write to scratch files; a marker line on the
 * shell's output says when one has ended, and with which exit code. Every wait
 * is bounded; a command that runs past {@link NetnsLab#COMMAND_TIMEOUT} kills the shell and fails.
 */
public final class NetnsShell implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Host host;
    private final Process process;
    private final Path scratch;
    private final Writer stdin;
    private final ChildLines lines;
    private int commands;

    NetnsShell(Host host, Process process, Path scratch) {
        this.host = host;
        this.process = process;
        this.scratch = scratch;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.lines = new ChildLines(process, "stockade-netns-shell-" + host.name());
    }

    /** Runs {@code argv} (each word quoted for the shell) and returns its exit code and output. */
    public synchronized ExecResult run(String... argv) {
        if (!process.isAlive()) {
            throw new AssertionError("shell in " + host.netns() + " is gone");
        }
        int id = ++commands;
        Path out = Commands.tempFile(scratch, "shell.out");
        Path err = Commands.tempFile(scratch, "shell.err");
        String marker = "@@stockade-end-" + id + " ";
        StringBuilder line = new StringBuilder();
        for (String word : argv) {
            line.append(quote(word)).append(' ');
        }
        line.append("</dev/null >").append(quote(out.toString())).append(" 2>").append(quote(err.toString()));
        line.append("; echo \"").append(marker).append("$?\"\n");
        try {
            stdin.write(line.toString());
            stdin.flush();
            long deadline = System.nanoTime() + NetnsLab.COMMAND_TIMEOUT.toNanos();
            for (String got = next(deadline, argv); ; got = next(deadline, argv)) {
                if (got.startsWith(marker)) {
                    int exit = Integer.parseInt(got.substring(marker.length()));
                    return new ExecResult(exit, Commands.read(out), Commands.read(err));
                }
            }
        } catch (IOException e) {
            throw fail("cannot write to the shell: " + e.getMessage());
        } finally {
            Commands.deleteQuietly(out);
            Commands.deleteQuietly(err);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private String next(long deadlineNanos, String[] argv) {
        try {
            return lines.next(deadlineNanos)
                    .orElseThrow(() -> fail("no answer in " + NetnsLab.COMMAND_TIMEOUT.toSeconds() + " s to "
                            + String.join(" ", argv)));
        } catch (EOFException e) {
            throw fail("the shell exited during " + String.join(" ", argv));
        }
    }

    private AssertionError fail(String message) {
        Commands.kill(process);
        return new AssertionError("shell in " + host.netns() + ": " + message);
    }

    /** Stops the shell (EOF on its stdin, then by handle). Idempotent. */
    @Override
    public void close() {
        Commands.stop(process, STOP_GRACE);
    }
}
