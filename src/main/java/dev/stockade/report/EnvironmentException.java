package dev.stockade.report;

import java.util.Objects;

/**
 * The machine, not the input, stands in the way: a file cannot be written, a tool is missing, the
 * disk is full. The CLI maps it to exit code 3 and prints the message with its hint.
 */
public final class EnvironmentException extends Exception {

    private final String hint;

    public EnvironmentException(String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.hint = hint == null ? "" : hint;
    }

    /** What the user can do about it; may be empty. */
    public String hint() {
        return hint;
    }
}
