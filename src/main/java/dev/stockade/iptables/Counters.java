package dev.stockade.iptables;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Packet and byte counters, as in {@code [12:3456]}. The kernel's counters are unsigned 64-bit
 * numbers: values above {@link Long#MAX_VALUE} are kept in two's complement and printed unsigned.
 */
public record Counters(long packets, long bytes) {

    /** Two counters written in decimal, each 0 to 2^64-1; empty when either is not. */
    static Optional<Counters> parse(String packets, String bytes) {
        OptionalLong p = unsigned(packets);
        OptionalLong b = unsigned(bytes);
        return p.isPresent() && b.isPresent()
                ? Optional.of(new Counters(p.getAsLong(), b.getAsLong()))
                : Optional.empty();
    }

    private static OptionalLong unsigned(String s) {
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // above 2^64-1
        }
    }

    @Override
    public String toString() {
        return "[" + Long.toUnsignedString(packets) + ":" + Long.toUnsignedString(bytes) + "]";
    }
}
