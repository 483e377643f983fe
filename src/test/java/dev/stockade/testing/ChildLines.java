package dev.stockade.testing;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines a long-running child writes to its standard output, read on a daemon thread of their own
 * so that every wait for one is bounded by a deadline: a child that hangs, or keeps its output open,
 * can only make {@link #next} return empty, never block the test. The thread ends when the output
 * reaches end-of-file, which {@link Commands#kill} guarantees by killing every process that holds it.
 */
final class ChildLines {

    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    /** Starts reading {@code process}'s standard output on a daemon thread named {@code threadName}. */
    ChildLines(Process process, String threadName) {
        Thread reader = new Thread(() -> pump(process), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(Process process) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(Optional.of(line));
            }
        } catch (IOException ignored) {
            // the child went away: the end below tells whoever waits
        }
        lines.add(Optional.empty());
    }

    /**
     * The next line, waiting at most until {@code deadlineNanos} ({@link System#nanoTime()} scale).
     *
     * @return the line, or empty when the deadline passed first
     * @throws EOFException when the child closed its output (again on every later call)
     */
    Optional<String> next(long deadlineNanos) throws EOFException {
        Optional<String> line;
        try {
            line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (line == null) {
            return Optional.empty();
        }
        if (line.isEmpty()) {
            lines.add(line);
            throw new EOFException("end of the child's output");
        }
        return line;
    }
}
