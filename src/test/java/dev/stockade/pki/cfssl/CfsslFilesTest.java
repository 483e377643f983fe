package dev.stockade.pki.cfssl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.KeySpec;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CfsslFilesTest {

    @Test
    void csr_cfsslExample_parses() throws Exception {
        CfsslCsr c = CfsslCsr.parse(
                "csr.json",
                "{\n  \"CN\": \"example.net\",\n  \"hosts\": [\"example.net\", \"www.example.net\", \"10.0.0.1\"],\n"
                        + "  \"key\": {\"algo\": \"rsa\", \"size\": 2048},\n  \"names\": [{\"C\": \"US\", \"L\": \"San Francisco\", \"O\": \"Internet Widgets, Inc.\","
                        + " \"OU\": \"WWW\", \"ST\": \"California\"}]\n}\n");
        assertEquals("example.net", c.commonName());
        assertEquals(List.of("example.net", "www.example.net"), c.dnsNames());
        assertEquals(List.of("10.0.0.1"), c.ipAddresses());
        assertEquals(KeySpec.RSA_2048, c.key());
        assertEquals("Internet Widgets, Inc.", c.names().get(0).o());
    }

    @Test
    void csr_typoField_errorAtKeyWithSuggestion() {
        InputException e = assertThrows(
                InputException.class,
                () -> CfsslCsr.parse("csr.json", "{\n  \"CN\": \"x\",\n  \"host\": [\"a\"]\n}\n"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("CFSSL-UNKNOWN-FIELD", d.code());
        assertEquals(3, d.span().line());
        assertEquals(3, d.span().column());
        assertEquals("did you mean 'hosts'?", d.hint());
    }

    @Test
    void csr_badKeyAndSyntax_errors() {
        InputException e = assertThrows(
                InputException.class,
                () -> CfsslCsr.parse("csr.json", "{\"CN\": \"x\", \"key\": {\"algo\": \"ed25519\", \"size\": 256}}"));
        assertEquals("PKI-ALGORITHM", e.diagnostics().get(0).code());
        e = assertThrows(
                InputException.class, () -> CfsslCsr.parse("csr.json", "{\"CN\": \"x\",\n \"hosts\": [\"a\",]\n}"));
        assertEquals("JSON-SYNTAX", e.diagnostics().get(0).code());
        assertEquals(2, e.diagnostics().get(0).span().line());
    }

    @Test
    void config_profilesInheritDefaultAndUnknownUsageIsError() throws Exception {
        CfsslConfig c = CfsslConfig.parse(
                "ca-config.json",
                "{\"signing\": {\"default\": {\"expiry\": \"168h\"}, \"profiles\": {"
                        + "\"www\": {\"expiry\": \"8760h\", \"usages\": [\"signing\", \"key encipherment\", \"server auth\"]},"
                        + "\"client\": {\"usages\": [\"signing\", \"client auth\"]}}}}");
        assertEquals(Duration.ofHours(8760), c.profiles().get("www").expiry());
        assertEquals(Duration.ofHours(168), c.profiles().get("client").expiry());
        InputException e = assertThrows(
                InputException.class,
                () -> CfsslConfig.parse("c.json", "{\"signing\": {\"default\": {\"usages\": [\"server auht\"]}}}"));
        assertEquals("CFSSL-USAGE", e.diagnostics().get(0).code());
        assertEquals("did you mean 'server auth'?", e.diagnostics().get(0).hint());
    }

    @Test
    void goDuration_forms() {
        assertEquals(Duration.ofHours(8760), GoDuration.parse("8760h").orElseThrow());
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m").orElseThrow());
        assertTrue(GoDuration.parse("1y").isEmpty());
        assertTrue(GoDuration.parse("").isEmpty());
    }

    @Test
    void csr_hostOf2000Labels_locatedErrorNotStackOverflow() {
        String host = "a.".repeat(1999) + "a";
        InputException e = assertThrows(
                InputException.class,
                () -> CfsslCsr.parse("csr.json", "{\"CN\": \"x\",\n  \"hosts\": [\"" + host + "\"]}"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("CFSSL-HOST", d.code());
        assertEquals(new SourceSpan("csr.json", 2, 13), d.span());
        assertTrue(d.message().contains("longer than 253"), d::toString);
        assertTrue(d.message().length() < 200, d::toString);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.net",
                "*.example.net",
                "a-b.c",
                "xn--bcher-kva.example",
                "localhost",
                "0a.example",
                "EXAMPLE.NET"
            })
    void csr_dnsNameHost_accepted(String host) throws Exception {
        CfsslCsr c = CfsslCsr.parse("csr.json", "{\"hosts\": [\"" + host + "\"]}");
        assertEquals(List.of(host), c.dnsNames());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-a.example | starts or ends with '-'",
                "a-.example | starts or ends with '-'",
                "a..example | empty label",
                "example.   | empty label",
                "a_b.example | letters, digits and '-'",
                "*.         | empty label",
                "a.*.example | letters, digits and '-'",
                "*          | letters, digits and '-'",
                "é.example  | letters, digits and '-'",
            })
    void csr_malformedDnsName_hostErrorSaysWhy(String host, String why) {
        InputException e =
                assertThrows(InputException.class, () -> CfsslCsr.parse("csr.json", "{\"hosts\": [\"" + host + "\"]}"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("CFSSL-HOST", d.code(), d::toString);
        assertTrue(d.message().contains(why), d::toString);
    }

    @Test
    void csr_labelOf64Characters_hostError() {
        String ok = "a".repeat(63) + ".example";
        assertDoesNotThrow(() -> CfsslCsr.parse("csr.json", "{\"hosts\": [\"" + ok + "\"]}"));
        InputException e =
                assertThrows(InputException.class, () -> CfsslCsr.parse("csr.json", "{\"hosts\": [\"a" + ok + "\"]}"));
        assertTrue(e.diagnostics().get(0).message().contains("63"), e.diagnostics()::toString);
    }

    @Test
    void csr_valuesWithLineBreaks_messagesStayOnOneLine() {
        InputException e = assertThrows(
                InputException.class,
                () -> CfsslCsr.parse("csr.json", "{\"CN\": \"x\", \"ho\\nsts\": [], \"hosts\": [\"a\\r\\nb\"]}"));
        assertEquals(
                List.of(
                        "unknown field 'ho\\u000asts' in the CSR",
                        "'a\\u000d\\u000ab' is not a DNS name: labels hold only letters, digits and '-'"),
                e.diagnostics().stream().map(Diagnostic::message).toList());
        e = assertThrows(InputException.class, () -> CfsslCsr.parse("csr.json", "{\"a\\tb\": 1, \"a\\tb\": 2}"));
        assertEquals("'a\\u0009b' appears twice", e.diagnostics().get(0).message());
    }

    @Test
    void goDuration_manyParts_parsedWithoutStackOverflow() {
        assertEquals(
                Duration.ofHours(100_000),
                GoDuration.parse("1h".repeat(100_000)).orElseThrow());
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s").orElseThrow());
        assertEquals(Duration.ofNanos(1_001_000), GoDuration.parse("1ms1us").orElseThrow());
        assertTrue(GoDuration.parse("1h1").isEmpty());
        assertTrue(GoDuration.parse("h").isEmpty());
        assertTrue(GoDuration.parse("1.h").isEmpty());
        assertTrue(GoDuration.parse("-1h").isEmpty());
    }

    static Diagnostic onlyError(InputException e) {
        assertEquals(1, e.diagnostics().size(), e.diagnostics()::toString);
        return e.diagnostics().get(0);
    }

    static void assertAt(Diagnostic d, String code, String file, int line, int col) {
        assertEquals(code, d.code(), d::toString);
        assertEquals(new SourceSpan(file, line, col), d.span(), d::toString);
    }

    @Test
    void csr_neitherCnNorHosts_emptyErrorAtTheObject() {
        Diagnostic d = onlyError(assertThrows(
                InputException.class,
                () -> CfsslCsr.parse("csr.json", "{\n  \"key\": {\"algo\": \"ecdsa\", \"size\": 256}\n}\n")));
        assertAt(d, "CFSSL-EMPTY", "csr.json", 1, 1);
        assertEquals("the CSR has neither CN nor hosts", d.message());
        assertEquals("add \"CN\" and/or \"hosts\"", d.hint());
        // cfssl's client examples have "hosts": [""], which names nothing
        assertAt(
                onlyError(assertThrows(
                        InputException.class, () -> CfsslCsr.parse("csr.json", "{\"CN\": \"\", \"hosts\": [\"\"]}"))),
                "CFSSL-EMPTY",
                "csr.json",
                1,
                1);
    }

    @Test
    void config_expiryNotAGoDuration_expiryErrorAtTheValue() {
        Diagnostic d = onlyError(assertThrows(
                InputException.class,
                () -> CfsslConfig.parse("c.json", "{\"signing\": {\n  \"default\": {\"expiry\": \"1y\"}}}")));
        assertAt(d, "CFSSL-EXPIRY", "c.json", 2, 25);
        assertEquals("'1y' is not a duration", d.message());
        assertTrue(d.hint().contains("8760h"), d::toString);
    }

    @Test
    void knownButUnusedFields_ignoredWarningsAtTheKey() throws Exception {
        CfsslConfig c = CfsslConfig.parse(
                "c.json", "{\"signing\": {\"default\": {\"expiry\": \"8760h\",\n   \"ocsp_url\": \"http://x\"}}}");
        assertEquals(Duration.ofHours(8760), c.defaults().expiry());
        Diagnostic d = c.warnings().get(0);
        assertEquals(dev.stockade.report.Severity.WARNING, d.severity());
        assertAt(d, "CFSSL-IGNORED", "c.json", 2, 4);
        assertEquals("'ocsp_url' in signing.default is not used by Stockade", d.message());
        CfsslCsr csr = CfsslCsr.parse("csr.json", "{\"CN\": \"x\",\n \"ca\": {}}");
        assertAt(csr.warnings().get(0), "CFSSL-IGNORED", "csr.json", 2, 2);
    }

    @Test
    void config_withoutSigning_missingErrorAtTheTop() {
        Diagnostic d = onlyError(assertThrows(InputException.class, () -> CfsslConfig.parse("c.json", "{\n}")));
        assertAt(d, "CFSSL-MISSING", "c.json", 1, 1);
        assertEquals("the config has no \"signing\" section", d.message());
        assertTrue(d.hint().contains("\"signing\""), d::toString);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"CN\": \"x\", \"hosts\": \"a.example\"}                          | 22 | hosts must be a list, not a string",
                "{\"CN\": \"x\", \"key\": {\"algo\": \"rsa\", \"size\": \"2048\"}} | 44 | key.size must be a whole number, not a string",
                "{\"CN\": \"x\", \"names\": [\"O=x\"]}                              | 23 | a names entry must be an object, not a string",
                "{\"CN\": \"x\", \"hosts\": [5]}                                      | 23 | a host must be a string, not a number",
            })
    void csr_valueOfTheWrongKind_typeErrorAtTheValue(String json, int column, String message) {
        Diagnostic d = onlyError(assertThrows(InputException.class, () -> CfsslCsr.parse("csr.json", json)));
        assertAt(d, "CFSSL-TYPE", "csr.json", 1, column);
        assertEquals(message, d.message());
        assertTrue(!d.hint().isEmpty(), d::toString);
    }
}
