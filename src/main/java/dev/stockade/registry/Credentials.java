package dev.stockade.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password for a registry, and where they were found ({@code source}, a file path
 * for messages). The password never appears in {@link #toString()}.
 */
public record Credentials(String username, String password, String source) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
    }

    /** The value of an {@code Authorization} header for HTTP Basic authentication. */
    public String basicAuthorization() {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + " from " + source + ", password hidden]";
    }
}
