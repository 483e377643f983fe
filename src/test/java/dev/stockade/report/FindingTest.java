package dev.stockade.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingTest {

    @Test
    void toString_withSpan_compilerStyleLocation() {
        Finding f = new Finding(
                "FW-SHADOWED",
                Severity.WARNING,
                "a.rules: chain INPUT",
                Optional.of(new SourceSpan("a.rules", 8, 1)),
                "never matches",
                "remove it");
        assertEquals("a.rules:8:1: warning: never matches [FW-SHADOWED]", f.toString());
    }

    @Test
    void toString_withoutSpan_namesSubject() {
        Finding f = new Finding("PKI-MISSING", Severity.ERROR, "pki/demo/core-1.pem", "missing", "");
        assertEquals(Optional.empty(), f.span());
        assertEquals("pki/demo/core-1.pem: error: missing [PKI-MISSING]", f.toString());
    }

    @Test
    void constructor_nullSpan_rejected() {
        assertThrows(NullPointerException.class, () -> new Finding("X", Severity.NOTE, "s", null, "message", "hint"));
    }
}
