package dev.stockade.registry;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the {@code errors} array a registry sends with a failure status, as the distribution
 * spec defines it: {@code {"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}}.
 */
public record RegistryError(String code, String message) {

    /** The errors in a response body; empty when it is not such a document. */
    public static List<RegistryError> parse(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        JsonValue root;
        try {
            root = JsonReader.read("response", body);
        } catch (InputException e) {
            return List.of();
        }
        if (!(root instanceof JsonValue.JsonObject)) {
            return List.of();
        }
        JsonValue errors = ((JsonValue.JsonObject) root).members().get("errors");
        if (!(errors instanceof JsonValue.JsonArray)) {
            return List.of();
        }
        List<RegistryError> out = new ArrayList<>();
        for (JsonValue e : ((JsonValue.JsonArray) errors).items()) {
            if (e instanceof JsonValue.JsonObject) {
                JsonValue.JsonObject o = (JsonValue.JsonObject) e;
                out.add(new RegistryError(
                        text(o.members().get("code")), text(o.members().get("message"))));
            }
        }
        return out;
    }

    private static String text(JsonValue v) {
        return v instanceof JsonValue.JsonString ? Diagnostic.oneLine(((JsonValue.JsonString) v).value()) : "";
    }

    /** {@code CODE: message}, or whichever of the two is there. */
    @Override
    public String toString() {
        if (code.isEmpty()) {
            return message;
        }
        return message.isEmpty() ? code : code + ": " + message;
    }
}
