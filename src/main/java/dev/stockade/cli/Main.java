package dev.stockade.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stockade} command: subcommands only, each a small {@code Callable<Integer>}. */
@Command(name = "stockade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Secure Container Linux clusters by construction, then prove it.",
        subcommands = {BuildCommand.class, PkiCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:findings at or above --fail-on (analysis commands)",
            "2:bad input or usage: the message names file:line:col",
            "3:environment problem: cannot write output, missing tool"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("stockade: internal error: " + ex);
            err.println("  hint: this is a bug in Stockade; please report it with the command you ran");
            return ExitCodes.ENVIRONMENT;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            err.println("stockade: " + ex.getMessage());
            CommandLine sub = ex.getCommandLine();
            err.println("  hint: see '" + sub.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.BAD_INPUT;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, so it is never out of step with the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"stockade " + (v == null ? "(development build)" : v)};
        }
    }
}
