package dev.stockade.analysis;

import dev.stockade.net.IpProtocol;
import dev.stockade.net.Services;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Protocol and service names as the encoder reads them, from the model's tables ({@link IpProtocol},
 * {@link Services}).
 */
final class Names {

    private Names() {}

    /** Protocol number for a name or number; -1 for "all"; empty when unknown. */
    static Optional<Integer> protocol(String name) {
        OptionalInt n = IpProtocol.number(name);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(n.getAsInt() == 0 ? -1 : n.getAsInt());
    }

    /** A port number or service name; -1 when unknown. */
    static int port(String text) {
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(text);
            return n <= 65535 ? n : -1;
        }
        return Services.port(text).orElse(-1);
    }
}
