package dev.stockade.audit;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit's core: one host's facts in, its findings out ({@link FirewallChecks},
 * {@link HostChecks}, {@link EtcdChecks}, and with a cluster spec {@link SpecChecks}). A fact that could not be collected is a finding that
 * says which checks it leaves out ({@code AUD-FACT}), never a silent pass.
 */
public final class Checks {

    private Checks() {}

    /** The result of auditing one host: its findings, and whether anything at all could be evaluated. */
    public record HostAudit(String host, List<Finding> findings, long factsCollected, List<Reachability> reach) {

        public HostAudit {
            findings = List.copyOf(findings);
            reach = List.copyOf(reach);
        }

        /** Nothing was collected: the host's commands all failed or the snapshot is empty. */
        public boolean nothingEvaluated() {
            return factsCollected == 0;
        }
    }

    public static HostAudit audit(HostFacts facts) {
        return audit(facts, Optional.empty());
    }

    /** As {@link #audit(HostFacts)}, and against the cluster spec when one is given ({@link SpecChecks}). */
    public static HostAudit audit(HostFacts facts, Optional<ClusterSpec> spec) {
        List<Finding> out = new ArrayList<>();
        if (facts.collected() == 0) {
            out.add(new Finding(
                    "AUD-NOTHING",
                    Severity.ERROR,
                    facts.host(),
                    "no fact could be collected: "
                            + facts.output(Probe.HOSTNAME).problem(),
                    "run the audit as root on a host with a shell, or check the snapshot"));
            return new HostAudit(facts.host(), out.stream().map(Secrets::redact).toList(), 0, List.of());
        }
        List<Reachability> reach = new ArrayList<>();
        FirewallChecks.check(facts, out, reach);
        HostChecks.check(facts, out);
        EtcdChecks.check(facts, out);
        EtcdChecks.locksmith(facts, out);
        spec.ifPresent(sp -> SpecChecks.check(sp, facts, out));
        return new HostAudit(
                facts.host(),
                out.stream().map(Secrets::redact).toList(),
                facts.collected(),
                reach.stream().map(Secrets::redact).toList());
    }

    /** A host that could not be reached at all: one {@code AUD-UNREACHABLE} finding, nothing evaluated. */
    public static HostAudit unreachable(String host, String reason, String hint) {
        return new HostAudit(
                host,
                List.of(Secrets.redact(
                        new Finding("AUD-UNREACHABLE", Severity.ERROR, host, "cannot audit: " + reason, hint))),
                0,
                List.of());
    }

    /** {@code AUD-FACT}: a fact is missing, so {@code checks} were not evaluated. */
    static Finding notEvaluated(String host, ProbeOutput o, String checks) {
        return new Finding(
                "AUD-FACT",
                o.status() == ProbeOutput.Status.MISSING || o.status() == ProbeOutput.Status.ABSENT
                        ? Severity.NOTE
                        : Severity.WARNING,
                host,
                Optional.of(o.file()),
                checks + " not evaluated: no " + o.probe().file() + " fact (" + o.problem() + ")",
                o.status() == ProbeOutput.Status.FAILED
                                && o.stderr()
                                        .matches("(?is).*(permission denied|not permitted"
                                                + "|must be root|superuser|root privileges).*")
                        ? "run the audit as root (--sudo over SSH)"
                        : "");
    }
}
