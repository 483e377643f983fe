package dev.stockade.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IgnoreFileTest {

    static final Path IGNORE = Path.of("src/test/resources/scan/ignore.yaml");

    static List<String> problems(String text) {
        return assertThrows(InputException.class, () -> IgnoreFile.parse("i.yaml", text)).diagnostics().stream()
                .map(Diagnostic::toString)
                .toList();
    }

    @Test
    void parse_fixture_everyEntryWithItsPlace() throws Exception {
        List<IgnoreEntry> entries = IgnoreFile.parse("ignore.yaml", Files.readString(IGNORE));
        assertEquals(3, entries.size());
        assertEquals(
                new IgnoreEntry(
                        "CVE-2023-44487",
                        LocalDate.of(2027, 1, 31),
                        "the API serves HTTP/1.1 only behind the proxy",
                        Optional.of("golang.org/x/net"),
                        Optional.of("registry.example.com/shop/api"),
                        new SourceSpan("ignore.yaml", 3, 5)),
                entries.get(0));
        IgnoreEntry any = entries.get(1);
        assertEquals("CVE-2023-5363", any.id());
        assertEquals(Optional.empty(), any.packageName());
        assertEquals(Optional.empty(), any.image());
        assertEquals(new SourceSpan("ignore.yaml", 8, 5), any.span());
    }

    @Test
    void parse_emptyOrCommentsOrEmptyList_noEntries() throws Exception {
        assertEquals(List.of(), IgnoreFile.parse("i.yaml", ""));
        assertEquals(List.of(), IgnoreFile.parse("i.yaml", "# nothing accepted\n"));
        assertEquals(List.of(), IgnoreFile.parse("i.yaml", "ignore:\n"));
        assertEquals(List.of(), IgnoreFile.parse("i.yaml", "ignore: []\n"));
    }

    @Test
    void parse_quotedValuesAndFlowStyle_readAsWritten() throws Exception {
        List<IgnoreEntry> e = IgnoreFile.parse(
                "i.yaml", "ignore:\n- {id: 'CVE-1', expires: \"2027-02-28\", reason: 'no: really', package: ''}\n");
        assertEquals("CVE-1", e.get(0).id());
        assertEquals(LocalDate.of(2027, 2, 28), e.get(0).expires());
        assertEquals("no: really", e.get(0).reason());
        assertEquals(Optional.empty(), e.get(0).packageName(), "an empty package scopes nothing");
    }

    @Test
    void malformedEntries_everyProblemLocated_gateIgnoreEntry() {
        String text = "ignore:\n"
                + "  - id: CVE-1\n"
                + "    reason: accepted\n"
                + "  - id: CVE-2\n"
                + "    expires: 31/01/2027\n"
                + "    reason: ''\n"
                + "    pakage: openssl\n"
                + "  - id: [CVE-3]\n"
                + "    id: CVE-4\n"
                + "    expires: 2027-02-30\n"
                + "    reason: r\n"
                + "  - CVE-5\n";
        assertEquals(
                List.of(
                        "i.yaml:2:5: error: this entry needs 'expires' [GATE-IGNORE-ENTRY]",
                        "i.yaml:7:5: error: unknown key 'pakage' in an ignore entry [GATE-IGNORE-ENTRY]",
                        "i.yaml:6:13: error: 'reason' is empty [GATE-IGNORE-ENTRY]",
                        "i.yaml:5:14: error: '31/01/2027' is not a date [GATE-IGNORE-ENTRY]",
                        "i.yaml:9:5: error: 'id' appears twice in an ignore entry [GATE-IGNORE-ENTRY]",
                        "i.yaml:8:9: error: 'id' must be a single value, not a list [GATE-IGNORE-ENTRY]",
                        "i.yaml:10:14: error: '2027-02-30' is not a date [GATE-IGNORE-ENTRY]",
                        "i.yaml:12:5: error: an ignore entry must be a mapping (key: value), not a value 'CVE-5'"
                                + " [GATE-IGNORE-ENTRY]"),
                problems(text));
        InputException e = assertThrows(InputException.class, () -> IgnoreFile.parse("i.yaml", text));
        assertEquals("did you mean 'package'?", e.diagnostics().get(1).hint());
        assertEquals(
                "write it as YYYY-MM-DD, e.g. 2027-01-31",
                e.diagnostics().get(3).hint());
        assertTrue(
                e.diagnostics().get(0).hint().startsWith("add 'expires: ...'"),
                e.diagnostics().get(0).hint());
    }

    @Test
    void sameVulnerabilityPackageAndImageTwice_gateIgnoreEntry_otherScopesAllowed() throws Exception {
        String text = "ignore:\n"
                + "  - {id: CVE-1, expires: 2027-01-01, reason: a}\n"
                + "  - {id: CVE-1, expires: 2027-01-01, reason: b, package: zlib}\n"
                + "  - {id: CVE-1, expires: 2027-03-01, reason: c}\n";
        assertEquals(
                List.of("i.yaml:4:5: error: a second entry for CVE-1 with the same package and image as the entry at"
                        + " i.yaml:2:5 [GATE-IGNORE-ENTRY]"),
                problems(text));
        assertEquals(
                2,
                IgnoreFile.parse("i.yaml", text.substring(0, text.lastIndexOf("  - ")))
                        .size());
    }

    @Test
    void wrongShape_gateIgnoreSyntax() {
        assertEquals(
                List.of("i.yaml:1:1: error: unknown key 'ignores' in the ignore file [GATE-IGNORE-SYNTAX]"),
                problems("ignores:\n  - id: CVE-1\n"));
        assertEquals(
                List.of("i.yaml:1:1: error: the ignore file must be a mapping (key: value), not a list"
                        + " [GATE-IGNORE-SYNTAX]"),
                problems("- id: CVE-1\n"));
        assertEquals(
                List.of("i.yaml:1:9: error: 'ignore' must be a list of entries [GATE-IGNORE-SYNTAX]"),
                problems("ignore: CVE-1\n"));
        assertEquals(
                List.of("i.yaml:1:1: error: the ignore file needs 'ignore:' [GATE-IGNORE-SYNTAX]"), problems("{}\n"));
    }

    @Test
    void yamlSyntax_locatedGateIgnoreSyntax() {
        List<String> said = problems("ignore:\n  - id: CVE-1\n   expires: 2027-01-01\n");
        assertEquals(1, said.size());
        assertTrue(said.get(0).startsWith("i.yaml:3:"), said.get(0));
        assertTrue(said.get(0).contains("YAML syntax error") && said.get(0).endsWith("[GATE-IGNORE-SYNTAX]"));
        assertTrue(problems("a: &x [*x]\n").get(0).endsWith("[GATE-IGNORE-SYNTAX]"));
    }

    @Test
    void entryMatches_idPackageAndImage() {
        IgnoreEntry e = new IgnoreEntry(
                "CVE-1",
                LocalDate.of(2027, 1, 31),
                "r",
                Optional.of("openssl"),
                Optional.of("reg/app"),
                new SourceSpan("i.yaml", 2, 5));
        assertTrue(e.matches(vuln("CVE-1", "openssl", "reg/app:1.2")));
        assertTrue(e.matches(vuln("CVE-1", "openssl", "reg/app@sha256:aa")));
        assertTrue(e.matches(vuln("CVE-1", "openssl", "reg/app")));
        assertFalse(e.matches(vuln("CVE-2", "openssl", "reg/app:1.2")));
        assertFalse(e.matches(vuln("CVE-1", "libssl", "reg/app:1.2")));
        assertFalse(e.matches(vuln("CVE-1", "openssl", "reg/app-db:1.2")));
        assertFalse(e.matches(vuln("CVE-1", "openssl", "reg/app:1/x")));
        assertFalse(e.matches(vuln("CVE-1", "openssl", "other/app:1.2")));
        IgnoreEntry anywhere =
                new IgnoreEntry("CVE-1", LocalDate.of(2027, 1, 31), "r", Optional.empty(), Optional.empty(), e.span());
        assertTrue(anywhere.matches(vuln("CVE-1", "zlib", "x:1")));
        assertTrue(IgnoreEntry.imageMatches("reg:5000/app", "reg:5000/app:2"));
    }

    @Test
    void entryExpiry_appliesThroughItsDay() {
        IgnoreEntry e = new IgnoreEntry(
                "CVE-1",
                LocalDate.of(2027, 1, 31),
                "r",
                Optional.empty(),
                Optional.empty(),
                new SourceSpan("i.yaml", 2, 5));
        assertFalse(e.expiredOn(LocalDate.of(2027, 1, 30)));
        assertFalse(e.expiredOn(LocalDate.of(2027, 1, 31)));
        assertTrue(e.expiredOn(LocalDate.of(2027, 2, 1)));
    }

    static Vulnerability vuln(String id, String pkg, String image) {
        return new Vulnerability(id, ScanSeverity.HIGH, pkg, "1", "2", image, image, "", new SourceSpan("r", 1, 1));
    }
}
