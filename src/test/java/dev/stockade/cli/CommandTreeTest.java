package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command groups (fw, pki) and the help command, each at every level of the tree. */
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
}
