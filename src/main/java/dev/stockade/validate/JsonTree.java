package dev.stockade.validate;

import dev.stockade.json.JsonValue;
import java.util.List;
import java.util.Optional;

/** Lenient reads of a {@link JsonValue} tree: a value of the wrong type reads as absent (the key-tree walk reports it). */
final class JsonTree {

    private JsonTree() {}

    static Optional<JsonValue> member(JsonValue.JsonObject o, String key) {
        return Optional.ofNullable(o.members().get(key));
    }

    static Optional<JsonValue.JsonObject> object(JsonValue.JsonObject o, String key) {
        return member(o, key).filter(JsonValue.JsonObject.class::isInstance).map(JsonValue.JsonObject.class::cast);
    }

    static List<JsonValue> list(JsonValue.JsonObject o, String key) {
        return member(o, key)
                .filter(JsonValue.JsonArray.class::isInstance)
                .map(a -> ((JsonValue.JsonArray) a).items())
                .orElse(List.of());
    }

    static List<JsonValue.JsonObject> objects(JsonValue.JsonObject o, String key) {
        return list(o, key).stream()
                .filter(JsonValue.JsonObject.class::isInstance)
                .map(JsonValue.JsonObject.class::cast)
                .toList();
    }

    static Optional<String> string(JsonValue.JsonObject o, String key) {
        return member(o, key).flatMap(JsonTree::text);
    }

    static Optional<String> text(JsonValue v) {
        return v instanceof JsonValue.JsonString s ? Optional.of(s.value()) : Optional.empty();
    }
}
