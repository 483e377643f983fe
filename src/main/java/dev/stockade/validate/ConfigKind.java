package dev.stockade.validate;

import java.util.Locale;
import java.util.Optional;

/** The kinds of file {@code validate} reads, told apart by their first meaningful text. */
public enum ConfigKind {
    CLOUD_CONFIG("cloud-config"),
    IGNITION("ignition"),
    RULES("rules"),
    SPEC("spec"),
    SCRIPT("script");

    private final String keyword;

    ConfigKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** By keyword ({@code --type}). */
    public static Optional<ConfigKind> parse(String keyword) {
        for (ConfigKind k : values()) {
            if (k.keyword.equals(keyword.toLowerCase(Locale.ROOT))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * What {@code text} is: {@code #cloud-config} on the first line, a JSON object (Ignition), an
     * iptables-save dump ({@code *table}, {@code :CHAIN}, {@code -A}), a cluster spec (a top-level
     * {@code stockade:} key) or a script ({@code #!}). Empty when none fits.
     */
    public static Optional<ConfigKind> detect(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String first = t.lines().findFirst().orElse("").stripTrailing();
        if (first.equals("#cloud-config")) {
            return Optional.of(CLOUD_CONFIG);
        }
        if (first.startsWith("#!")) {
            return Optional.of(SCRIPT);
        }
        if (t.stripLeading().startsWith("{")) {
            return Optional.of(IGNITION);
        }
        for (String line : (Iterable<String>) t.lines()::iterator) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("*") || l.startsWith(":") || l.startsWith("-A ") || l.equals("COMMIT")) {
                return Optional.of(RULES);
            }
            if (l.matches("stockade\\s*:.*")) {
                return Optional.of(SPEC);
            }
            break;
        }
        return t.lines().anyMatch(l -> l.matches("stockade\\s*:.*")) ? Optional.of(SPEC) : Optional.empty();
    }
}
