package dev.stockade.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import java.util.List;

/** Assertions on validate's findings: by id, location and message. */
final class Findings {

    private Findings() {}

    /** The one finding with {@code id}, checked to be at {@code line:col} and to say {@code message}. */
    static Finding one(List<Finding> findings, String id, int line, int col, String message) {
        List<Finding> with = findings.stream().filter(f -> f.id().equals(id)).toList();
        assertEquals(1, with.size(), id + " once in " + findings);
        Finding f = with.get(0);
        assertEquals(
                line + ":" + col,
                f.span().orElseThrow().line() + ":" + f.span().orElseThrow().column(),
                f.toString());
        assertTrue(f.message().contains(message), f + " should say: " + message);
        return f;
    }

    static void none(List<Finding> findings, String id) {
        assertTrue(findings.stream().noneMatch(f -> f.id().equals(id)), id + " not expected in " + findings);
    }

    static List<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::id).toList();
    }
}
