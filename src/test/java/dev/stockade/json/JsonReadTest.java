package dev.stockade.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonReadTest {

    static final JsonRead READ = new JsonRead("X-FILE", "restore it");

    static JsonValue.JsonObject root(String text) throws InputException {
        return READ.object(JsonReader.read("f.json", text));
    }

    static Diagnostic error(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(InputException.class, e).diagnostics().get(0);
    }

    @Test
    void typedReads_valuesAndNull() throws Exception {
        JsonValue.JsonObject o = root("{\"n\": 12, \"s\": \"x\", \"z\": null, \"l\": [1]}");
        assertEquals(BigInteger.valueOf(12), READ.wholeNumber(READ.member(o, "n", o.span())));
        assertEquals(Optional.of("x"), READ.nullableString(READ.member(o, "s", o.span())));
        assertEquals(Optional.empty(), READ.nullableString(READ.member(o, "z", o.span())));
        assertEquals(1, READ.array(READ.member(o, "l", o.span())).size());
    }

    @Test
    void problems_locatedWithTheFilesCodeAndHint() throws Exception {
        JsonValue.JsonObject o = root("{\n  \"n\": -1,\n  \"s\": 2.5\n}");
        Diagnostic negative = error(() -> READ.wholeNumber(READ.member(o, "n", o.span())));
        assertEquals("f.json:2:8: error: expected a whole number, not a number [X-FILE]", negative.toString());
        assertEquals("restore it", negative.hint());
        Diagnostic notString = error(() -> READ.string(READ.member(o, "s", o.span())));
        assertEquals("f.json:3:8: error: expected a string, not a number [X-FILE]", notString.toString());
        Diagnostic missing = error(() -> READ.member(o, "q", o.span()));
        assertEquals("f.json:1:1: error: missing \"q\" [X-FILE]", missing.toString());
        Diagnostic notList = error(() -> READ.array(READ.member(o, "n", o.span())));
        assertEquals("expected a list, not a number", notList.message());
        Diagnostic notObject = error(() -> READ.object(READ.member(o, "s", o.span())));
        assertEquals("expected an object, not a number", notObject.message());
    }
}
