package dev.stockade.net;

import java.util.Locale;
import java.util.Optional;

/** Transport protocols a service can be opened for. */
public enum Protocol {
    TCP,
    UDP;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> parse(String text) {
        for (Protocol p : values()) {
            if (p.keyword().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return keyword();
    }
}
