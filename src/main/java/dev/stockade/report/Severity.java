package dev.stockade.report;

/** How bad a diagnostic or finding is; ordered from least to most severe. */
public enum Severity {
    NOTE,
    WARNING,
    ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
