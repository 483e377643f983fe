package dev.stockade.scan;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gate: which vulnerabilities of some scan reports fail a pipeline, as a pure function of the
 * reports, the ignore entries, the policy and today's date (given, never read from a clock here).
 *
 * <p>Each vulnerability is judged on its own, in this order: below the threshold it only counts
 * ({@link GateResult.Status#BELOW}); matched by an ignore entry that has not expired it is
 * {@code IGNORED}; without a fixed version and with {@code ignoreUnfixed} it is {@code UNFIXED};
 * otherwise it fails the gate ({@code GATE-VULN}, an error). An entry applies through its
 * {@code expires} day; after it, it ignores nothing and is reported itself
 * ({@code GATE-IGNORE-EXPIRED}, a warning), as is the vulnerability it used to ignore. An entry that
 * has not expired and matched no vulnerability of any report is a note ({@code GATE-IGNORE-UNUSED}),
 * and each vulnerability an entry ignored at or above the threshold is a note ({@code GATE-IGNORED})
 * so that the report shows what was accepted and why. A vulnerability listed twice (in two
 * targets, or two reports) is judged and reported each time.
 */
public final class Gate {

    /** What fails: vulnerabilities at or above {@code threshold}; with {@code ignoreUnfixed}, only fixable ones. */
    public record Policy(ScanSeverity threshold, boolean ignoreUnfixed) {
        public Policy {
            Objects.requireNonNull(threshold, "threshold");
        }
    }

    private Gate() {}

    public static GateResult evaluate(
            List<ScanReport> reports, List<IgnoreEntry> ignores, Policy policy, LocalDate today) {
        Set<IgnoreEntry> used = new LinkedHashSet<>();
        List<GateResult.Verdict> verdicts = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (ScanReport report : reports) {
            List<GateResult.Verdict> judged = new ArrayList<>();
            for (Vulnerability v : report.vulnerabilities()) {
                judged.add(verdict(v, ignores, policy, today, used));
            }
            verdicts.addAll(judged);
            // findings worst first, in file order within a severity (the sort is stable)
            judged.sort(Comparator.comparing(
                            (GateResult.Verdict x) -> x.vulnerability().severity())
                    .reversed());
            for (GateResult.Verdict verdict : judged) {
                finding(report.file(), verdict, ignores, today).ifPresent(findings::add);
            }
        }
        for (IgnoreEntry e : ignores) {
            if (e.expiredOn(today)) {
                findings.add(new Finding(
                        "GATE-IGNORE-EXPIRED",
                        Severity.WARNING,
                        e.span().file(),
                        Optional.of(e.span()),
                        Diagnostic.oneLine("the ignore entry for " + e.id() + " expired on " + e.expires()
                                + " and no longer ignores it (reason given: " + e.reason() + ")"),
                        "fix the vulnerability, or set a later expiry date if the reason still holds"));
            } else if (!used.contains(e)) {
                findings.add(new Finding(
                        "GATE-IGNORE-UNUSED",
                        Severity.NOTE,
                        e.span().file(),
                        Optional.of(e.span()),
                        Diagnostic.oneLine("the ignore entry for " + e.id() + scope(e)
                                + " matches no vulnerability in the reports"),
                        "remove it once no image has the vulnerability any more"));
            }
        }
        return new GateResult(policy, verdicts, findings);
    }

    private static GateResult.Verdict verdict(
            Vulnerability v, List<IgnoreEntry> ignores, Policy policy, LocalDate today, Set<IgnoreEntry> used) {
        Optional<IgnoreEntry> ignoredBy = ignores.stream()
                .filter(e -> !e.expiredOn(today) && e.matches(v))
                .findFirst();
        ignoredBy.ifPresent(used::add);
        GateResult.Status status;
        if (!v.severity().atLeast(policy.threshold())) {
            status = GateResult.Status.BELOW;
        } else if (ignoredBy.isPresent()) {
            status = GateResult.Status.IGNORED;
        } else if (policy.ignoreUnfixed() && !v.fixable()) {
            status = GateResult.Status.UNFIXED;
        } else {
            status = GateResult.Status.FAILING;
        }
        return new GateResult.Verdict(v, status, ignoredBy);
    }

    private static Optional<Finding> finding(
            String file, GateResult.Verdict verdict, List<IgnoreEntry> ignores, LocalDate today) {
        Vulnerability v = verdict.vulnerability();
        if (verdict.status() == GateResult.Status.IGNORED) {
            IgnoreEntry e = verdict.ignoredBy().orElseThrow();
            return Optional.of(new Finding(
                    "GATE-IGNORED",
                    Severity.NOTE,
                    file,
                    Optional.of(v.span()),
                    Diagnostic.oneLine(
                            describe(v) + "; ignored until " + e.expires() + " by " + e.span() + ": " + e.reason()),
                    ""));
        }
        if (verdict.status() != GateResult.Status.FAILING) {
            return Optional.empty();
        }
        Optional<IgnoreEntry> expired =
                ignores.stream().filter(e -> e.expiredOn(today) && e.matches(v)).findFirst();
        String hint;
        if (expired.isPresent()) {
            String renew = "set a later expiry date on the ignore entry at "
                    + expired.get().span() + " (it expired on " + expired.get().expires()
                    + ") if its reason still holds";
            hint = v.fixable() ? upgrade(v) + ", or " + renew : "no fixed version yet: " + renew;
        } else {
            String ignore = "ignore " + v.id() + " in an --ignore file with a reason and an expiry date";
            hint = v.fixable()
                    ? upgrade(v) + ", or " + ignore
                    : "no fixed version yet: " + ignore + ", or pass --ignore-unfixed";
        }
        return Optional.of(new Finding(
                "GATE-VULN",
                Severity.ERROR,
                file,
                Optional.of(v.span()),
                Diagnostic.oneLine(describe(v)),
                Diagnostic.oneLine(hint)));
    }

    private static String upgrade(Vulnerability v) {
        return "upgrade " + v.packageName() + " to " + v.fixedVersion() + " or later and rebuild the image";
    }

    /** {@code CVE-2023-5363 (critical): openssl 3.1.3-r0 -> 3.1.4-r0 in alpine:3.19: title}. */
    static String describe(Vulnerability v) {
        String installed = v.installedVersion().isEmpty() ? "(version not reported)" : v.installedVersion();
        String fixed = v.fixable() ? " -> " + v.fixedVersion() : " (no fix yet)";
        String where = v.where().isEmpty() ? "" : " in " + v.where();
        String title = v.title().isEmpty() ? "" : ": " + v.title();
        return v.id() + " (" + v.severity().label() + "): " + v.packageName() + " " + installed + fixed + where + title;
    }

    private static String scope(IgnoreEntry e) {
        String pkg = e.packageName().map(p -> " in " + p).orElse("");
        String image = e.image().map(i -> " (image " + i + ")").orElse("");
        return pkg + image;
    }
}
