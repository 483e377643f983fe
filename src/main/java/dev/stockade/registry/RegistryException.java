package dev.stockade.registry;

import dev.stockade.report.EnvironmentException;
import java.util.List;
import java.util.Objects;

/**
 * A registry could not answer a resolution: it cannot be reached, its certificate is not trusted,
 * it refuses the credentials, it does not have the repository or tag, or it answered something else.
 * Every one names the registry ({@code host:port}) and what was tried, carries a stable {@link
 * #code()} and a hint, and never holds a secret. The CLI maps all kinds to exit code 3 (environment:
 * the input was fine, the world was not), through {@link #asEnvironmentException()} or by kind.
 */
public final class RegistryException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong; each kind has a stable code for scripts. */
    public enum Kind {
        /** Connection refused, no such host, or no answer in time. */
        UNREACHABLE("REG-UNREACHABLE"),
        /** The TLS handshake failed: an untrusted or mismatched certificate, or not TLS at all. */
        TLS("REG-TLS"),
        /** 401/403: credentials missing, wrong, or without access. */
        AUTH("REG-AUTH"),
        /** 404: no such repository or tag. */
        NOT_FOUND("REG-NOT-FOUND"),
        /** The manifest's content does not have the digest the registry announced. */
        DIGEST_MISMATCH("REG-DIGEST-MISMATCH"),
        /** Any other answer: an unexpected status, a malformed or oversized response, a bad redirect. */
        FAILED("REG-FAILED");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final String registry;
    private final int status;
    private final List<RegistryError> errors;
    private final String hint;

    RegistryException(
            Kind kind,
            String registry,
            String message,
            String hint,
            int status,
            List<RegistryError> errors,
            Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.hint = hint == null ? "" : hint;
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    RegistryException(Kind kind, String registry, String message, String hint) {
        this(kind, registry, message, hint, 0, List.of(), null);
    }

    public Kind kind() {
        return kind;
    }

    /** The stable code of the kind, e.g. {@code REG-AUTH}. */
    public String code() {
        return kind.code();
    }

    /** The registry as {@code host[:port]}. */
    public String registry() {
        return registry;
    }

    /** The HTTP status that decided, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The registry's {@code errors} array, when its answer had one. */
    public List<RegistryError> errors() {
        return errors;
    }

    /** What the user can do about it; may be empty. */
    public String hint() {
        return hint;
    }

    /** The same failure as the CLI's environment failure (exit 3), message prefixed by the code. */
    public EnvironmentException asEnvironmentException() {
        return new EnvironmentException(getMessage() + " [" + code() + "]", hint, this);
    }
}
