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
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree's edges: unknown and missing commands, help, and failures mapped to exit codes. */
class MainTest {

    static BuildCommandTest.Result run(String... args) {
        return BuildCommandTest.run(args);
    }

    /** Runs {@code stockade boom} where boom throws what {@code failure} gives. */
    static BuildCommandTest.Result boom(Supplier<Throwable> failure) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(o), new PrintWriter(e));
        cl.addSubcommand("boom", new Boom(failure));
        cl.setOut(new PrintWriter(o)); // reaches the command added above
        cl.setErr(new PrintWriter(e));
        int code = Main.execute(cl, new String[] {"boom"});
        return new BuildCommandTest.Result(code, o.toString(), e.toString());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final Supplier<Throwable> failure;

        Boom(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            Throwable t = failure.get();
            if (t instanceof Exception) {
                throw (Exception) t;
            }
            throw (Error) t;
        }
    }

    @Test
    void run_misspeltCommand_suggestsTheCommandExit2() {
        BuildCommandTest.Result r = run("buidl");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("stockade: unknown command 'buidl'; did you mean 'build'?"), r.err());
        assertFalse(r.err().contains("Unmatched"), r.err());
    }

    @Test
    void run_misspeltSubcommand_suggestsWithinItsGroup() {
        BuildCommandTest.Result r = run("fw", "lnt", "x.rules");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'lnt'; did you mean 'lint'?"), r.err());
    }

    @Test
    void run_unknownCommandWithHelp_isAnErrorNotTheRootHelp() {
        BuildCommandTest.Result r = run("deploy", "--help");
        assertEquals(2, r.code(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().contains("unknown command 'deploy'"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fw", "pki"})
    void run_groupWithoutCommand_usageOnStderrExit2(String group) {
        BuildCommandTest.Result r = group.isEmpty() ? run() : run(group);
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: stockade"), r.err());
        assertTrue(r.err().contains("needs a command"), r.err());
    }

    @Test
    void help_nestedCommand_printsThatCommandsHelp() {
        BuildCommandTest.Result r = run("help", "fw", "lint");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: stockade fw lint"), r.out());
        BuildCommandTest.Result sub = run("fw", "help", "diff");
        assertTrue(sub.out().startsWith("Usage: stockade fw diff"), sub.out());
    }

    @Test
    void help_unknownCommand_exit2WithSuggestion() {
        BuildCommandTest.Result r = run("help", "fw", "lnt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'lnt'; did you mean 'lint'?"), r.err());
    }

    @Test
    void execute_inputException_compilerStyleExit2() {
        BuildCommandTest.Result r = boom(() -> new InputException(
                Diagnostic.error("TEST-CODE", new SourceSpan("in.txt", 3, 7), "something is wrong", "fix it")));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("in.txt:3:7: error: something is wrong [TEST-CODE]\n  hint: fix it\n"), r.err());
        assertTrue(r.err().contains("stockade: 1 error in in.txt"), r.err());
    }

    @Test
    void execute_environmentException_exit3WithHint() {
        BuildCommandTest.Result r =
                boom(() -> new EnvironmentException("cannot write out/x: disk full", "free some space", null));
        assertEquals(3, r.code());
        assertEquals("stockade: error: cannot write out/x: disk full\n  hint: free some space\n", r.err());
    }

    @Test
    void execute_ioException_exit3() {
        BuildCommandTest.Result r = boom(() -> new NoSuchFileException("/nowhere/file"));
        assertEquals(3, r.code());
        assertTrue(r.err().startsWith("stockade: error: no such file: /nowhere/file\n"), r.err());
        BuildCommandTest.Result plain = boom(() -> new IOException("device\nerror"));
        assertEquals(3, plain.code());
        assertTrue(plain.err().startsWith("stockade: error: device error\n"), plain.err());
    }

    @Test
    void execute_runtimeException_exit4OneLine() {
        BuildCommandTest.Result r = boom(() -> new IllegalStateException("broken\ninvariant"));
        assertInternalError(r, "java.lang.IllegalStateException: broken invariant");
    }

    @Test
    void execute_stackOverflowError_exit4OneLineNotExit1() {
        BuildCommandTest.Result r = boom(MainTest::overflow);
        assertInternalError(r, "java.lang.StackOverflowError");
    }

    @Test
    void execute_otherError_exit4() {
        BuildCommandTest.Result r = boom(() -> new AssertionError("unreachable"));
        assertInternalError(r, "java.lang.AssertionError: unreachable");
    }

    private static void assertInternalError(BuildCommandTest.Result r, String what) {
        assertEquals(4, r.code(), r.err());
        String[] lines = r.err().split("\n");
        assertEquals(2, lines.length, r.err());
        assertTrue(lines[0].startsWith("stockade: internal error: " + what), lines[0]);
        assertTrue(lines[1].startsWith("  hint: this is a bug in Stockade"), lines[1]);
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** A real StackOverflowError, thrown deep in a recursion as the bugs it stands for were. */
    private static Throwable overflow() {
        try {
            return deeper(0);
        } catch (StackOverflowError e) {
            return e;
        }
    }

    private static Throwable deeper(int n) {
        return n < 0 ? null : deeper(n + 1);
    }

    @Test
    void unusedConverters_noOptionOrParameterHasSuchAType() {
        List<java.util.regex.Pattern> unused = new ArrayList<>();
        for (String p : Main.UNUSED_CONVERTERS.split(",")) {
            unused.add(java.util.regex.Pattern.compile(p));
        }
        List<CommandLine> todo = new ArrayList<>(
                List.of(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))));
        int checked = 0;
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(todo.size() - 1);
            todo.addAll(new java.util.LinkedHashSet<>(c.getSubcommands().values()));
            List<CommandLine.Model.ArgSpec> args =
                    new ArrayList<>(c.getCommandSpec().options());
            args.addAll(c.getCommandSpec().positionalParameters());
            for (CommandLine.Model.ArgSpec a : args) {
                List<Class<?>> types = new ArrayList<>(List.of(a.type()));
                types.addAll(List.of(a.auxiliaryTypes()));
                for (Class<?> t : types) {
                    checked++;
                    for (java.util.regex.Pattern p : unused) {
                        assertFalse(
                                p.matcher(t.getName()).matches(),
                                c.getCommandSpec().qualifiedName() + " " + a + ": " + t.getName());
                    }
                }
            }
        }
        assertTrue(checked > 100, "only " + checked + " types checked");
    }

    @Test
    void skipUnusedConverters_setsThePropertyUnlessSet_outputUnchanged() {
        String key = "picocli.converters.excludes";
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            BuildCommandTest.Result with = run("fw", "analyze", "--help");
            BuildCommandTest.Result bad = run("fw", "query", "x.rules", "--dport", "http");
            Main.skipUnusedConverters();
            assertEquals(Main.UNUSED_CONVERTERS, System.getProperty(key));
            assertEquals(with, run("fw", "analyze", "--help"));
            assertEquals(bad, run("fw", "query", "x.rules", "--dport", "http"));
            System.setProperty(key, "java\\.sql\\..*");
            Main.skipUnusedConverters();
            assertEquals("java\\.sql\\..*", System.getProperty(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
