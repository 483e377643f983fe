package dev.stockade.cli;

import picocli.CommandLine.Option;

/**
 * {@code --format text|json|sarif} for the commands that report findings about files ({@code
 * validate}, and after it {@code audit} and {@code images}): one line per finding for people, the
 * findings JSON for scripts, SARIF 2.1.0 for code scanning.
 */
final class ReportFormatOption {

    enum Format {
        text,
        json,
        sarif
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;
}
