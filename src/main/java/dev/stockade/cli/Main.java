package dev.stockade.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stockade} command: subcommands only, each a small {@code Callable<Integer>}. */
@Command(
        name = "stockade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Secure Container Linux clusters by construction, then prove it.",
        subcommands = {BuildCommand.class, PkiCommand.class, FwCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:findings at or above --fail-on (analysis commands)",
            "2:bad input or usage: the message names file:line:col",
            "3:environment problem: cannot write output, missing tool",
            "4:internal error: a bug in Stockade (please report it)"
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // UTF-8 whatever the locale: output names files and rules as written, and CI runs without a locale
        System.exit(run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Runs the CLI with the given streams; used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> internalError(err, ex));
        cl.setParameterExceptionHandler((ex, args2) -> {
            err.println("stockade: " + ex.getMessage());
            CommandLine sub = ex.getCommandLine();
            err.println("  hint: see '" + sub.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.BAD_INPUT;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // picocli's handler sees exceptions only; errors such as a failed class initialiser land here
            code = internalError(err, e);
        }
        out.flush();
        err.flush();
        return code;
    }

    private static int internalError(PrintWriter err, Throwable e) {
        err.println("stockade: internal error: " + e);
        err.println("  hint: this is a bug in Stockade; please report it with the command you ran");
        err.flush();
        return ExitCodes.INTERNAL;
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
