package dev.stockade.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void throwErrors_onlyWarnings_doesNotThrow() throws Exception {
        Problems p = new Problems("f.rules");
        p.warn(p.at(2, 1), "IPT-A", "w", "");
        assertFalse(p.hasErrors());
        p.throwErrors();
        assertEquals(1, p.all().size());
        assertEquals("f.rules:2:1", p.all().get(0).span().toString());
    }

    @Test
    void throwErrors_errorsInOrderFound_warningsLeftOut() {
        Problems p = new Problems("f.rules");
        p.error(p.at(7, 3), "IPT-X", "second", "h");
        p.warn(p.at(1, 1), "IPT-W", "warning", "");
        p.error(p.at(4, 9), "IPT-Y", "third", "h");
        assertTrue(p.hasErrors());
        InputException e = assertThrows(InputException.class, p::throwErrors);
        assertEquals(
                java.util.List.of("IPT-X", "IPT-Y"),
                e.diagnostics().stream().map(Diagnostic::code).toList());
        assertTrue(e.diagnostics().stream().allMatch(d -> d.severity() == Severity.ERROR));
        assertEquals(3, p.all().size(), "all() keeps the warnings");
    }

    @Test
    void all_isACopy() {
        Problems p = new Problems("f");
        p.warn(p.at(1, 1), "IPT-W", "w", "");
        assertThrows(UnsupportedOperationException.class, () -> p.all().clear());
        p.warn(p.at(2, 1), "IPT-W", "w", "");
        assertEquals(2, p.all().size());
    }
}
