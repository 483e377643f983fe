package dev.stockade.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format text|json|sarif|junit|html} for the commands that report findings ({@code
 * validate}, {@code audit}, and after them {@code images}): one line per finding for people, the
 * findings JSON for scripts, SARIF 2.1.0 for code scanning, JUnit XML for CI test reports, and one
 * self-contained HTML page.
 */
final class ReportFormatOption {

    enum Format {
        text,
        json,
        sarif,
        junit,
        html
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;
}
