package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import org.junit.jupiter.api.Test;

class IpassmtTest {

    @Test
    void parse_fffuuForms_entriesWithRanges() throws Exception {
        Ipassmt a = Ipassmt.parse(
                "a",
                "# comment\nlo = [127.0.0.0/8]\neth0 = all_but_those_ips [\n  10.0.0.0/8,\n  192.0.2.1-192.0.2.9\n]\n");
        assertEquals(2, a.entries().size());
        assertEquals(
                new Interval(0x7f000000L, 0x7fffffffL),
                a.entries().get("lo").ranges().get(0));
        assertTrue(a.entries().get("eth0").complement());
        assertEquals(
                new Interval(0xc0000201L, 0xc0000209L),
                a.entries().get("eth0").ranges().get(1));
    }

    @Test
    void parse_rangeEndingBeforeItStarts_addressErrorAtTheRange() {
        // found by fuzzing: the inverted range reached the analysis and failed there (internal error)
        InputException e = assertThrows(
                InputException.class,
                () -> Ipassmt.parse("a", "eth1 = [10.0.0.0/8]\neth2 = [10.0.0.1,\n  192.0.2.9-192.0.2.1]\n"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("IPASSMT-ADDRESS", d.code());
        assertEquals(new SourceSpan("a", 3, 3), d.span());
        assertTrue(d.message().contains("ends before it starts"), d::toString);
    }

    @Test
    void parse_badAddressAfterOthers_errorAtThatAddress() {
        InputException e =
                assertThrows(InputException.class, () -> Ipassmt.parse("a", "eth0 = [10.0.0.0/8, 10.0.0.300]"));
        assertEquals(new SourceSpan("a", 1, 21), e.diagnostics().get(0).span());
    }

    @Test
    void parse_nameSpanningLines_syntaxErrorInOneLine() {
        // found by fuzzing: an entry without '=' on its line took the next lines into the name and the
        // message, which then printed over several lines
        InputException e = assertThrows(
                InputException.class,
                () -> Ipassmt.parse("a", "eth0 = [10.0.0.0/8]\nstray words\nCaused by: lo = [1.2.3.4]\n"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("IPASSMT-SYNTAX", d.code());
        assertEquals(new SourceSpan("a", 2, 1), d.span());
        assertTrue(!d.message().contains("\n"), d::toString);
    }

    @Test
    void parse_itemsMissingAComma_addressErrorInOneLine() {
        InputException e =
                assertThrows(InputException.class, () -> Ipassmt.parse("a", "eth0 = [10.0.0.1\n  10.0.0.2]"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("IPASSMT-ADDRESS", d.code());
        assertEquals("interface eth0: '10.0.0.1\\u000a  10.0.0.2' is not an IPv4 address", d.message());
    }
}
