package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command groups (fw, pki) and the help command, each at every level of the tree; the tree built
 * for one command line against the whole tree, and {@link CommandTree}'s list against the classes'
 * annotations.
 */
class CommandTreeTest {

    private static CommandLine root() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void tree_groupsHoldTheirCommandsAndAHelp() {
        CommandLine root = root();
        CommandLine fw = root.getSubcommands().get("fw");
        CommandLine pki = root.getSubcommands().get("pki");
        assertInstanceOf(FwCommand.class, fw.getCommand());
        assertInstanceOf(PkiCommand.class, pki.getCommand());
        assertInstanceOf(BuildCommand.class, root.getSubcommands().get("build").getCommand());
        assertInstanceOf(HelpCommand.class, root.getSubcommands().get("help").getCommand());
        assertEquals(
                List.of("analyze", "analyse", "matrix", "diff", "lint", "query", "help"),
                List.copyOf(fw.getSubcommands().keySet()));
        assertEquals(
                List.of("init", "issue", "inspect", "verify", "renew", "revoke", "crl", "help"),
                List.copyOf(pki.getSubcommands().keySet()));
        assertInstanceOf(HelpCommand.class, fw.getSubcommands().get("help").getCommand());
        assertInstanceOf(FwQueryCommand.class, fw.getSubcommands().get("query").getCommand());
        assertInstanceOf(
                PkiRenewCommand.class, pki.getSubcommands().get("renew").getCommand());
        assertInstanceOf(
                PkiRevokeCommand.class, pki.getSubcommands().get("revoke").getCommand());
        assertInstanceOf(PkiCrlCommand.class, pki.getSubcommands().get("crl").getCommand());
    }

    @Test
    void group_withoutCommand_usageAndItsCommandsExit2() {
        CommandRun fw = CommandRun.of("fw");
        assertEquals(2, fw.exit);
        assertTrue(fw.err.startsWith("Usage: stockade fw "), fw.err);
        assertTrue(
                fw.err.contains("stockade: 'stockade fw' needs a command: analyze, matrix, diff, lint, query, help\n"),
                fw.err);
        assertInstanceOf(FwCommand.class, fw.command(Object.class));
        CommandRun pki = CommandRun.of("pki");
        assertEquals(2, pki.exit);
        assertTrue(
                pki.err.contains("needs a command: init, issue, inspect, verify, renew, revoke, crl, help\n"), pki.err);
        assertInstanceOf(PkiCommand.class, pki.command(Object.class));
        CommandRun images = CommandRun.of("images");
        assertEquals(2, images.exit);
        assertTrue(images.err.startsWith("Usage: stockade images "), images.err);
        assertInstanceOf(ImagesCommand.class, images.command(Object.class));
    }

    @Test
    void help_atEveryDepth_printsThatCommandsUsage() {
        CommandRun lint = CommandRun.of("help", "fw", "lint");
        assertEquals(0, lint.exit, lint::toString);
        assertTrue(lint.out.startsWith("Usage: stockade fw lint "), lint.out);
        CommandRun nested = CommandRun.of("pki", "help", "verify");
        assertEquals(0, nested.exit, nested::toString);
        assertTrue(nested.out.startsWith("Usage: stockade pki verify "), nested.out);
        CommandRun self = CommandRun.of("help");
        assertTrue(self.out.startsWith("Usage: stockade "), self.out);
        assertEquals(List.of("fw", "lint"), lint.command(HelpCommand.class).names);
        CommandRun unknown = CommandRun.of("help", "fw", "lnit");
        assertEquals(2, unknown.exit);
        assertTrue(unknown.err.contains("unknown command 'lnit'; did you mean 'lint'?"), unknown.err);
    }

    /** What one run printed and returned. */
    record Outcome(int exit, String out, String err) {}

    private static Outcome lazily(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static Outcome wholeTree(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(Main.commandLine(new PrintWriter(out), new PrintWriter(err)), args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** Every command's path ("fw analyze"), the root's as the empty list. */
    private static List<List<String>> paths(CommandLine c, List<String> path, List<List<String>> into) {
        into.add(path);
        c.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                paths(sub, p, into);
            }
        });
        return into;
    }

    /**
     * Command lines that print help, usage or a usage error, for every command and alias: none of them
     * runs a command, so they are safe for any command (audit without arguments would audit this host).
     */
    static Stream<List<String>> commandLines() {
        List<List<String>> lines = new ArrayList<>();
        for (List<String> path : paths(root(), List.of(), new ArrayList<>())) {
            CommandLine c = root();
            for (String name : path) {
                c = c.getSubcommands().get(name);
            }
            lines.add(with(path, "--help"));
            lines.add(with(path, "-h"));
            lines.add(with(path, "--no-such-option"));
            lines.add(with(List.of("help"), path.toArray(new String[0])));
            if (!c.getSubcommands().isEmpty()) {
                lines.add(path);
                lines.add(with(path, "nosuchcommand"));
                lines.add(with(path, "lnit"));
                lines.add(with(path, "help", "nosuchcommand"));
            }
            for (String alias : c.getCommandSpec().aliases()) {
                List<String> aliased = new ArrayList<>(path.subList(0, path.size() - 1));
                aliased.add(alias);
                lines.add(with(aliased, "--help"));
                lines.add(with(List.of("help"), aliased.toArray(new String[0])));
            }
        }
        lines.add(List.of("-V"));
        lines.add(List.of("--version"));
        lines.add(List.of("-hV"));
        lines.add(List.of("deploy", "--help"));
        lines.add(List.of("--help", "build"));
        lines.add(List.of("build"));
        lines.add(List.of("fw", "analyze"));
        lines.add(List.of("fw", "analyse", "--chain"));
        return lines.stream();
    }

