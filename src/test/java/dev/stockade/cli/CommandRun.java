package dev.stockade.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the CLI, keeping the command object picocli filled, to look at its options. */
final class CommandRun {

    final int exit;
    final String out;
    final String err;
    private final CommandLine root;

    private CommandRun(int exit, String out, String err, CommandLine root) {
        this.exit = exit;
        this.out = out;
        this.err = err;
        this.root = root;
    }

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err), args);
        int exit = Main.execute(cl, args);
        return new CommandRun(exit, out.toString(), err.toString(), cl);
    }

    /** The innermost command the arguments named, as the type the test expects it to be. */
    <T> T command(Class<T> type) {
        CommandLine.ParseResult p = root.getParseResult();
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return type.cast(p.commandSpec().userObject());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
