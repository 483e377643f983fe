package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's help as an 80-column terminal shows it: no line wider, every option and
 * parameter described in whole sentences (picocli wraps them; a description broken by hand breaks
 * mid-line), meaningful placeholders, the exit codes listed, and first sentences short enough
 * that the command lists show them whole.
 */
class HelpTextTest {

    /** Declares its options apart from the shared mixins for now; its page is checked for width only. */
    static Stream<CommandLine> commands() {
        CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(80);
        List<CommandLine> all = new ArrayList<>();
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine c = todo.poll();
            if (!all.contains(c)) {
                all.add(c);
                todo.addAll(c.getSubcommands().values());
            }
        }
        return all.stream();
    }

    private static String name(CommandLine c) {
        return c.getCommandSpec().qualifiedName();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void help_at80Columns_noLineWider(CommandLine c) {
        String help = c.getUsageMessage();
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 80, name(c) + ": " + line.length() + " columns:\n" + line);
            assertFalse(line.endsWith(" "), name(c) + ": trailing blank:\n" + line);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void help_everyOptionAndParameter_describedWithMeaningfulPlaceholder(CommandLine c) {
        List<ArgSpec> args = new ArrayList<>(c.getCommandSpec().options());
        args.addAll(c.getCommandSpec().positionalParameters());
        for (ArgSpec a : args) {
            String what = name(c) + " " + a;
            assertTrue(a.description().length > 0, what + " has no description");
            for (String d : a.description()) {
                assertTrue(d.endsWith("."), what + ": not a whole sentence: " + d);
            }
            if (a.typeInfo().isBoolean()) {
                continue;
            }
            assertFalse(a.paramLabel().startsWith("<"), what + ": placeholder " + a.paramLabel());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void help_descriptionAndExitCodes_wholeSentences(CommandLine c) {
        CommandSpec spec = c.getCommandSpec();
        String[] description = spec.usageMessage().description();
        assertTrue(description.length > 0, name(c) + " has no description");
        for (String d : description) {
            assertTrue(d.endsWith(".") || d.endsWith(":"), name(c) + ": not a whole sentence: " + d);
        }
        // the command lists show the first sentence beside the name: it must fit on that line
        assertTrue(description[0].length() <= 56, name(c) + ": first sentence too long for the command list");
        assertFalse(spec.usageMessage().exitCodeList().isEmpty(), name(c) + " lists no exit codes");
        spec.usageMessage().exitCodeList().values().forEach(v -> assertTrue(v.endsWith("."), name(c) + ": " + v));
    }
}
