package dev.stockade.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void object_prettyTwoSpacesColonSpaceFinalNewline() {
        String text = Json.object(g -> {
            g.writeStringField("name", "core-1");
            g.writeArrayFieldStart("ports");
            g.writeNumber(22);
            g.writeNumber(443);
            g.writeEndArray();
            g.writeArrayFieldStart("none");
            g.writeEndArray();
            g.writeObjectFieldStart("empty");
            g.writeEndObject();
        });
        assertEquals(
                "{\n  \"name\": \"core-1\",\n  \"ports\": [\n    22,\n    443\n  ],\n  \"none\": [],\n"
                        + "  \"empty\": {}\n}\n",
                text);
    }

    @Test
    void line_oneObjectPerLine() {
        StringWriter w = new StringWriter();
        Json.line(w, g -> g.writeBooleanField("ok", true));
        Json.line(w, g -> g.writeNumberField("n", 2));
        assertEquals("{\"ok\":true}\n{\"n\":2}\n", w.toString());
    }

    @Test
    void quote_escapesControlsDelC1AndLineSeparators() throws Exception {
        String nasty = "a\"b\\c\n\t\u001b[31m\u007f\u0085\u2028\u2029é";
        String q = Json.quote(nasty);
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u001B[31m\\u007F\\u0085\\u2028\\u2029é\"", q);
        try (JsonParser p = new JsonFactory().createParser(q)) {
            assertEquals(JsonToken.VALUE_STRING, p.nextToken());
            assertEquals(nasty, p.getText(), "the escapes read back as the original text");
        }
    }
}
