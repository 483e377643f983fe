package dev.stockade.cli;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --fail-on LEVEL}: which findings make a checking command exit 1. */
final class FailOnOption {

    enum Level {
        warning,
        error
    }

    @Option(
            names = "--fail-on",
            paramLabel = "LEVEL",
            defaultValue = "error",
            description = "Exit 1 when a finding is at this level or worse: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    Level level;

    /** The least severity that fails. */
    Severity threshold() {
        return level == Level.warning ? Severity.WARNING : Severity.ERROR;
    }

    /** 1 when a finding reaches the level, else 0. */
    int exitCode(List<Finding> findings) {
        Severity threshold = threshold();
        return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0)
                ? ExitCodes.FINDINGS
                : ExitCodes.OK;
    }
}
