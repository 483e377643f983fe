package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

class ImagesGateCommandTest {

    static final String TRIVY = "src/test/resources/scan/trivy.json";
    static final String CLAIR = "src/test/resources/scan/clair.json";
    static final String IGNORE = "src/test/resources/scan/ignore.yaml";
    /** 2026-12-03: the fixture's CVE-2023-5363 entry expired three days before. */
    static final Clock DEC_3 = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    /** Runs {@code images gate ARGS} on {@code clock}'s day, with {@code stdin} as standard input. */
    static BuildCommandTest.Result gate(Clock clock, InputStream stdin, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(o), new PrintWriter(e));
        ImagesGateCommand command = (ImagesGateCommand)
                cl.getSubcommands().get("images").getSubcommands().get("gate").getCommand();
        command.clock = clock;
        command.stdin = stdin;
        String[] all = new String[args.length + 2];
        all[0] = "images";
        all[1] = "gate";
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.execute(cl, all);
        return new BuildCommandTest.Result(code, o.toString(), e.toString());
    }

    static BuildCommandTest.Result gate(String... args) {
        return gate(DEC_3, new ByteArrayInputStream(new byte[0]), args);
    }

    @Test
    void text_failingVulnerabilitiesWorstFirst_ignoreEntriesReported_summary_exit1() {
        BuildCommandTest.Result r = gate(TRIVY, CLAIR, "--ignore", IGNORE);
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(
                "Checked " + TRIVY + " (trivy report of registry.example.com/shop/api:1.4.2, 5 vulnerabilities), "
                        + CLAIR + " (clair report of"
                        + " sha256:9c1f3b2e4d6a8c0e2f4a6b8d0c2e4f6a8b0d2c4e6f8a0b2d4c6e8f0a2b4d6c8e, 4"
                        + " vulnerabilities).",
                lines.get(0));
        assertEquals(
                TRIVY + ":39:9: error: CVE-2024-0001 (critical): busybox 1.36.1-r2 (no fix yet) in"
                        + " registry.example.com/shop/api:1.4.2 (alpine 3.18.4): busybox: awk heap overflow"
                        + " [GATE-VULN]",
                lines.get(1));
        assertEquals(
                "  hint: no fixed version yet: ignore CVE-2024-0001 in an --ignore file with a reason and an expiry"
                        + " date, or pass --ignore-unfixed",
                lines.get(2));
        assertTrue(
                lines.get(3)
                        .startsWith(
                                TRIVY + ":17:9: error: CVE-2023-5363 (high): libcrypto3 3.1.3-r0 ->" + " 3.1.4-r0 in "),
                lines.get(3));
        assertTrue(lines.get(4).contains("set a later expiry date on the ignore entry at " + IGNORE + ":8:5"));
        assertTrue(lines.get(5).startsWith(TRIVY + ":54:9: note: CVE-2023-44487 (high): "), lines.get(5));
        assertTrue(lines.get(5).endsWith(" [GATE-IGNORED]"), lines.get(5));
        assertTrue(
                r.out()
                        .contains("\n" + IGNORE + ":8:5: warning: the ignore entry for CVE-2023-5363 expired on"
                                + " 2026-11-30 and no longer ignores it"),
                r.out());
        assertTrue(
                r.out()
                        .contains("\n" + IGNORE + ":11:5: note: the ignore entry for CVE-2022-0001 matches no"
                                + " vulnerability in the reports [GATE-IGNORE-UNUSED]\n"),
                r.out());
        assertEquals(
                "Failed: 4 vulnerabilities at or above high (2 critical, 2 high); 1 ignored, 4 below high.",
                lines.get(lines.size() - 1));
    }

    @Test
    void clock_injectedDate_decidesWhetherAnEntryStillIgnores() {
        Clock nov30 = Clock.fixed(Instant.parse("2026-11-30T23:59:00Z"), ZoneOffset.UTC);
        BuildCommandTest.Result r = gate(nov30, InputStream.nullInputStream(), TRIVY, "--ignore", IGNORE);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains(TRIVY + ":17:9: note: CVE-2023-5363 (high): "), r.out());
        assertFalse(r.out().contains("[GATE-IGNORE-EXPIRED]"), r.out());
        assertTrue(
                r.out()
                        .endsWith("Failed: 1 vulnerability at or above high (1 critical); 2 ignored, 2 below"
                                + " high.\n"),
                r.out());
        assertEquals(ZoneOffset.UTC, new ImagesGateCommand().clock.getZone());
    }

    @Test
    void severityAndIgnoreUnfixed_passes_exit0() {
        BuildCommandTest.Result r = gate("--severity", "critical", "--ignore-unfixed", TRIVY);
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(
                "Checked " + TRIVY + " (trivy report of registry.example.com/shop/api:1.4.2, 5 vulnerabilities).\n"
                        + "Passed: no vulnerability at or above critical; 1 without a fix skipped, 4 below critical.\n",
                r.out());
        BuildCommandTest.Result low = gate("--severity", "low", CLAIR);
        assertEquals(1, low.code());
        assertTrue(
                low.out()
                        .endsWith("Failed: 4 vulnerabilities at or above low (1 critical, 1 high, 1 medium,"
                                + " 1 low).\n"),
                low.out());
        BuildCommandTest.Result unknown = gate("--severity", "unknown", "--ignore-unfixed", CLAIR);
        assertTrue(
                unknown.out()
                        .endsWith("Failed: 2 vulnerabilities at or above unknown (1 high, 1 medium); 2"
                                + " without a fix skipped.\n"),
                unknown.out());
        assertEquals(
                ImagesGateCommand.Level.high,
                CommandRun.of("images", "gate", "--help").command(ImagesGateCommand.class).severity);
    }

    @Test
    void stdin_readAsAReportNamedStdin() {
        String report = "{\"SchemaVersion\": 2, \"ArtifactName\": \"alpine:3.19\", \"Results\": [{\"Target\": \"t\","
                + " \"Vulnerabilities\": [\n {\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"musl\","
                + " \"InstalledVersion\": \"1\", \"FixedVersion\": \"2\", \"Severity\": \"HIGH\"}]}]}";
        BuildCommandTest.Result r = gate(DEC_3, new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "-");
        assertEquals(1, r.code(), r.err());
        assertTrue(
                r.out().contains("<stdin>:2:2: error: CVE-1 (high): musl 1 -> 2 in alpine:3.19, t [GATE-VULN]"),
                r.out());
        BuildCommandTest.Result twice = gate("-", "-");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("'-' (standard input) can be given once"), twice.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_reportsCountsVerdictsAndFindings() {
        BuildCommandTest.Result r = gate("--format", "json", TRIVY, CLAIR, "--ignore", IGNORE);
        assertEquals(1, r.code(), r.err());
        Map<String, Object> doc = new Yaml().load(r.out());
        assertEquals(
                Map.of(
                        "file",
                        CLAIR,
                        "format",
                        "clair",
                        "image",
                        "sha256:9c1f3b2e4d6a8c0e2f4a6b8d0c2e4f6a8b0d2c4e6f8a0b2d4c6e8f0a2b4d6c8e",
                        "vulnerabilities",
                        4),
                ((List<Object>) doc.get("reports")).get(1));
        assertEquals(IGNORE, doc.get("ignoreFile"));
        assertEquals("high", doc.get("severity"));
        assertEquals(false, doc.get("ignoreUnfixed"));
        assertEquals(false, doc.get("passed"));
        assertEquals(Map.of("failing", 4, "ignored", 1, "unfixed", 0, "below", 4), doc.get("counts"));
        List<Map<String, Object>> vulns = (List<Map<String, Object>>) doc.get("vulnerabilities");
        assertEquals(9, vulns.size());
        Map<String, Object> ignored = vulns.get(3);
        assertEquals("CVE-2023-44487", ignored.get("id"));
        assertEquals("ignored", ignored.get("status"));
        assertEquals("golang.org/x/net", ignored.get("package"));
        assertEquals("v0.15.0", ignored.get("installedVersion"));
        assertEquals("0.17.0", ignored.get("fixedVersion"));
        assertEquals("usr/local/bin/api", ignored.get("target"));
        assertEquals(Map.of("file", TRIVY, "line", 54, "column", 9), ignored.get("location"));
        assertEquals(Map.of("file", IGNORE, "line", 3, "column", 5), ignored.get("ignoredBy"));
        Map<String, Object> unfixed = vulns.get(2);
        assertEquals("failing", unfixed.get("status"));
        assertEquals(null, unfixed.get("fixedVersion"));
        assertEquals(null, unfixed.get("ignoredBy"));
        assertEquals("below", vulns.get(1).get("status"));
        List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.get("findings");
        assertEquals(7, findings.size());
        assertEquals("GATE-VULN", findings.get(0).get("id"));
        assertEquals("error", findings.get(0).get("severity"));
        assertEquals("GATE-IGNORE-EXPIRED", findings.get(5).get("id"));
        assertEquals(
                Map.of("file", IGNORE, "line", 8, "column", 5), findings.get(5).get("location"));
        BuildCommandTest.Result clean = gate("--format", "json", "--severity", "critical", "--ignore-unfixed", TRIVY);
        assertEquals(0, clean.code());
        Map<String, Object> passed = new Yaml().load(clean.out());
        assertEquals(true, passed.get("passed"));
        assertEquals(null, passed.get("ignoreFile"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarif_gateRulesDescribed_resultsInTheReportFiles() {
        BuildCommandTest.Result r = gate("--format", "sarif", TRIVY, "--ignore", IGNORE);
        assertEquals(1, r.code(), r.err());
        Map<String, Object> doc = new Yaml().load(r.out());
        assertEquals("2.1.0", doc.get("version"));
        Map<String, Object> run = ((List<Map<String, Object>>) doc.get("runs")).get(0);
        assertEquals(Map.of("id", "stockade/images-gate/"), run.get("automationDetails"));
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) driver.get("rules");
        assertEquals(
                List.of("GATE-VULN", "GATE-IGNORED", "GATE-IGNORE-EXPIRED", "GATE-IGNORE-UNUSED"),
                rules.stream().map(x -> x.get("id")).toList());
        assertEquals(
                "A vulnerability at or above the gate's severity that no ignore entry covers",
                ((Map<String, Object>) rules.get(0).get("shortDescription")).get("text"));
        List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
        assertEquals(5, results.size());
        Map<String, Object> first = results.get(0);
        assertEquals("GATE-VULN", first.get("ruleId"));
        assertEquals("error", first.get("level"));
        Map<String, Object> location = (Map<String, Object>)
                ((List<Map<String, Object>>) first.get("locations")).get(0).get("physicalLocation");
        assertEquals(TRIVY, ((Map<String, Object>) location.get("artifactLocation")).get("uri"));
        assertEquals(Map.of("startLine", 39, "startColumn", 9), location.get("region"));
        assertEquals("warning", results.get(3).get("level"));
        assertEquals("note", results.get(4).get("level"));
    }

    @Test
    void junit_aSuitePerReportAndTheIgnoreFile_failuresForFailingVulnerabilitiesOnly() throws Exception {
        BuildCommandTest.Result r = gate("--format", "junit", TRIVY, CLAIR, "--ignore", IGNORE);
        assertEquals(1, r.code(), r.err());
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("stockade images gate", root.getAttribute("name"));
        assertEquals("7", root.getAttribute("tests"));
        assertEquals("4", root.getAttribute("failures"));
        assertEquals(3, doc.getElementsByTagName("testsuite").getLength());
        Element ignoreSuite = (Element) doc.getElementsByTagName("testsuite").item(2);
        assertEquals(IGNORE, ignoreSuite.getAttribute("name"));
        assertEquals("0", ignoreSuite.getAttribute("failures"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("GATE-VULN", failure.getAttribute("type"));
        assertTrue(
                failure.getTextContent().startsWith(TRIVY + ":39:9: error: CVE-2024-0001"), failure.getTextContent());
        BuildCommandTest.Result clean = gate("--format", "junit", "--severity", "critical", "--ignore-unfixed", TRIVY);
        assertEquals(0, clean.code());
        assertTrue(
                clean.out()
                        .contains("name=\"no findings (trivy report of registry.example.com/shop/api:1.4.2, 5"
                                + " vulnerabilities)\""),
                clean.out());
    }

    @Test
    void html_summaryTableAndFindingsPerReport_escaped() throws Exception {
        Path report = Files.writeString(
                tmp.resolve("r.json"),
                "{\"SchemaVersion\": 2, \"ArtifactName\": \"app<script>\", \"Results\": [{\"Vulnerabilities\": [\n"
                        + "{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"p\", \"Severity\": \"CRITICAL\", \"Title\":"
                        + " \"<b>bold</b> & co\"}]}]}");
        BuildCommandTest.Result r = gate("--format", "html", report.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>"), r.out());
        assertTrue(r.out().contains("<title>Stockade images gate: 1 report</title>"), r.out());
        assertTrue(r.out().contains("Failed: 1 vulnerability at or above high (1 critical)."), r.out());
        assertTrue(r.out().contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"), r.out());
        assertFalse(r.out().contains("<b>bold"), r.out());
        assertTrue(r.out().contains("<code>GATE-VULN</code>"), r.out());
        assertTrue(r.out().contains("trivy report of app&lt;script&gt;, 1 vulnerability"), r.out());
    }

    @Test
    void badReports_everyFileReported_exit2_nothingOnStdout() throws Exception {
        Path notJson = Files.writeString(tmp.resolve("a.json"), "SchemaVersion: 2\n");
        Path other = Files.writeString(tmp.resolve("b.json"), "{\n  \"images\": []\n}\n");
        Path v1 = Files.writeString(tmp.resolve("c.json"), "{\"SchemaVersion\": 1}");
        Path missing = tmp.resolve("none.json");
        BuildCommandTest.Result r =
                gate(notJson.toString(), other.toString(), v1.toString(), missing.toString(), TRIVY);
        assertEquals(2, r.code(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().contains(notJson + ":1:1: error: "), r.err());
        assertTrue(r.err().contains("[JSON-SYNTAX]"), r.err());
        assertTrue(
                r.err()
                        .contains(other + ":1:1: error: neither a Trivy JSON report nor a Clair v4 vulnerability"
                                + " report [GATE-FORMAT]"),
                r.err());
        assertTrue(
                r.err()
                        .contains(v1 + ":1:19: error: Trivy report schema version 1; only version 2 is read"
                                + " [GATE-SCHEMA]"),
                r.err());
        assertTrue(r.err().contains(missing + ":1:1: error: no such file [GATE-READ]"), r.err());
        assertTrue(r.err().contains("hint: give the JSON of 'trivy image --format json IMAGE'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void badIgnoreFile_located_exit2() throws Exception {
        Path ignore = Files.writeString(
                tmp.resolve("ignore.yaml"), "ignore:\n  - id: CVE-2023-5363\n    expires: soon\n    reason: r\n");
        BuildCommandTest.Result r = gate(TRIVY, "--ignore", ignore.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains(ignore + ":3:14: error: 'soon' is not a date [GATE-IGNORE-ENTRY]"), r.err());
        assertTrue(r.err().contains("hint: write it as YYYY-MM-DD, e.g. 2027-01-31"), r.err());
        Path noReason = Files.writeString(tmp.resolve("n.yaml"), "ignore:\n  - {id: CVE-1, expires: 2027-01-01}\n");
        BuildCommandTest.Result n = gate(TRIVY, "--ignore", noReason.toString());
        assertEquals(2, n.code());
        assertTrue(n.err().contains(noReason + ":2:5: error: this entry needs 'reason' [GATE-IGNORE-ENTRY]"), n.err());
        BuildCommandTest.Result gone =
                gate(TRIVY, "--ignore", tmp.resolve("gone.yaml").toString());
        assertEquals(2, gone.code());
        assertTrue(gone.err().contains("gone.yaml:1:1: error: no such file [GATE-READ]"), gone.err());
    }

    @Test
    void badOptions_usageErrors_exit2() {
        BuildCommandTest.Result severity = gate("--severity", "severe", TRIVY);
        assertEquals(2, severity.code());
        assertTrue(severity.err().contains("--severity"), severity.err());
        assertTrue(severity.err().contains("unknown, low, medium, high, critical"), severity.err());
        BuildCommandTest.Result none = gate();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("REPORT"), none.err());
        BuildCommandTest.Result format = gate("--format", "yaml", TRIVY);
        assertEquals(2, format.code());
    }

    @Test
    void help_listedUnderImages() {
        CommandRun r = CommandRun.of("images", "--help");
        assertEquals(0, r.exit);
        assertTrue(r.out.matches("(?s).*\\n  gate +Fail a pipeline on vulnerabilities a scanner found\\.\\n.*"), r.out);
        assertTrue(
                r.out.matches("(?s).*\\n  check +Find image references that are not pinned by digest\\.\\n.*"), r.out);
    }
}
