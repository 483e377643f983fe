package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpassmtTest {

    @Test
    void parse_prefixesRangesAndComplement_intervals() throws Exception {
        Ipassmt a = Ipassmt.parse(
                "a.txt", "eth0 = [10.0.0.0/8, 192.0.2.1-192.0.2.9]\neth1 = all_but_those_ips [10.0.0.0/8]\n");
        assertEquals(
                List.of(new Interval(0x0A000000L, 0x0AFFFFFFL), new Interval(0xC0000201L, 0xC0000209L)),
                a.entries().get("eth0").ranges());
        assertTrue(a.entries().get("eth1").complement());
        assertFalse(a.disjoint()); // eth1 holds 192.0.2.1-9 as well
    }

    @Test
    void parse_rangeEndingBeforeItStarts_locatedError() {
        InputException e = assertThrows(
                InputException.class, () -> Ipassmt.parse("a.txt", "lo = [127.0.0.0/8]\neth0 = [10.0.0.9-10.0.0.1]\n"));
        assertEquals("IPASSMT-ADDRESS", e.diagnostics().get(0).code());
        assertEquals(2, e.diagnostics().get(0).span().line());
        assertTrue(e.diagnostics().get(0).message().contains("ends before it starts"), e.getMessage());
    }
}
