package dev.stockade.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScanReportsTest {

    static final Path TRIVY = Path.of("src/test/resources/scan/trivy.json");
    static final Path CLAIR = Path.of("src/test/resources/scan/clair.json");

    static ScanReport read(Path p) throws Exception {
        return ScanReports.parse(p.getFileName().toString(), Files.readString(p));
    }

    static List<Diagnostic> problems(String text) {
        return assertThrows(InputException.class, () -> ScanReports.parse("r.json", text))
                .diagnostics();
    }

    static Diagnostic problem(String text) {
        List<Diagnostic> all = problems(text);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void parse_trivy_everyVulnerabilityOfEveryResult_withItsObjectsPlace() throws Exception {
        ScanReport r = read(TRIVY);
        assertEquals(ScanReport.Format.TRIVY, r.format());
        assertEquals("registry.example.com/shop/api:1.4.2", r.image());
        assertEquals(
                List.of("CVE-2023-5363", "CVE-2023-5678", "CVE-2024-0001", "CVE-2023-44487", "CVE-2023-39325"),
                r.vulnerabilities().stream().map(Vulnerability::id).toList());
        Vulnerability first = r.vulnerabilities().get(0);
        assertEquals(
                new Vulnerability(
                        "CVE-2023-5363",
                        ScanSeverity.HIGH,
                        "libcrypto3",
                        "3.1.3-r0",
                        "3.1.4-r0",
                        "registry.example.com/shop/api:1.4.2",
                        "registry.example.com/shop/api:1.4.2 (alpine 3.18.4)",
                        "openssl: Incorrect cipher key and IV length processing",
                        new SourceSpan("trivy.json", 17, 9)),
                first);
        Vulnerability unfixed = r.vulnerabilities().get(2);
        assertEquals("", unfixed.fixedVersion());
        assertEquals(false, unfixed.fixable());
        assertEquals(ScanSeverity.CRITICAL, unfixed.severity());
        Vulnerability go = r.vulnerabilities().get(3);
        assertEquals("usr/local/bin/api", go.target());
        assertEquals("registry.example.com/shop/api:1.4.2, usr/local/bin/api", go.where());
        assertEquals("registry.example.com/shop/api:1.4.2 (alpine 3.18.4)", first.where());
        assertEquals(new SourceSpan("trivy.json", 54, 9), go.span());
    }

    @Test
    void parse_trivyWithoutResults_noVulnerabilities() throws Exception {
        ScanReport r = ScanReports.parse("r.json", "{\"SchemaVersion\": 2, \"ArtifactName\": \"alpine:3.19\"}");
        assertEquals(List.of(), r.vulnerabilities());
        assertEquals("alpine:3.19", r.image());
        ScanReport nulls = ScanReports.parse(
                "r.json", "{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"x\", \"Vulnerabilities\": null}]}");
        assertEquals(List.of(), nulls.vulnerabilities());
        assertEquals("", nulls.image());
    }

    @Test
    void parse_clair_packagesJoinedToVulnerabilities() throws Exception {
        ScanReport r = read(CLAIR);
        assertEquals(ScanReport.Format.CLAIR, r.format());
        String hash = "sha256:9c1f3b2e4d6a8c0e2f4a6b8d0c2e4f6a8b0d2c4e6f8a0b2d4c6e8f0a2b4d6c8e";
        assertEquals(hash, r.image());
        assertEquals(
                List.of("CVE-2023-0286", "CVE-2024-9999", "CVE-2018-25032", "GHSA-j8r2-6x86-q33q"),
                r.vulnerabilities().stream().map(Vulnerability::id).toList());
        Vulnerability openssl = r.vulnerabilities().get(0);
        assertEquals("openssl", openssl.packageName());
        assertEquals("1.1.1n-0+deb11u4", openssl.installedVersion());
        assertEquals("1.1.1t-0+deb11u1", openssl.fixedVersion());
        assertEquals(ScanSeverity.HIGH, openssl.severity());
        assertEquals(new SourceSpan("clair.json", 35, 12), openssl.span());
        assertEquals(hash, openssl.where());
        // the description's first line, cut to 100 characters
        assertEquals(100, openssl.title().length());
        assertTrue(openssl.title().startsWith("There is a type confusion")
                && openssl.title().endsWith("..."));
        Vulnerability zlib = r.vulnerabilities().get(2);
        assertEquals(ScanSeverity.LOW, zlib.severity(), "Negligible reads as low");
        assertEquals(false, zlib.fixable());
        assertEquals("1:1.2.11.dfsg-2+deb11u1", zlib.installedVersion());
        Vulnerability requests = r.vulnerabilities().get(3);
        assertEquals("2.31.0", requests.fixedVersion(), "the fixed= part of a query-form version");
        assertEquals(ScanSeverity.MEDIUM, requests.severity());
        assertEquals("", r.vulnerabilities().get(1).title());
    }

    @Test
    void clairFixedVersion_queryFormOrPlain() {
        assertEquals("1.2.3", ClairParser.fixedVersion("introduced=1.0&fixed=1.2.3"));
        assertEquals("1.2.3+x", ClairParser.fixedVersion("fixed=1.2.3%2Bx"));
        assertEquals("1.2%zz", ClairParser.fixedVersion("fixed=1.2%zz"));
        assertEquals("", ClairParser.fixedVersion("introduced=1.0"));
        assertEquals("1:2.3-1", ClairParser.fixedVersion("1:2.3-1"));
        assertEquals("Short", ClairParser.title("  Short\nsecond line"));
    }

    @Test
    void scanSeverity_bothSpellings_orderedAndLabelled() {
        assertEquals(Optional.of(ScanSeverity.CRITICAL), ScanSeverity.parse("CRITICAL"));
        assertEquals(Optional.of(ScanSeverity.HIGH), ScanSeverity.parse("High"));
        assertEquals(Optional.of(ScanSeverity.LOW), ScanSeverity.parse("Negligible"));
        assertEquals(Optional.of(ScanSeverity.UNKNOWN), ScanSeverity.parse("Unknown"));
        assertEquals(Optional.empty(), ScanSeverity.parse("MODERATE"));
        assertTrue(ScanSeverity.HIGH.atLeast(ScanSeverity.MEDIUM));
        assertTrue(ScanSeverity.HIGH.atLeast(ScanSeverity.HIGH));
        assertEquals(false, ScanSeverity.LOW.atLeast(ScanSeverity.MEDIUM));
        assertEquals("medium", ScanSeverity.MEDIUM.label());
    }

    @Test
    void notJson_jsonSyntaxWithPlace() {
        Diagnostic d = problem("{\"SchemaVersion\": 2,\n  \"Results\": [}\n");
        assertEquals("JSON-SYNTAX", d.code());
        assertEquals(new SourceSpan("r.json", 2, 15), d.span());
    }

    @Test
    void empty_orNeitherFormat_gateFormat() {
        Diagnostic empty = problem(" \n");
        assertEquals("r.json:1:1: error: the file is empty [GATE-FORMAT]", empty.toString());
        assertTrue(empty.hint().contains("trivy image --format json"), empty.hint());
        Diagnostic other = problem("{\"name\": \"x\"}");
        assertEquals(
                "r.json:1:1: error: neither a Trivy JSON report nor a Clair v4 vulnerability report [GATE-FORMAT]",
                other.toString());
        Diagnostic scalar = problem("\n  42");
        assertEquals(
                "r.json:2:3: error: a scan report is a JSON object, not a number [GATE-FORMAT]", scalar.toString());
        assertEquals("GATE-FORMAT", problem("[1, 2]").code());
        assertEquals("GATE-FORMAT", problem("[]").code());
    }

    @Test
    void nearMisses_gateFormatWithTheRightCommand() {
        Diagnostic index = problem("{\"manifest_hash\": \"sha256:aa\", \"packages\": {}, \"environments\": {}}");
        assertEquals("GATE-FORMAT", index.code());
        assertTrue(index.message().contains("a Clair index report"), index.message());
        assertTrue(index.hint().contains("/matcher/api/v1/vulnerability_report/"), index.hint());
        Diagnostic sarif = problem("{\"version\": \"2.1.0\", \"runs\": []}");
        assertEquals("a SARIF file, not a scan report", sarif.message());
        Diagnostic sbom = problem("{\"bomFormat\": \"CycloneDX\"}");
        assertEquals("an SBOM, not a vulnerability scan report", sbom.message());
    }

    @Test
    void trivySchema_otherThan2_gateSchema() {
        Diagnostic one = problem("{\"SchemaVersion\": 1,\n \"Results\": []}");
        assertEquals(
                "r.json:1:19: error: Trivy report schema version 1; only version 2 is read [GATE-SCHEMA]",
                one.toString());
        assertTrue(one.hint().startsWith("write the report with Trivy 0.20 or later"), one.hint());
        assertEquals(
                "Trivy report schema version a string; only version 2 is read",
                problem("{\"SchemaVersion\": \"2\"}").message());
        Diagnostic missing = problem("{\"ArtifactName\": \"alpine\", \"Results\": []}");
        assertEquals("r.json:1:1: error: this Trivy report has no \"SchemaVersion\" [GATE-SCHEMA]", missing.toString());
        Diagnostic old = problem("[{\"Target\": \"alpine:3.7 (alpine 3.7.1)\", \"Vulnerabilities\": null}]");
        assertEquals("GATE-SCHEMA", old.code());
        assertTrue(old.message().contains("old schema"), old.message());
    }

    @Test
    void trivyWrongTypes_everyOneReported_gateTypeAndValue() {
        String text = "{\"SchemaVersion\": 2, \"Results\": [\n"
                + "  {\"Target\": \"t\", \"Vulnerabilities\": [\n"
                + "    {\"VulnerabilityID\": 7, \"PkgName\": \"a\", \"Severity\": \"HIGH\"},\n"
                + "    {\"VulnerabilityID\": \"CVE-1\", \"Severity\": \"SEVERE\"},\n"
                + "    \"CVE-2\"]},\n"
                + "  {\"Target\": \"u\", \"Vulnerabilities\": {}},\n"
                + "  3]}\n";
        List<String> said = problems(text).stream().map(Diagnostic::toString).toList();
        assertEquals(
                List.of(
                        "r.json:3:25: error: \"VulnerabilityID\" must be a string, not a number [GATE-TYPE]",
                        "r.json:4:5: error: this object needs \"PkgName\" [GATE-TYPE]",
                        "r.json:4:46: error: unknown severity 'SEVERE' in \"Severity\"; one of: UNKNOWN, LOW, MEDIUM,"
                                + " HIGH, CRITICAL [GATE-VALUE]",
                        "r.json:5:5: error: each of \"Vulnerabilities\" must be an object, not a string [GATE-TYPE]",
                        "r.json:6:38: error: \"Vulnerabilities\" must be a list, not an object [GATE-TYPE]",
                        "r.json:7:3: error: each of \"Results\" must be an object, not a number [GATE-TYPE]"),
                said);
        assertEquals(TrivyParser.HINT, problems(text).get(0).hint());
        assertTrue(TrivyParser.HINT.startsWith("read as a Trivy JSON report"));
        assertEquals(
                "\"Results\" must be a list, not an object",
                problem("{\"SchemaVersion\": 2, \"Results\": {}}").message());
        assertEquals(
                "\"ArtifactName\" must be a string, not true/false",
                problem("{\"SchemaVersion\": 2, \"ArtifactName\": true}").message());
    }

    @Test
    void clairWrongTypesAndReferences_everyOneReported() {
        String text = "{\"manifest_hash\": \"sha256:aa\",\n"
                + " \"packages\": {\"1\": {\"name\": \"a\"}, \"2\": {\"version\": \"1\"}},\n"
                + " \"vulnerabilities\": {\"9\": {\"name\": \"CVE-9\", \"normalized_severity\": \"Severe\"},\n"
                + "   \"8\": [] },\n"
                + " \"package_vulnerabilities\": {\"1\": [\"9\", \"7\", 3], \"5\": [\"8\"], \"2\": \"9\"}}\n";
        List<String> said = problems(text).stream().map(Diagnostic::toString).toList();
        assertEquals(
                List.of(
                        "r.json:3:68: error: unknown severity 'Severe' in \"normalized_severity\"; one of: Unknown,"
                                + " Negligible, Low, Medium, High, Critical [GATE-VALUE]",
                        "r.json:4:9: error: vulnerability '8' must be an object, not a list [GATE-TYPE]",
                        "r.json:2:40: error: this object needs \"name\" [GATE-TYPE]",
                        "r.json:5:41: error: vulnerability '7' is not in \"vulnerabilities\" [GATE-REFERENCE]",
                        "r.json:5:46: error: a vulnerability id must be a string, not a number [GATE-TYPE]",
                        "r.json:5:50: error: package '5' is not in \"packages\" [GATE-REFERENCE]",
                        "r.json:5:67: error: package '2' must map to a list of vulnerability ids [GATE-TYPE]"),
                said);
        assertEquals(ClairParser.HINT, problems(text).get(0).hint());
        assertTrue(ClairParser.HINT.startsWith("read as a Clair v4 vulnerability report"));
        assertEquals(
                "r.json:1:1: error: this Clair report needs \"package_vulnerabilities\" [GATE-TYPE]",
                problem("{\"manifest_hash\": \"sha256:aa\", \"vulnerabilities\": {}}")
                        .toString());
        assertEquals(
                "this object needs \"manifest_hash\"",
                problem("{\"manifest_hash\": null, \"vulnerabilities\": {}, \"package_vulnerabilities\": {}}")
                        .message());
        assertEquals(
                "\"package_vulnerabilities\" must be an object, not a list",
                problem("{\"manifest_hash\": \"h\", \"vulnerabilities\": {}, \"package_vulnerabilities\": []}")
                        .message());
        assertEquals(
                "\"vulnerabilities\" must be an object, not a number",
                problem("{\"manifest_hash\": \"h\", \"vulnerabilities\": 1, \"package_vulnerabilities\": {}}")
                        .message());
    }

    @Test
    void reportFields_collectEveryProblem_thenThrowTogether() throws Exception {
        ReportFields f = new ReportFields("the hint");
        JsonValue.JsonObject o =
                (JsonValue.JsonObject) JsonReader.read("r.json", "{\"a\": 1, \"b\": null, \"c\": \"x\", \"d\": []}");
        f.throwIfAny();
        assertEquals("x", f.optional(o, "c"));
        assertEquals("", f.optional(o, "b"));
        assertEquals("", f.optional(o, "missing"));
        assertEquals(List.of(), f.list(o, "b"));
        assertEquals(java.util.Map.of(), f.map(o, "missing"));
        assertEquals(Optional.empty(), f.required(o, "b"));
        assertEquals("", f.optional(o, "a"));
        assertEquals(java.util.Map.of(), f.map(o, "d"));
        List<Diagnostic> said =
                assertThrows(InputException.class, f::throwIfAny).diagnostics();
        assertEquals(
                List.of(
                        "r.json:1:1: error: this object needs \"b\" [GATE-TYPE]",
                        "r.json:1:7: error: \"a\" must be a string, not a number [GATE-TYPE]",
                        "r.json:1:36: error: \"d\" must be an object, not a list [GATE-TYPE]"),
                said.stream().map(Diagnostic::toString).toList());
        assertTrue(said.stream().allMatch(d -> d.hint().equals("the hint")));
    }
}
