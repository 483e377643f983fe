package dev.stockade.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jackson's parse errors, as a user reads them: what is wrong at the position, and how to fix it. */
class JsonSyntaxMessageTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"CN\": \"x\",}           | expected a quoted key, found '}'           | remove the trailing comma",
                "{\"CN\": \"x\"             | unexpected end of file                      | check for a missing '}' or ']'",
                "{\"CN\": \"x               | unterminated string                         | add the closing '\"'",
                "{\"a\": [1,]}              | expected a value before ']'                 | remove the trailing comma, or add the value",
                "{\"a\" 1}                  | expected ':' after the key, found '1'       | write \"key\": value",
                "{\"a\": 1 \"b\": 2}        | expected ',' or '}', found '\"'             | separate members with commas",
                "{\"a\": TRUE}              | unexpected text 'TRUE'                      | strings and keys need double quotes; true, false and null are lower case",
                "{\"a\": 01}                | not a JSON number                           | write numbers like 256, -1 or 1.5e3 (no leading zeros or '+')",
                "]                          | unexpected ']' with nothing open to close   | remove it",
            })
    void explain_throughTheReader(String json, String message, String hint) {
        InputException e = assertThrows(InputException.class, () -> JsonReader.read("c.json", json));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(message, d.message());
        assertEquals(hint, d.hint());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Unexpected end-of-input: was expecting closing quote for a string value | unterminated string",
                "Unexpected character ('}' (code 125)): was expecting double-quote to start field name | expected a quoted key, found '}'",
            })
    void explain_jacksonMessages(String jackson, String message) {
        assertEquals(message, JsonSyntaxMessage.explain(jackson, '}').message());
    }

    @org.junit.jupiter.api.Test
    void explain_unknownJacksonMessage_firstLineWithoutHint() {
        JsonSyntaxMessage m = JsonSyntaxMessage.explain("Something new from a later Jackson\n at [Source: x]", 'x');
        assertEquals("Something new from a later Jackson", m.message());
        assertEquals("", m.hint());
    }

    @ParameterizedTest
    @CsvSource({"Non-standard token 'NaN', true", "Unexpected end-of-input, false"})
    void aboutNumber(String jackson, boolean number) {
        assertEquals(number, JsonSyntaxMessage.explain(jackson, 'N').aboutNumber());
    }

    @ParameterizedTest
    @CsvSource({"1, \\u0001", "127, \\u007f", "65279, \\ufeff"})
    void explain_invisibleCharacterShownAsEscape(int c, String shown) {
        String m = JsonSyntaxMessage.explain(
                        "Unexpected character: was expecting double-quote to start field name", (char) c)
                .message();
        assertEquals("expected a quoted key, found '" + shown + "'", m);
        assertFalse(m.chars().anyMatch(Character::isISOControl));
        assertTrue(JsonSyntaxMessage.explain("Unexpected end-of-input", (char) 0)
                .message()
                .contains("end of file"));
    }
}
