package dev.stockade.audit;

import dev.stockade.report.SourceSpan;

/**
 * What one probe gave: its exit status and output, and where that output can be pointed at
 * ({@code source}: the snapshot file, or {@code HOST/NAME.out} for facts read live).
 *
 * @param status {@code OK} with exit status 0; {@code MISSING} when the command does not exist
 *     (127); {@code FAILED} with another status; {@code TIMEOUT}; {@code ABSENT} when a snapshot
 *     lacks it
 */
public record ProbeOutput(Probe probe, Status status, int exitCode, String stdout, String stderr, String source) {

    /** How a probe ended. */
    public enum Status {
        OK,
        FAILED,
        MISSING,
        TIMEOUT,
        ABSENT
    }

    /** The status a shell exit code means: 0 ok, 124 timed out, 126/127 the command is missing or not runnable, else failed. */
    public static Status statusOf(int exitCode) {
        if (exitCode == 124) {
            return Status.TIMEOUT; // coreutils timeout, as the collector script uses it
        }
        return exitCode == 0 ? Status.OK : exitCode == 127 || exitCode == 126 ? Status.MISSING : Status.FAILED;
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** Line {@code line} of this output, for findings about it. */
    public SourceSpan at(int line) {
        return new SourceSpan(source, Math.max(1, line), 1);
    }

    /** The whole output, for findings about it as a whole. */
    public SourceSpan file() {
        return SourceSpan.ofFile(source);
    }

    /** Why the fact is missing, in words (empty when it is there). */
    public String problem() {
        String err = stderr.strip().lines().findFirst().orElse("");
        return switch (status) {
            case OK -> "";
            case MISSING -> "'" + probe.command().split(" ")[0] + "' is not installed";
            case TIMEOUT -> "it did not finish in time";
            case ABSENT -> "the snapshot does not have " + probe.file() + ".out";
            case FAILED ->
                exitCode < 0 && !err.isEmpty() ? err : "exit status " + exitCode + (err.isEmpty() ? "" : ": " + err);
        };
    }
}
