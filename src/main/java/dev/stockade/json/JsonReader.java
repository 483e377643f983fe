package dev.stockade.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cfssl JSON file into a {@link JsonValue} tree that keeps the line and column of every value
 * and key, so errors can point at the exact place.
 *
 * <p>Tokens come from jackson-core's streaming parser, strict RFC 8259: no comments, single quotes,
 * trailing commas or leading zeros, and a repeated key is an error ({@link
 * StreamReadFeature#STRICT_DUPLICATE_DETECTION}) because JSON readers disagree on which copy wins.
 * The tree is built with an explicit stack, never by recursion, and {@link StreamReadConstraints}
 * bound nesting and value sizes. jackson's messages are turned into short ones with a hint, all
 * under the stable code {@code JSON-SYNTAX} (or {@code JSON-DUPLICATE-KEY}).
 */
public final class JsonReader {

    /** cfssl files nest three levels deep; anything near this is not a cfssl file. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1 << 20)
                    .maxNameLength(1 << 16)
                    .maxNumberLength(1000)
                    .build())
            .build();

    /** An object or array whose closing token has not been read yet. */
    private static final class Open {
        final SourceSpan span;
        final Map<String, JsonValue> members; // null for an array
        final Map<String, SourceSpan> keySpans = new HashMap<>();
        final List<JsonValue> items = new ArrayList<>();
        String key;
        SourceSpan keySpan;

        Open(SourceSpan span, boolean object) {
            this.span = span;
            this.members = object ? new LinkedHashMap<>() : null;
        }

        JsonValue close() {
            return members != null
                    ? new JsonValue.JsonObject(members, keySpans, span)
                    : new JsonValue.JsonArray(items, span);
        }
    }

    private final String file;
    private final String text;
    /** Whether the text has a {@code \\u} escape at all: only through one can half a surrogate pair appear. */
    private final boolean escapes;

    private final Deque<Open> open = new ArrayDeque<>();
    private JsonValue root;
    /** Where the parser stood after the last complete token: the search start for a repeated key. */
    private JsonLocation afterLast;

    private JsonReader(String file, String text) {
        this.file = file;
        this.text = text;
        this.escapes = text.contains("\\u");
    }

    /** The single JSON value in {@code text}; a leading byte order mark is ignored. */
    public static JsonValue read(String file, String text) throws InputException {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new JsonReader(file, body).run();
    }

    private JsonValue run() throws InputException {
        try (JsonParser p = FACTORY.createParser(text)) {
            afterLast = p.currentLocation();
            try {
                return parse(p);
            } catch (StreamConstraintsException e) {
                throw limit(p, e);
            } catch (JsonProcessingException e) {
                throw problem(p, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e);
        }
    }

    /** jackson reads strings lazily, so a syntax error may surface in {@link #accept} as well as in nextToken. */
    private JsonValue parse(JsonParser p) throws IOException, InputException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error(
                    span(p.currentLocation()),
                    "the file is empty",
                    "a JSON object is expected, e.g. {\"CN\": \"example\"}");
        }
        while (root == null) {
            if (t == null) {
                throw error(span(p.currentLocation()), "unexpected end of file", "check for a missing '}' or ']'");
            }
            accept(p, t);
            afterLast = p.currentLocation();
            if (root == null) {
                t = p.nextToken();
            }
        }
        if (p.nextToken() != null) {
            throw trailing(span(p.currentTokenLocation()));
        }
        return root;
    }

    private InputException problem(JsonParser p, JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (root != null) {
            return trailing(span(e.getLocation() != null ? e.getLocation() : p.currentLocation()));
        }
        if (m.startsWith("Duplicate field") && open.peek() != null && open.peek().members != null) {
            return duplicate(m);
        }
        return syntax(p, e);
    }

    private void accept(JsonParser p, JsonToken t) throws IOException, InputException {
        SourceSpan at = span(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> open.push(new Open(at, true));
            case START_ARRAY -> open.push(new Open(at, false));
            case END_OBJECT, END_ARRAY -> add(open.pop().close());
            case FIELD_NAME -> {
                Open o = open.element();
                o.key = checked(p.currentName(), at);
                o.keySpan = at;
            }
            case VALUE_STRING -> add(new JsonValue.JsonString(checked(p.getText(), at), at));
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> add(new JsonValue.JsonNumber(p.getText(), at));
            case VALUE_TRUE -> add(new JsonValue.JsonBoolean(true, at));
            case VALUE_FALSE -> add(new JsonValue.JsonBoolean(false, at));
            case VALUE_NULL -> add(new JsonValue.JsonNull(at));
            default -> throw error(at, "unexpected " + t, "");
        }
    }

    private void add(JsonValue v) {
        Open parent = open.peek();
        if (parent == null) {
            root = v;
        } else if (parent.members != null) {
            parent.members.put(parent.key, v);
            parent.keySpans.put(parent.key, parent.keySpan);
        } else {
            parent.items.add(v);
        }
    }

    private InputException trailing(SourceSpan at) {
        return error(at, "unexpected text after the JSON value", "remove it, or join the values in one object");
    }

    /**
     * A string may hold half of a surrogate pair through a {@code \\u} escape; such text cannot be
     * encoded (in a certificate, or anywhere else), so it is refused here.
     */
    private String checked(String s, SourceSpan at) throws InputException {
        if (!escapes) {
            return s; // decoded text holds whole characters only (TextFiles refuses malformed UTF-8)
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(
                        at,
                        "a \\u escape in this string is half of a surrogate pair",
                        "escape a character beyond U+FFFF as a pair (e.g. \\ud83d\\ude00) or write it as UTF-8");
            }
        }
        return s;
    }

    private InputException duplicate(String message) {
        int q = message.indexOf('\'');
        String key =
                q >= 0 && message.lastIndexOf('\'') > q ? message.substring(q + 1, message.lastIndexOf('\'')) : "a key";
        return new InputException(Diagnostic.error(
                "JSON-DUPLICATE-KEY",
                nextKeyStart(),
                Diagnostic.oneLine("'" + key + "' appears twice"),
                "keep one; JSON readers disagree on which one wins"));
    }

    /** The opening quote of the key after the last complete token: only spaces and one ',' lie between. */
    private SourceSpan nextKeyStart() {
        int line = afterLast.getLineNr();
        int col = afterLast.getColumnNr();
        int i = (int) afterLast.getCharOffset();
        while (i < text.length() && text.charAt(i) != '"') {
            char c = text.charAt(i++);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i < text.length() && text.charAt(i) == '\n') {
                    i++;
                }
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SourceSpan(file, line, col);
    }

    private InputException limit(JsonParser p, StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return error(
                    span(p.currentLocation()),
                    "nesting is too deep (more than " + MAX_DEPTH + " levels)",
                    "a cfssl file nests objects and lists only a few levels deep");
        }
        return error(span(p.currentLocation()), "a value is too long", "is this the right file?");
    }

    private InputException syntax(JsonParser p, JsonProcessingException e) {
        JsonLocation loc = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        String m = String.valueOf(e.getOriginalMessage());
        long offset = loc.getCharOffset();
        char c = offset >= 0 && offset < text.length() ? text.charAt((int) offset) : 0;
        JsonSyntaxMessage said = JsonSyntaxMessage.explain(m, c);
        SourceSpan at = span(loc);
        if (said.aboutNumber()) {
            // jackson stops inside or after the number; point at its first character instead
            int back = 0;
            while (offset - back - 1 >= 0 && numberChar(text.charAt((int) (offset - back - 1)))) {
                back++;
            }
            at = new SourceSpan(file, at.line(), Math.max(1, at.column() - back));
        }
        return error(at, said.message(), said.hint());
    }

    /** Characters of a number as written, including the words jackson names (NaN, Infinity). */
    private static boolean numberChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || "+-.".indexOf(c) >= 0;
    }

    private SourceSpan span(JsonLocation loc) {
        return new SourceSpan(file, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private InputException error(SourceSpan at, String message, String hint) {
        return new InputException(Diagnostic.error("JSON-SYNTAX", at, Diagnostic.oneLine(message), hint));
    }
}
