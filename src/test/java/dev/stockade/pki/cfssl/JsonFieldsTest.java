package dev.stockade.pki.cfssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private final JsonFields f = new JsonFields();

    private static JsonValue json(String text) throws Exception {
        return JsonReader.read("csr.json", text);
    }

    private List<String> codes() {
        return f.problems.stream().map(Diagnostic::code).toList();
    }

    @Test
    void object_ignoredKeyWarnedUnknownKeyErrorWithSuggestion() throws Exception {
        JsonValue v = json("{\"CN\": \"x\", \"host\": [], \"ca\": {}}");
        assertEquals(
                3,
                f.object(v, "the CSR", Set.of("CN", "hosts", "key"), Set.of("ca"))
                        .size());
        assertEquals(List.of("CFSSL-UNKNOWN-FIELD", "CFSSL-IGNORED"), codes());
        Diagnostic unknown = f.problems.get(0);
        assertEquals("did you mean 'hosts'?", unknown.hint());
        assertEquals(1, unknown.span().line());
        assertEquals(13, unknown.span().column());
        assertTrue(f.hasErrors());
    }

    @Test
    void typedReads_wrongKinds_typeErrors() throws Exception {
        assertEquals(Optional.of("a"), f.string(json("\"a\""), "CN"));
        assertEquals(Optional.of(2048), f.integer(json("2048"), "size"));
        assertEquals(2, f.array(json("[1, 2]"), "hosts").size());
        assertFalse(f.hasErrors());
        assertEquals(Optional.empty(), f.string(json("5"), "CN"));
        assertEquals(Optional.empty(), f.integer(json("1.5"), "size"));
        assertEquals(Optional.empty(), f.integer(json("12345678901"), "size"));
        assertEquals(List.of(), f.array(json("\"a\""), "hosts"));
        assertEquals(java.util.Map.of(), f.object(json("[]"), "the CSR", Set.of(), Set.of()));
        assertEquals(5, f.problems.size());
        assertTrue(f.problems.stream().allMatch(d -> d.code().equals("CFSSL-TYPE")));
    }

    @Test
    void messages_controlCharactersFromTheFileStayOnOneLine() throws Exception {
        f.object(json("{\"a\\nb\": 1}"), "the CSR", Set.of("x"), Set.of());
        assertEquals("unknown field 'a\\u000ab' in the CSR", f.problems.get(0).message());
        assertEquals("tab\\u0009end\\u2028", Diagnostic.oneLine("tab\tend\u2028"));
    }
}
