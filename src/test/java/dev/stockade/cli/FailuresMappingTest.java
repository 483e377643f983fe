package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every kind of failure, reported by {@link Failures} directly: the exit code and what stderr says. */
class FailuresMappingTest {

    private final Failures failures = new Failures();
    private final StringWriter err = new StringWriter();

    private int report(Throwable t) {
        return failures.report(new PrintWriter(err), t);
    }

    @Test
    void getExitCode_byKind() {
        assertEquals(ExitCodes.BAD_INPUT, failures.getExitCode(new InputException(java.util.List.of())));
        assertEquals(
                ExitCodes.BAD_INPUT,
                failures.getExitCode(new CommandLine.ParameterException(new CommandLine(new Main()), "x")));
        assertEquals(ExitCodes.ENVIRONMENT, failures.getExitCode(new EnvironmentException("m", "h", null)));
        assertEquals(ExitCodes.ENVIRONMENT, failures.getExitCode(new IOException("disk")));
        assertEquals(ExitCodes.ENVIRONMENT, failures.getExitCode(new UncheckedIOException(new IOException("x"))));
        assertEquals(ExitCodes.INTERNAL, failures.getExitCode(new IllegalStateException("bug")));
        assertEquals(ExitCodes.INTERNAL, failures.getExitCode(new StackOverflowError()));
    }

    @Test
    void report_environment_messageAndHint() {
        assertEquals(
                ExitCodes.ENVIRONMENT, report(new EnvironmentException("cannot write out/", "free some space", null)));
        assertEquals("stockade: error: cannot write out/\n  hint: free some space\n", err.toString());
    }

    @Test
    void report_ioFailures_namedByKind() {
        report(new NoSuchFileException("/x/y"));
        report(new UncheckedIOException(new AccessDeniedException("/etc/z")));
        report(new IOException("line one\nline two"));
        String text = err.toString();
        assertTrue(text.contains("stockade: error: no such file: /x/y\n"), text);
        assertTrue(text.contains("stockade: error: permission denied: /etc/z\n"), text);
        assertTrue(text.contains("stockade: error: line one line two\n"), text);
        assertTrue(text.contains("  hint: check that the files exist, their permissions and the free space\n"), text);
    }

    @Test
    void report_bug_oneLineWithOriginNoStackTrace() {
        RuntimeException bug = new IllegalStateException("broken\n  detail");
        bug.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.Objects", "requireNonNull", "Objects.java", 1),
            new StackTraceElement("dev.stockade.analysis.Exposure", "of", "Exposure.java", 42)
        });
        assertEquals(ExitCodes.INTERNAL, report(bug));
        String[] lines = err.toString().split("\n");
        assertEquals(
                "stockade: internal error: java.lang.IllegalStateException: broken detail (at analysis.Exposure.of:42)",
                lines[0]);
        assertTrue(lines[1].startsWith("  hint: this is a bug in Stockade"), lines[1]);
        assertEquals(2, lines.length);
    }

    @Test
    void report_input_compilerStyle() {
        assertEquals(
                ExitCodes.BAD_INPUT,
                report(new InputException(Diagnostic.error("X-Y", new SourceSpan("f", 0, 0), "bad", ""))));
        assertEquals("f: error: bad [X-Y]\nstockade: 1 error in f; nothing was written\n", err.toString());
    }

    @Test
    void unknownCommandMessage_suggestsTheClosest() {
        CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals("unknown command 'buidl'; did you mean 'build'?", Failures.unknownCommandMessage(root, "buidl"));
        assertEquals("unknown command 'zzzzzz'", Failures.unknownCommandMessage(root, "zzzzzz"));
        assertFalse(Failures.unknownCommandMessage(root.getSubcommands().get("fw"), "anlyze")
                .isEmpty());
    }
}
