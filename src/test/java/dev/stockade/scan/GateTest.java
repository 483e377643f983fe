package dev.stockade.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GateTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 3);
    static final Gate.Policy HIGH = new Gate.Policy(ScanSeverity.HIGH, false);

    static List<ScanReport> fixtures() throws Exception {
        return List.of(ScanReportsTest.read(ScanReportsTest.TRIVY), ScanReportsTest.read(ScanReportsTest.CLAIR));
    }

    static List<IgnoreEntry> ignores() throws Exception {
        return IgnoreFile.parse("ignore.yaml", Files.readString(IgnoreFileTest.IGNORE));
    }

    static List<String> ids(GateResult r) {
        return r.findings().stream()
                .map(f -> f.id() + " " + f.span().orElseThrow())
                .toList();
    }

    @Test
    void evaluate_noIgnores_atOrAboveHighFailWorstFirst_belowCounted() throws Exception {
        GateResult r = Gate.evaluate(fixtures(), List.of(), HIGH, TODAY);
        assertFalse(r.passed());
        assertEquals(
                List.of(
                        "GATE-VULN trivy.json:39:9",
                        "GATE-VULN trivy.json:17:9",
                        "GATE-VULN trivy.json:54:9",
                        "GATE-VULN clair.json:69:12",
                        "GATE-VULN clair.json:35:12"),
                ids(r));
        assertEquals(5, r.count(GateResult.Status.FAILING));
        assertEquals(4, r.count(GateResult.Status.BELOW));
        assertEquals(2, r.failing(ScanSeverity.CRITICAL));
        assertEquals(3, r.failing(ScanSeverity.HIGH));
        assertEquals(0, r.failing(ScanSeverity.MEDIUM));
        assertEquals(9, r.verdicts().size());
        Finding first = r.findings().get(0);
        assertEquals(Severity.ERROR, first.severity());
        assertEquals("trivy.json", first.subject());
        assertEquals(
                "CVE-2024-0001 (critical): busybox 1.36.1-r2 (no fix yet) in registry.example.com/shop/api:1.4.2"
                        + " (alpine 3.18.4): busybox: awk heap overflow",
                first.message());
        assertEquals(
                "no fixed version yet: ignore CVE-2024-0001 in an --ignore file with a reason and an expiry date,"
                        + " or pass --ignore-unfixed",
                first.hint());
        Finding fixable = r.findings().get(1);
        assertEquals(
                "CVE-2023-5363 (high): libcrypto3 3.1.3-r0 -> 3.1.4-r0 in registry.example.com/shop/api:1.4.2"
                        + " (alpine 3.18.4): openssl: Incorrect cipher key and IV length processing",
                fixable.message());
        assertEquals(
                "upgrade libcrypto3 to 3.1.4-r0 or later and rebuild the image, or ignore CVE-2023-5363 in an"
                        + " --ignore file with a reason and an expiry date",
                fixable.hint());
    }

    @Test
    void evaluate_threshold_eachLevel() throws Exception {
        List<ScanReport> reports = fixtures();
        assertEquals(
                2,
                Gate.evaluate(reports, List.of(), new Gate.Policy(ScanSeverity.CRITICAL, false), TODAY)
                        .count(GateResult.Status.FAILING));
        assertEquals(
                7,
                Gate.evaluate(reports, List.of(), new Gate.Policy(ScanSeverity.MEDIUM, false), TODAY)
                        .count(GateResult.Status.FAILING));
        GateResult low = Gate.evaluate(reports, List.of(), new Gate.Policy(ScanSeverity.LOW, false), TODAY);
        assertEquals(9, low.count(GateResult.Status.FAILING));
        assertEquals(0, low.count(GateResult.Status.BELOW));
        GateResult none = Gate.evaluate(List.of(), List.of(), HIGH, TODAY);
        assertTrue(none.passed());
        assertEquals(List.of(), none.findings());
    }

    @Test
    void evaluate_ignoreUnfixed_skipsOnlyThoseWithoutAFix() throws Exception {
        GateResult r = Gate.evaluate(fixtures(), List.of(), new Gate.Policy(ScanSeverity.HIGH, true), TODAY);
        assertEquals(2, r.count(GateResult.Status.UNFIXED));
        assertEquals(3, r.count(GateResult.Status.FAILING));
        assertTrue(r.findings().stream().noneMatch(f -> f.message().contains("no fix yet")), r.findings()::toString);
    }

    @Test
    void evaluate_ignoreFile_ignoredNoted_expiredFailsAndIsReported_unusedNoted() throws Exception {
        GateResult r = Gate.evaluate(fixtures(), ignores(), HIGH, TODAY);
        assertEquals(
                List.of(
                        "GATE-VULN trivy.json:39:9",
                        "GATE-VULN trivy.json:17:9",
                        "GATE-IGNORED trivy.json:54:9",
                        "GATE-VULN clair.json:69:12",
                        "GATE-VULN clair.json:35:12",
                        "GATE-IGNORE-EXPIRED ignore.yaml:8:5",
                        "GATE-IGNORE-UNUSED ignore.yaml:11:5"),
                ids(r));
        assertEquals(1, r.count(GateResult.Status.IGNORED));
        GateResult.Verdict ignored = r.verdicts().stream()
                .filter(v -> v.status() == GateResult.Status.IGNORED)
                .findFirst()
                .orElseThrow();
        assertEquals("CVE-2023-44487", ignored.vulnerability().id());
        assertEquals(
                new SourceSpan("ignore.yaml", 3, 5),
                ignored.ignoredBy().orElseThrow().span());
        Finding note = r.findings().get(2);
        assertEquals(Severity.NOTE, note.severity());
        assertTrue(
                note.message()
                        .endsWith("; ignored until 2027-01-31 by ignore.yaml:3:5: the API serves HTTP/1.1 only behind"
                                + " the proxy"),
                note.message());
        // the entry expired on 2026-11-30: the vulnerability fails again, and the hint says how to renew
        assertEquals(
                "upgrade libcrypto3 to 3.1.4-r0 or later and rebuild the image, or set a later expiry date on the"
                        + " ignore entry at ignore.yaml:8:5 (it expired on 2026-11-30) if its reason still holds",
                r.findings().get(1).hint());
        Finding expired = r.findings().get(5);
        assertEquals(Severity.WARNING, expired.severity());
        assertEquals("ignore.yaml", expired.subject());
        assertEquals(
                "the ignore entry for CVE-2023-5363 expired on 2026-11-30 and no longer ignores it (reason given: no"
                        + " cipher with a custom key length is used)",
                expired.message());
        Finding unused = r.findings().get(6);
        assertEquals(Severity.NOTE, unused.severity());
        assertEquals("the ignore entry for CVE-2022-0001 matches no vulnerability in the reports", unused.message());
    }

    @Test
    void evaluate_expiry_entryAppliesThroughItsLastDay() throws Exception {
        List<ScanReport> reports = fixtures();
        List<IgnoreEntry> ignores = ignores();
        GateResult onTheDay = Gate.evaluate(reports, ignores, HIGH, LocalDate.of(2026, 11, 30));
        assertEquals(2, onTheDay.count(GateResult.Status.IGNORED));
        assertTrue(ids(onTheDay).contains("GATE-IGNORED trivy.json:17:9"), ids(onTheDay)::toString);
        assertFalse(ids(onTheDay).contains("GATE-IGNORE-EXPIRED ignore.yaml:8:5"));
        GateResult dayAfter = Gate.evaluate(reports, ignores, HIGH, LocalDate.of(2026, 12, 1));
        assertEquals(1, dayAfter.count(GateResult.Status.IGNORED));
        assertTrue(ids(dayAfter).contains("GATE-VULN trivy.json:17:9"));
        assertTrue(ids(dayAfter).contains("GATE-IGNORE-EXPIRED ignore.yaml:8:5"));
        GateResult later = Gate.evaluate(reports, ignores, HIGH, LocalDate.of(2027, 2, 1));
        assertEquals(0, later.count(GateResult.Status.IGNORED));
        assertEquals(
                List.of(
                        "GATE-IGNORE-EXPIRED ignore.yaml:3:5",
                        "GATE-IGNORE-EXPIRED ignore.yaml:8:5",
                        "GATE-IGNORE-UNUSED ignore.yaml:11:5"),
                ids(later).stream().filter(x -> x.startsWith("GATE-IGNORE")).toList());
    }

    @Test
    void evaluate_ignoredAndBelow_entryStillUsed_allIgnored_passes() throws Exception {
        IgnoreEntry medium = new IgnoreEntry(
                "CVE-2023-5678",
                LocalDate.of(2027, 1, 1),
                "r",
                Optional.empty(),
                Optional.empty(),
                new SourceSpan("i.yaml", 2, 5));
        GateResult r = Gate.evaluate(fixtures(), List.of(medium), HIGH, TODAY);
        assertTrue(r.findings().stream().noneMatch(f -> f.id().startsWith("GATE-IGNORE")), ids(r)::toString);
        assertEquals(4, r.count(GateResult.Status.BELOW), "below the threshold counts as below, not ignored");
        ScanReport trivy = ScanReportsTest.read(ScanReportsTest.TRIVY);
        List<IgnoreEntry> all = trivy.vulnerabilities().stream()
                .map(v -> new IgnoreEntry(
                        v.id(),
                        LocalDate.of(2027, 1, 1),
                        "accepted",
                        Optional.of(v.packageName()),
                        Optional.of("registry.example.com/shop/api"),
                        new SourceSpan("i.yaml", 1, 1)))
                .toList();
        GateResult clean = Gate.evaluate(List.of(trivy), all, HIGH, TODAY);
        assertTrue(clean.passed());
        assertEquals(3, clean.count(GateResult.Status.IGNORED));
    }

    @Test
    void describe_unknownInstalledVersionAndNoWhere() {
        Vulnerability v =
                new Vulnerability("CVE-1", ScanSeverity.UNKNOWN, "pkg", "", "", "", "", "", new SourceSpan("r", 1, 1));
        assertEquals("CVE-1 (unknown): pkg (version not reported) (no fix yet)", Gate.describe(v));
    }
}
