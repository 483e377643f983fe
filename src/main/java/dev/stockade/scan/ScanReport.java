package dev.stockade.scan;

import java.util.List;
import java.util.Objects;

/**
 * One scan report as read from its file: which scanner's format it was in, the image it is about and
 * every vulnerability it lists, in file order.
 */
public record ScanReport(String file, Format format, String image, List<Vulnerability> vulnerabilities) {

    /** The formats {@link ScanReports#parse} recognises. */
    public enum Format {
        /** {@code trivy image --format json}, schema version 2. */
        TRIVY,
        /** Clair v4's vulnerability report ({@code GET /matcher/api/v1/vulnerability_report/{digest}}). */
        CLAIR
    }

    public ScanReport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(image, "image");
        vulnerabilities = List.copyOf(vulnerabilities);
    }
}
