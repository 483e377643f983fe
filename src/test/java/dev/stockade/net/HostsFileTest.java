package dev.stockade.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostsFileTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = HostsFileTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parse_namesAliasesCommentsBothFamilies() throws Exception {
        HostsFile h = HostsFile.parse("hosts", fixture("hosts"));
        assertEquals(
                List.of(Prefix.parse("192.0.2.123"), Prefix.parse("2001:db8::123")), h.addresses("ntp.example.net"));
        assertEquals(List.of(Prefix.parse("192.0.2.123")), h.addresses("ntp"));
        assertEquals(List.of(Prefix.parse("2001:db8::123")), h.addresses("ntp.example.net", IpFamily.V6));
        assertEquals(
                List.of(Prefix.parse("198.51.100.7"), Prefix.parse("198.51.100.8")),
                h.addresses("MIRROR.example.net."),
                "case-insensitive, trailing dot, merged over lines");
        assertEquals(List.of(Prefix.parse("127.0.0.1"), Prefix.parse("::1")), h.addresses("localhost"));
        assertEquals(List.of(), h.addresses("other.example.net"));
        assertEquals(0, HostsFile.empty().size());
    }

    @Test
    void parse_malformedLines_allLocated() {
        String text = String.join(
                "\n",
                "192.0.2.1 good.example",
                "192.0.2.300 bad-address.example",
                "192.0.2.0/24 prefix.example",
                "  192.0.2.2   # no name, only a comment",
                "192.0.2.3 good.example bad!alias",
                "not-an-address name.example",
                "");
        InputException e = assertThrows(InputException.class, () -> HostsFile.parse("hosts", text));
        assertEquals(
                List.of("2:1", "3:1", "4:3", "5:24", "6:1"),
                e.diagnostics().stream()
                        .map(d -> d.span().line() + ":" + d.span().column())
                        .toList(),
                e.diagnostics().toString());
        assertTrue(e.diagnostics().stream().allMatch(d -> d.code().equals("HOSTS-SYNTAX")));
        assertTrue(e.diagnostics().get(0).hint().contains("ADDRESS NAME"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"ntp.example.net", "localhost", "a", "x-1.example", "_srv.example", "example.net.", "1e100.net"})
    void isHostName_valid(String name) {
        assertTrue(HostsFile.isHostName(name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "10.0.0.300", "1.2.3", "-x.example", "a..b", "bad!name", "a b", "2001:db8::1", "x/24", "."})
    void isHostName_invalid(String name) {
        assertFalse(HostsFile.isHostName(name));
    }

    @Test
    void isHostName_lengthLimits() {
        assertTrue(HostsFile.isHostName("a".repeat(63) + ".example"));
        assertFalse(HostsFile.isHostName("a".repeat(64) + ".example"));
        assertFalse(HostsFile.isHostName("a.".repeat(127) + "ab"));
    }
}
