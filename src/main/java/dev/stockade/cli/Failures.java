package dev.stockade.cli;

import dev.stockade.io.IoErrors;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import dev.stockade.report.Suggestions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become messages and exit codes, for every command: commands throw
 * and never catch to print. {@link InputException} and usage errors exit 2 with located messages,
 * {@link EnvironmentException} and I/O failures exit 3, anything else, {@link Error}s included,
 * is a bug: exit 4 with one line and a hint, never a stack trace.
 */
final class Failures
        implements IExecutionStrategy,
                IExecutionExceptionHandler,
                IParameterExceptionHandler,
                IExitCodeExceptionMapper {

    /** A command that only groups subcommands was run without one: usage on stderr, exit 2. */
    static final class MissingCommand extends ParameterException {
        private static final long serialVersionUID = 1L;

        MissingCommand(CommandLine cl) {
            super(cl, "'" + cl.getCommandSpec().qualifiedName() + "' needs a command");
        }
    }

    @Override
    public int getExitCode(Throwable t) {
        if (t instanceof InputException || t instanceof ParameterException) {
            return ExitCodes.BAD_INPUT;
        }
        if (t instanceof EnvironmentException || t instanceof IOException || t instanceof UncheckedIOException) {
            return ExitCodes.ENVIRONMENT;
        }
        return ExitCodes.INTERNAL;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        if (e instanceof ParameterException) {
            return handleParseException((ParameterException) e, new String[0]);
        }
        return report(cl.getErr(), e);
    }

    /** Prints what went wrong, compiler style for input, one line otherwise; returns the exit code. */
    int report(PrintWriter err, Throwable t) {
        int code = getExitCode(t);
        if (t instanceof InputException) {
            Diagnostics.inputError(err, (InputException) t);
        } else if (t instanceof EnvironmentException) {
            err.println("stockade: error: " + oneLine(t.getMessage()));
            hint(err, ((EnvironmentException) t).hint());
        } else if (code == ExitCodes.ENVIRONMENT) {
            IOException io =
                    t instanceof UncheckedIOException ? ((UncheckedIOException) t).getCause() : (IOException) t;
            err.println("stockade: error: " + describe(io));
            hint(err, "check that the files exist, their permissions and the free space");
        } else {
            err.println("stockade: internal error: " + oneLine(String.valueOf(t)) + origin(t));
            hint(err, "this is a bug in Stockade; please report it with the command you ran and its input");
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        Optional<String> unknown = unknownCommand(e);
        if (e instanceof MissingCommand) {
            cl.usage(err);
            err.println();
            err.println("stockade: " + e.getMessage() + ": " + String.join(", ", commandNames(cl)));
        } else if (unknown.isPresent()) {
            err.println("stockade: " + unknownCommandMessage(cl, unknown.get()));
            hint(err, "'" + name + " --help' lists the commands");
        } else {
            err.println("stockade: " + oneLine(e.getMessage()));
            hint(err, "see '" + name + " --help'");
        }
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int execute(ParseResult parsed) {
        return executeStrictly(parsed);
    }

    /**
     * picocli prints help and exits 0 when {@code --help} follows an unknown word ({@code stockade
     * apply --help}); words no command took are an error whatever else was asked.
     */
    static int executeStrictly(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static String unknownCommandMessage(CommandLine parent, String word) {
        return "unknown command '" + word + "'"
                + Suggestions.closest(word, parent.getSubcommands().keySet())
                        .map(c -> "; did you mean '" + c + "'?")
                        .orElse("");
    }

    /** The word where a command was expected, when that is what failed to match. */
    private static Optional<String> unknownCommand(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException)
                || e.getCommandLine().getSubcommands().isEmpty()) {
            return Optional.empty();
        }
        List<String> unmatched = ((UnmatchedArgumentException) e).getUnmatched();
        return unmatched.isEmpty() || unmatched.get(0).startsWith("-")
                ? Optional.empty()
                : Optional.of(unmatched.get(0));
    }

    private static List<String> commandNames(CommandLine parent) {
        List<String> names = new ArrayList<>();
        parent.getSubcommands().values().forEach(sub -> {
            String name = sub.getCommandName();
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(name)) {
                names.add(name);
            }
        });
        return names;
    }

    private static void hint(PrintWriter err, String hint) {
        if (!hint.isEmpty()) {
            err.println("  hint: " + hint);
        }
    }

    private static String describe(IOException e) {
        return oneLine(IoErrors.describe(e));
    }

    /** Where a bug surfaced: the innermost frame of Stockade's own code, for the report. */
    private static String origin(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.stockade.")) {
                return " (at " + frame.getClassName().substring("dev.stockade.".length()) + "." + frame.getMethodName()
                        + ":" + frame.getLineNumber() + ")";
            }
        }
        return "";
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
