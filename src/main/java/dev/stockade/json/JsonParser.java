package dev.stockade.json;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser that keeps the line and column of every value and key, so that
 * errors in cfssl-style request files can point at the exact place. Duplicate keys are errors.
 */
public final class JsonParser {

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private JsonParser(String file, String text) {
        this.file = file;
        this.text = text;
    }

    public static JsonValue parse(String file, String text) throws InputException {
        JsonParser p = new JsonParser(file, text);
        p.skipSpace();
        if (p.pos >= text.length()) {
            throw p.error("the file is empty", "a JSON object is expected, e.g. {\"CN\": \"example\"}");
        }
        JsonValue v = p.value(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the JSON value", "remove it, or join the values in one object");
        }
        return v;
    }

    private SourceSpan here() {
        return new SourceSpan(file, line, pos - lineStart + 1);
    }

    private InputException error(String message, String hint) {
        return new InputException(Diagnostic.error("JSON-SYNTAX", here(), message, hint));
    }

    private JsonValue value(int depth) throws InputException {
        if (depth > 64) {
            throw error("nesting is too deep", "");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of file", "check for a missing '}' or ']'");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"': {
                SourceSpan at = here();
                return new JsonValue.JsonString(string(), at);
            }
            case 't':
                return literal("true", new JsonValue.JsonBoolean(true, here()));
            case 'f':
                return literal("false", new JsonValue.JsonBoolean(false, here()));
            case 'n':
                return literal("null", new JsonValue.JsonNull(here()));
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'", "strings need double quotes; JSON has no comments");
        }
    }

    private JsonValue object(int depth) throws InputException {
        SourceSpan at = here();
        pos++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        Map<String, SourceSpan> keys = new HashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.JsonObject(members, keys, at);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error(
                        "expected a quoted key",
                        peek() == '}' ? "remove the trailing comma" : "keys need double quotes");
            }
            SourceSpan keyAt = here();
            String key = string();
            if (members.containsKey(key)) {
                throw new InputException(Diagnostic.error(
                        "JSON-DUPLICATE-KEY",
                        keyAt,
                        "'" + key + "' appears twice",
                        "keep one; JSON readers disagree on which one wins"));
            }
            skipSpace();
            expect(':');
            skipSpace();
            members.put(key, value(depth + 1));
            keys.put(key, keyAt);
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return new JsonValue.JsonObject(members, keys, at);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'", "separate members with commas");
            }
        }
    }

    private JsonValue array(int depth) throws InputException {
        SourceSpan at = here();
        pos++;
        List<JsonValue> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.JsonArray(items, at);
        }
        while (true) {
            skipSpace();
            items.add(value(depth + 1));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return new JsonValue.JsonArray(items, at);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'", "separate list items with commas");
            }
        }
    }

    private JsonValue literal(String word, JsonValue v) throws InputException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected text", "strings need double quotes");
        }
        pos += word.length();
        return v;
    }

    private JsonValue number() throws InputException {
        SourceSpan at = here();
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String n = text.substring(start, pos);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            pos = start;
            throw error("'" + n + "' is not a JSON number", "");
        }
        return new JsonValue.JsonNumber(n, at);
    }

    private String string() throws InputException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string", "add the closing '\"'");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\n' || c < 0x20) {
                pos--;
                throw error("control character or line break inside a string", "use \\n");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = pos < text.length() ? text.charAt(pos++) : 0;
            switch (e) {
                case '"':
                    sb.append('"');
                    break;
                case '\\':
                    sb.append('\\');
                    break;
                case '/':
                    sb.append('/');
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9A-Fa-f]{4}")) {
                        throw error("bad \\u escape", "");
                    }
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    pos--;
                    throw error("bad escape '\\" + e + "'", "");
            }
        }
    }

    private void expect(char c) throws InputException {
        if (peek() != c) {
            throw error("expected '" + c + "'", "");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF') {
                return;
            }
            pos++;
        }
    }
}
