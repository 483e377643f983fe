package dev.stockade.ssh;

/** A connection that could not be made or used, with what went wrong and what to do. */
public final class SshException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        HOST_KEY_UNKNOWN,
        HOST_KEY_CHANGED,
        AUTHENTICATION,
        CONNECT,
        TIMEOUT,
        PROTOCOL
    }

    private final Kind kind;
    private final String hint;

    SshException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    public String hint() {
        return hint;
    }
}
