package dev.stockade.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/**
 * The promise every command keeps whatever its input: exit 0, 1 or 2, and on stderr neither an
 * "internal error" nor a stack trace. Fuzz tests check it through {@link Main#run} in process, so it
 * holds while the commands' internals change.
 */
final class CliContract {

    record Outcome(int exit, String out, String err) {}

    private CliContract() {}

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** Runs {@code args} and throws an AssertionError when the promise is broken. */
    static Outcome check(String... args) {
        Outcome o = run(args);
        // lines end at '\n' only: an input line quoted in a message may hold a '\r' and anything after it
        List<String> lines = List.of(o.err().split("\n", -1));
        String internal = lines.stream()
                .filter(l -> l.startsWith("stockade: internal error"))
                .findFirst()
                .orElse(null);
        boolean trace = lines.stream()
                .anyMatch(l ->
                        l.startsWith("\tat ") || l.startsWith("Exception in thread") || l.startsWith("Caused by: "));
        if (o.exit() < 0 || o.exit() > 2 || internal != null || trace) {
            String command = String.join(" ", Arrays.copyOfRange(args, 0, Math.min(2, args.length)));
            AssertionError e = new AssertionError(
                    "stockade " + String.join(" ", args) + " exited " + o.exit() + " and printed:\n" + o.err());
            // Jazzer tells findings apart by stack trace, and this one would always be the same: name the
            // command and the exception class the CLI reported instead, so each distinct crash is its own finding
            e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("stockade " + command, exceptionClass(internal), null, o.exit())
            });
            throw e;
        }
        return o;
    }

    /** "java.lang.NumberFormatException" from "stockade: internal error: java.lang.NumberFormatException: ...". */
    private static String exceptionClass(String internalLine) {
        if (internalLine == null) {
            return "exit";
        }
        String rest =
                internalLine.substring("stockade: internal error".length()).replaceFirst("^:\\s*", "");
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }
}
