package dev.stockade.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {

    static Diagnostic error(String text) {
        InputException e = assertThrows(InputException.class, () -> JsonReader.read("f.json", text));
        assertEquals(1, e.diagnostics().size(), e.diagnostics()::toString);
        return e.diagnostics().get(0);
    }

    static void assertAt(Diagnostic d, String code, int line, int column) {
        assertEquals(code, d.code(), d::toString);
        assertEquals(new SourceSpan("f.json", line, column), d.span(), d::toString);
    }

    @Test
    void read_objectWithNesting_keepsPositionsOfValuesAndKeys() throws Exception {
        JsonValue v = JsonReader.read("f.json", "{\n  \"CN\": \"x\",\n  \"hosts\": [\"a\", 1.5e3, true, null]\n}\n");
        JsonValue.JsonObject o = assertInstanceOf(JsonValue.JsonObject.class, v);
        assertEquals(List.of("CN", "hosts"), List.copyOf(o.members().keySet()));
        assertEquals(new SourceSpan("f.json", 3, 3), o.keySpans().get("hosts"));
        JsonValue.JsonArray hosts =
                assertInstanceOf(JsonValue.JsonArray.class, o.members().get("hosts"));
        assertEquals(new SourceSpan("f.json", 3, 12), hosts.span());
        assertEquals(
                "1.5e3",
                assertInstanceOf(JsonValue.JsonNumber.class, hosts.items().get(1))
                        .text());
        assertEquals(new SourceSpan("f.json", 3, 25), hosts.items().get(2).span());
        assertInstanceOf(JsonValue.JsonNull.class, hosts.items().get(3));
    }

    @Test
    void read_duplicateKey_errorAtSecondKey() {
        assertAt(error("{\"a\": 1, \"a\": 2}"), "JSON-DUPLICATE-KEY", 1, 10);
        Diagnostic d = error("{\n  \"CN\": \"x\",\n  \"CN\": \"y\"\n}");
        assertAt(d, "JSON-DUPLICATE-KEY", 3, 3);
        assertEquals("'CN' appears twice", d.message());
    }

    @Test
    void read_duplicateKeyAfterNestedValueAndCrlf_errorAtSecondKey() {
        assertAt(error("{\"a\": {\"b\": [1, 2]} ,\r\n\t\"a\": 3}"), "JSON-DUPLICATE-KEY", 2, 2);
        assertAt(error("{\"x\": {\"b\": \"s\\\"\", \"b\": 2}}"), "JSON-DUPLICATE-KEY", 1, 20);
    }

    @Test
    void read_sameKeyInSiblingObjects_accepted() throws Exception {
        JsonValue v = JsonReader.read("f.json", "[{\"a\": 1}, {\"a\": 2}]");
        assertEquals(2, assertInstanceOf(JsonValue.JsonArray.class, v).items().size());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"a\": 1,}              | 1 | 9  | expected a quoted key      | remove the trailing comma",
                "{\"h\": [\"a\",]}        | 1 | 12 | expected a value before ']' | remove the trailing comma",
                "{a: 1}                   | 1 | 2  | expected a quoted key      | keys need double quotes",
                "{\"a\": tru}             | 1 | 7  | unexpected text 'tru'      | true, false and null",
                "{\"a\": 01}              | 1 | 7  | not a JSON number          | no leading zeros",
                "{\"a\": -}               | 1 | 7  | not a JSON number          | write numbers",
                "{\"a\": +1}              | 1 | 7  | not a JSON number          | write numbers",
                "{\"a\": NaN}             | 1 | 7  | not a JSON number          | write numbers",
                "{\"a\": \"\\x\"}         | 1 | 9  | bad escape                 | \\uXXXX",
                "{\"a\": \"\\u12\"}       | 1 | 12 | bad \\u escape             | four hex digits",
                "{\"a\" 1}                | 1 | 6  | expected ':'               | \"key\": value",
                "{\"a\": 1 \"b\": 2}      | 1 | 9  | expected ',' or '}'        | commas",
                "[1 2]                    | 1 | 4  | expected ',' or ']'        | commas",
                "{\"a\": [                | 1 | 8  | unexpected end of file     | missing '}'",
                "{\"a\": \"abc            | 1 | 11 | unterminated string        | closing",
                "// note\\n{}             | 1 | 1  | unexpected '/'             | no comments",
                "{\"a\": 'x'}             | 1 | 7  | unexpected character '''   | double quotes",
                "{\"a\": 1}]              | 1 | 9  | unexpected text after      | remove it",
                "{\"a\": 1} {}            | 1 | 10 | unexpected text after      | one object",
                "{\"a\": 1} x             | 1 | 10 | unexpected text after      | one object",
                "``                       | 1 | 1  | the file is empty          | a JSON object is expected",
                "{\"k\": \"\\ud800\"}     | 1 | 7  | half of a surrogate pair   | as a pair",
            })
    void read_malformed_locatedSyntaxErrorWithHint(String text, int line, int column, String message, String hint) {
        Diagnostic d = error(text.replace("\\n", "\n"));
        assertAt(d, "JSON-SYNTAX", line, column);
        assertTrue(d.message().contains(message), () -> d + " should say " + message);
        assertTrue(d.hint().contains(hint), () -> d.hint() + " should say " + hint);
    }

    @Test
    void read_nextLineCharacterAlone_syntaxErrorNamesIt() {
        Diagnostic d = error("\u0085{}");
        assertAt(d, "JSON-SYNTAX", 1, 1);
        assertEquals("unexpected character '\\u0085'", d.message());
    }

    @Test
    void read_lineBreakInString_errorAtTheBreak() {
        assertAt(error("{\n \"a\": \"x\ny\"}"), "JSON-SYNTAX", 2, 9);
    }

    @Test
    void read_byteOrderMark_ignoredAndColumnsAsEditorsShow() throws Exception {
        assertInstanceOf(JsonValue.JsonObject.class, JsonReader.read("f.json", "\uFEFF{\"a\": 1}"));
        assertAt(error("\uFEFF{\"a\": 1,}"), "JSON-SYNTAX", 1, 9);
    }

    @Test
    void read_deepNesting_locatedErrorNotStackOverflow() {
        Diagnostic d = error("[".repeat(100_000) + "]".repeat(100_000));
        assertAt(d, "JSON-SYNTAX", 1, JsonReader.MAX_DEPTH + 2);
        assertTrue(d.message().contains("nesting is too deep"), d::toString);
        assertInstanceOf(
                JsonValue.JsonArray.class, assertDoesNotThrowInput("[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(64)));
    }

    @Test
    void read_hugeString_limitError() {
        Diagnostic d = error("{\"CN\": \"" + "x".repeat((1 << 20) + 1) + "\"}");
        assertEquals("JSON-SYNTAX", d.code());
        assertTrue(d.message().contains("too long"), d::toString);
    }

    private static JsonValue assertDoesNotThrowInput(String text) {
        try {
            return JsonReader.read("f.json", text);
        } catch (InputException e) {
            throw new AssertionError(e.diagnostics().toString(), e);
        }
    }
}
