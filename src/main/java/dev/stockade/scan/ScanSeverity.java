package dev.stockade.scan;

import java.util.Locale;
import java.util.Optional;

/**
 * A scanner's severity of a vulnerability, least to most severe. Trivy writes the names in capitals
 * ({@code HIGH}); Clair v4's {@code normalized_severity} capitalises them ({@code High}) and has one
 * more, {@code Negligible}, which is read as {@link #LOW} (Trivy's own Clair mapping does the same).
 */
public enum ScanSeverity {
    UNKNOWN,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The severity named by {@code text} in either scanner's spelling, case ignored. */
    public static Optional<ScanSeverity> parse(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("NEGLIGIBLE")) {
            return Optional.of(LOW);
        }
        for (ScanSeverity s : values()) {
            if (s.name().equals(upper)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The lower-case name, as options and JSON output write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is {@code threshold} or more severe. */
    public boolean atLeast(ScanSeverity threshold) {
        return compareTo(threshold) >= 0;
    }
}
