package dev.stockade.pki.cfssl;

import java.time.Duration;
import java.util.Optional;

/**
 * Go's {@code time.ParseDuration} subset cfssl uses for expiry: {@code 8760h}, {@code 1h30m}, {@code 90s}.
 * Read by a loop over the parts (number, unit), never a regular expression over the whole text.
 */
public final class GoDuration {

    private GoDuration() {}

    public static Optional<Duration> parse(String text) {
        double nanos = 0;
        int i = 0;
        if (text.isEmpty()) {
            return Optional.empty();
        }
        while (i < text.length()) {
            int start = i;
            i = digits(text, i);
            if (i == start) {
                return Optional.empty();
            }
            if (i < text.length() && text.charAt(i) == '.') {
                int fraction = i + 1;
                i = digits(text, fraction);
                if (i == fraction) {
                    return Optional.empty();
                }
            }
            double value = Double.parseDouble(text.substring(start, i));
            int unitEnd = unitEnd(text, i);
            double scale = scale(text.substring(i, unitEnd));
            if (scale == 0) {
                return Optional.empty();
            }
            nanos += value * scale;
            i = unitEnd;
        }
        return nanos > 0 ? Optional.of(Duration.ofNanos((long) nanos)) : Optional.empty();
    }

    private static int digits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The end of the unit that starts at {@code from}: up to the next digit. */
    private static int unitEnd(String text, int from) {
        int i = from;
        while (i < text.length() && !(text.charAt(i) >= '0' && text.charAt(i) <= '9') && text.charAt(i) != '.') {
            i++;
        }
        return i;
    }

    /** Nanoseconds per unit; 0 for a unit Go does not know. */
    private static double scale(String unit) {
        return switch (unit) {
            case "h" -> 3600e9;
            case "m" -> 60e9;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "us", "µs", "μs" -> 1e3;
            case "ns" -> 1;
            default -> 0;
        };
    }
}
