package dev.stockade.pki.cfssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.KeySpec;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
