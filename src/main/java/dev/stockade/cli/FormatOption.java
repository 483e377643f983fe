package dev.stockade.cli;

import picocli.CommandLine.Option;

/** {@code --format}: text for people, json for scripts (keys documented in docs/design.md). */
final class FormatOption {

    enum Format {
        text,
        json
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
