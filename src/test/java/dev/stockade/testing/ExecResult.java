package dev.stockade.testing;

/**
 * Outcome of one command run by {@link Commands} (directly or through {@link NetnsLab}).
 *
 * @param exit   the exit code; {@link #TIMED_OUT} when the command was killed after its timeout
 * @param stdout everything the command wrote to standard output
 * @param stderr everything the command wrote to standard error
 */
public record ExecResult(int exit, String stdout, String stderr) {

    /** Exit code reported for a command that was killed because it ran past its timeout (as timeout(1) does). */
    public static final int TIMED_OUT = 124;

    /** True when the command exited with code 0. */
    public boolean ok() {
        return exit == 0;
    }

    /** A one-paragraph description for assertion messages. */
    public String describe() {
        return "exit=" + exit + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
