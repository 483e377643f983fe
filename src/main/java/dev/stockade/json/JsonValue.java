package dev.stockade.json;

import dev.stockade.report.SourceSpan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON value read by {@link JsonReader} that remembers where it started in its file. */
public sealed interface JsonValue {

    SourceSpan span();

    /** A word for messages: "an object", "a string"... */
    String kind();

    record JsonObject(Map<String, JsonValue> members, Map<String, SourceSpan> keySpans, SourceSpan span)
            implements JsonValue {
        public JsonObject {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
            keySpans = Map.copyOf(keySpans);
        }

        @Override
        public String kind() {
            return "an object";
        }
    }

    record JsonArray(List<JsonValue> items, SourceSpan span) implements JsonValue {
        public JsonArray {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    record JsonString(String value, SourceSpan span) implements JsonValue {
        @Override
        public String kind() {
            return "a string";
        }
    }

    /** A number kept as written, so callers decide how to read it. */
    record JsonNumber(String text, SourceSpan span) implements JsonValue {
        @Override
        public String kind() {
            return "a number";
        }
    }

    record JsonBoolean(boolean value, SourceSpan span) implements JsonValue {
        @Override
        public String kind() {
            return "true/false";
        }
    }

    record JsonNull(SourceSpan span) implements JsonValue {
        @Override
        public String kind() {
            return "null";
        }
    }
}
