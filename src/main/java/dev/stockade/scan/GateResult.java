package dev.stockade.scan;

import dev.stockade.report.Finding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Gate#evaluate} decided: the verdict on every vulnerability of every report, in report
 * order, and the findings to show (vulnerabilities that fail the gate, those an entry ignored, and
 * the ignore entries that expired or matched nothing).
 */
public record GateResult(Gate.Policy policy, List<Verdict> verdicts, List<Finding> findings) {

    /** How one vulnerability counts at the gate. */
    public enum Status {
        /** At or above the threshold, not ignored: the gate fails. */
        FAILING,
        /** At or above the threshold, ignored by an entry that has not expired. */
        IGNORED,
        /** At or above the threshold, without a fixed version, and {@code --ignore-unfixed} given. */
        UNFIXED,
        /** Below the threshold: counted, not listed. */
        BELOW
    }

    /** A vulnerability, how it counts, and the entry that ignored it, if one did. */
    public record Verdict(Vulnerability vulnerability, Status status, Optional<IgnoreEntry> ignoredBy) {
        public Verdict {
            Objects.requireNonNull(vulnerability, "vulnerability");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(ignoredBy, "ignoredBy");
        }
    }

    public GateResult {
        Objects.requireNonNull(policy, "policy");
        verdicts = List.copyOf(verdicts);
        findings = List.copyOf(findings);
    }

    /** Whether no vulnerability fails the gate. */
    public boolean passed() {
        return count(Status.FAILING) == 0;
    }

    /** How many vulnerabilities have {@code status}. */
    public long count(Status status) {
        return verdicts.stream().filter(v -> v.status() == status).count();
    }

    /** How many failing vulnerabilities are of {@code severity}. */
    public long failing(ScanSeverity severity) {
        return verdicts.stream()
                .filter(v -> v.status() == Status.FAILING && v.vulnerability().severity() == severity)
                .count();
    }
}
