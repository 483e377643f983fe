package dev.stockade.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code help [COMMAND...]}: the help of the named command at any depth ({@code stockade help fw lint}). */
@Command(
        name = "help",
        helpCommand = true,
        description = {"Show the help of a command.", "For example, 'stockade help fw lint' explains fw lint."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:The help was printed.", "2:There is no such command."})
final class HelpCommand implements Callable<Integer>, CommandLine.IHelpCommandInitializable2 {

    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description = "The command to explain, with its subcommands (e.g. fw lint).")
    List<String> names = List.of();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    private CommandLine self;
    private PrintWriter out;

    @Override
    public void init(
            CommandLine helpCommandLine, CommandLine.Help.ColorScheme colors, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.out = out;
    }

    @Override
    public Integer call() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(target, Failures.unknownCommandMessage(target, name));
            }
            target = next;
        }
        target.usage(out);
        out.flush();
        return ExitCodes.OK;
    }
}
