package dev.stockade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded helper against children that misbehave: each hangs, floods its output, or leaves a
 * grandchild holding its output open. The call must come back within its timeout (plus the time
 * killing takes) and no process of the child may be left running. The children print their own and
 * their grandchildren's pids ({@code pid=N}) so the test can check each of them afterwards.
 */
class CommandsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Killing and collecting a few processes takes milliseconds; this leaves room on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    /** Pids the test saw; any still running at the end is killed, so a failing test leaves nothing. */
    private final List<Long> seen = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        seen.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void run_exitingChild_returnsExitCodeAndBothOutputs() {
        ExecResult r = Commands.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT);
        assertEquals(3, r.exit());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
    }

    @Test
    void run_mergedStderr_keepsTheOrderOfBoth() {
        ExecResult r = Commands.run(
                new ProcessBuilder("sh", "-c", "echo one; echo two >&2; echo three").redirectErrorStream(true),
                TIMEOUT,
                null);
        assertEquals(0, r.exit());
        assertEquals("one\ntwo\nthree\n", r.stdout());
    }

    @Test
    void run_missingProgram_exits127WithTheReason() {
        ExecResult r = Commands.run(List.of("/nonexistent/stockade-no-such-program"), TIMEOUT);
        assertEquals(Commands.CANNOT_START, r.exit());
        assertTrue(r.stderr().contains("No such file"), r.describe());
    }

    @Test
    void run_childThatHangs_isKilledAtTheTimeout() {
        ExecResult r = timed(List.of("sh", "-c", "echo pid=$$; exec sleep 600"));
        assertEquals(ExecResult.TIMED_OUT, r.exit(), r.describe());
        assertTrue(r.stderr().contains("killed after 1000 ms"), r.describe());
        assertAllGone(r, 1);
    }

    @Test
    void run_childThatFloodsItsOutputThenHangs_isKilledAndItsOutputKept() {
        // 2 MB is 32 times what a pipe holds: a helper that read the output before its timeout started
        // would wait here for the end of output, i.e. for the sleep; 3 s leave time to write it all
        Duration timeout = Duration.ofSeconds(3);
        ExecResult r =
                timed(List.of("sh", "-c", "echo pid=$$; head -c 2000000 /dev/zero | tr '\\0' x; sleep 600"), timeout);
        assertEquals(ExecResult.TIMED_OUT, r.exit(), r.stderr());
        assertEquals(2_000_000, r.stdout().chars().filter(c -> c == 'x').count());
        assertAllGone(r, 1);
    }

    @Test
    void run_grandchildHoldingTheOutputWhileChildWaits_bothKilled() {
        ExecResult r = timed(List.of("sh", "-c", "echo pid=$$; sleep 600 & echo pid=$!; wait"));
        assertEquals(ExecResult.TIMED_OUT, r.exit(), r.describe());
        assertAllGone(r, 2);
    }

    @Test
    void run_orphanedGrandchildHoldingTheOutput_returnsAtOnceAndIsKilled() {
        // the subshell starts sleep and exits, so sleep is re-parented away from the child: only its
        // session still ties it to the run; with a pipe, reading to end-of-file would wait 600 s
        ExecResult r = timed(List.of("sh", "-c", "(sleep 600 & echo pid=$!); echo done"));
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().endsWith("done\n"), r.describe());
        assertAllGone(r, 1);
    }

    @Test
    void kill_startedChildWithGrandchildren_leavesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Process p = Commands.start(
                new ProcessBuilder("sh", "-c", "sleep 600 & echo pid=$!; (sleep 600 & echo pid=$!); echo ready; wait")
                        .redirectOutput(out.toFile()));
        seen.add(p.pid());
        long deadline = System.nanoTime() + SLACK.toNanos();
        while (!Commands.read(out).contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<Long> pids = pids(new ExecResult(0, Commands.read(out), ""));
        seen.addAll(pids);
        assertEquals(2, pids.size(), Commands.read(out));
        List<Long> expected = List.of(p.pid(), pids.get(0), pids.get(1));
        List<Long> before =
                Commands.tree(p).stream().map(ProcessHandle::pid).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), before, "sh, its child sleep and the orphaned one");

        assertEquals(List.of(), Commands.kill(p));
        assertFalse(p.isAlive());
        expected.forEach(pid -> assertFalse(Commands.running(pid), "pid " + pid + " still running"));
    }

    @Test
    void childLines_silentChild_givesUpAtTheDeadline_thenEndOfFileOnceKilled() throws Exception {
        Process p = Commands.start(new ProcessBuilder("sh", "-c", "echo READY; exec sleep 600"));
        seen.add(p.pid());
        try {
            ChildLines lines = new ChildLines(p, "commands-test");
            assertEquals(Optional.of("READY"), lines.next(System.nanoTime() + SLACK.toNanos()));
            long start = System.nanoTime();
            assertEquals(
                    Optional.empty(),
                    lines.next(System.nanoTime() + Duration.ofMillis(200).toNanos()));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(SLACK) < 0);
            Commands.kill(p);
            long deadline = System.nanoTime() + SLACK.toNanos();
            assertThrows(EOFException.class, () -> lines.next(deadline));
            assertThrows(EOFException.class, () -> lines.next(deadline), "end of file is reported every time");
        } finally {
            Commands.kill(p);
        }
    }

    /** Runs {@code argv} with {@link #TIMEOUT}, and fails when the call took longer than that plus slack. */
    private ExecResult timed(List<String> argv) {
        return timed(argv, TIMEOUT);
    }

    /** Runs {@code argv} with {@code timeout}, and fails when the call took longer than that plus slack. */
    private ExecResult timed(List<String> argv, Duration timeout) {
        long start = System.nanoTime();
        ExecResult r = Commands.run(argv, timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        pids(r).forEach(seen::add);
        assertTrue(took.compareTo(timeout.plus(SLACK)) < 0, "took " + took.toMillis() + " ms: " + r.describe());
        return r;
    }

    /** Every pid the child printed is gone (none running, zombies aside), and there were {@code expected}. */
    private static void assertAllGone(ExecResult r, int expected) {
        List<Long> pids = pids(r);
        assertEquals(expected, pids.size(), r.describe());
        for (long pid : pids) {
            assertFalse(Commands.running(pid), "pid " + pid + " still running");
        }
    }

    private static List<Long> pids(ExecResult r) {
        List<Long> pids = new ArrayList<>();
        Matcher m = PID.matcher(r.stdout());
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }
}