    private static List<String> with(List<String> path, String... more) {
        List<String> line = new ArrayList<>(path);
        line.addAll(List.of(more));
        return line;
    }

    @ParameterizedTest(name = "stockade {0}")
    @MethodSource("commandLines")
    void forArgs_printsAndExitsAsTheWholeTree(List<String> line) {
        String[] args = line.toArray(new String[0]);
        Outcome whole = wholeTree(args);
        Outcome lazy = lazily(args);
        assertEquals(whole, lazy);
        assertTrue(!whole.out().isEmpty() || !whole.err().isEmpty(), whole::toString);
    }

    @Test
    void forArgs_buildsOnlyTheCommandsNamed() {
        CommandLine root = Main.commandLine(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                new String[] {"fw", "analyse", "rules"});
        CommandLine fw = root.getSubcommands().get("fw");
        assertInstanceOf(FwCommand.class, fw.getCommand());
        assertInstanceOf(
                FwAnalyzeCommand.class, fw.getSubcommands().get("analyze").getCommand());
        // the others stand in: a name and a summary, no command object
        assertNull(root.getSubcommands().get("build").getCommand());
        assertNull(root.getSubcommands().get("pki").getCommand());
        assertTrue(root.getSubcommands().get("pki").getSubcommands().isEmpty());
        assertNull(fw.getSubcommands().get("lint").getCommand());
        assertEquals(
                List.of("Compile a cluster spec into what each node needs."),
                List.of(root.getSubcommands()
                        .get("build")
                        .getCommandSpec()
                        .usageMessage()
                        .description()));
        assertEquals(
                List.of("analyse"),
                List.of(fw.getSubcommands().get("analyse").getCommandSpec().aliases()));
    }

    @Test
    void forArgs_argumentFile_buildsEveryCommand() throws IOException {
        Path file = Files.createTempFile("stockade-args", ".txt");
        try {
            Files.writeString(file, "fw lint --help\n");
            CommandLine root = Main.commandLine(
                    new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), new String[] {"@" + file
                    });
            assertInstanceOf(
                    BuildCommand.class, root.getSubcommands().get("build").getCommand());
            assertInstanceOf(
                    FwLintCommand.class,
                    root.getSubcommands().get("fw").getSubcommands().get("lint").getCommand());
            Outcome lazy = lazily("@" + file.toString());
            assertEquals(0, lazy.exit(), lazy::toString);
            assertTrue(lazy.out().startsWith("Usage: stockade fw lint "), lazy.out());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void entries_matchTheirClassesAnnotations() {
        check(CommandTree.ROOT);
    }

    private static void check(List<CommandTree.Entry> entries) {
        for (CommandTree.Entry e : entries) {
            Command c = CommandTree.commandClass(e).getAnnotation(Command.class);
            assertEquals(c.name(), e.name(), e.type());
            assertEquals(List.of(c.aliases()), e.aliases(), e.type());
            assertEquals(c.description()[0], e.summary(), e.type());
            // a group lists its commands here, never in its annotation (picocli would build them all)
            assertEquals(0, c.subcommands().length, e.type());
            check(e.commands());
        }
    }

    @Test
    void entries_listEveryCommandClass() throws IOException, URISyntaxException {
        Path classes = Path.of(CommandTree.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(CommandTree.class.getPackageName().replace('.', '/'));
        Set<String> annotated = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                String simple = name.substring(0, name.length() - ".class".length());
                if (!simple.equals("Main")
                        && CommandTree.commandClass(new CommandTree.Entry("", List.of(), "", simple, List.of()))
                                .isAnnotationPresent(Command.class)) {
                    annotated.add(simple);
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        listed(CommandTree.ROOT, listed);
        assertTrue(annotated.size() > 20, annotated::toString);
        assertEquals(annotated, listed);
        assertEquals(0, Main.class.getAnnotation(Command.class).subcommands().length);
    }

    private static void listed(List<CommandTree.Entry> entries, Set<String> into) {
        for (CommandTree.Entry e : entries) {
            into.add(e.type());
            listed(e.commands(), into);
        }
    }

    @Test
    void commandClass_unknownType_failsNamingTheCommand() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> CommandTree.commandClass(CommandTree.Entry.leaf("x", "X.", "NoSuchCommand")));
        assertTrue(e.getMessage().contains("x: NoSuchCommand"), e.getMessage());
    }
}
