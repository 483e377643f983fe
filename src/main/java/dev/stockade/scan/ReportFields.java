package dev.stockade.scan;

import dev.stockade.json.JsonValue;
import dev.stockade.json.JsonValue.JsonObject;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a scan report's JSON tree that record each problem, located, and carry on, so that
 * one run names every wrong field of a report. Missing keys and wrong types are {@code GATE-TYPE};
 * {@code hint} says which format the report was taken for.
 */
final class ReportFields {

    private final String hint;
    private final List<Diagnostic> problems = new ArrayList<>();

    ReportFields(String hint) {
        this.hint = hint;
    }

    void error(String code, SourceSpan at, String message) {
        problems.add(Diagnostic.error(code, at, Diagnostic.oneLine(message), hint));
    }

    /** Throws every problem recorded so far, if any. */
    void throwIfAny() throws InputException {
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
    }

    /** {@code v} as an object, or empty (and reported) when it is something else. */
    Optional<JsonObject> object(JsonValue v, String what) {
        if (v instanceof JsonObject o) {
            return Optional.of(o);
        }
        error("GATE-TYPE", v.span(), what + " must be an object, not " + v.kind());
        return Optional.empty();
    }

    /** The items of the list at {@code key}; none when the key is missing or null (scanners omit empty lists). */
    List<JsonValue> list(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return List.of();
        }
        if (v instanceof JsonValue.JsonArray a) {
            return a.items();
        }
        error("GATE-TYPE", v.span(), "\"" + key + "\" must be a list, not " + v.kind());
        return List.of();
    }

    /** The members of the object at {@code key}; none when the key is missing or null. */
    Map<String, JsonValue> map(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return Map.of();
        }
        return object(v, "\"" + key + "\"").map(JsonObject::members).orElse(Map.of());
    }

    /** A required string: reported when missing, null or not a string. */
    Optional<String> required(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        if (v == null || v instanceof JsonValue.JsonNull) {
            error("GATE-TYPE", o.span(), "this object needs \"" + key + "\"");
            return Optional.empty();
        }
        return string(v, key);
    }

    /** An optional string: empty text when missing or null, reported when not a string. */
    String optional(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return "";
        }
        return string(v, key).orElse("");
    }

    private Optional<String> string(JsonValue v, String key) {
        if (v instanceof JsonValue.JsonString s) {
            return Optional.of(s.value());
        }
        error("GATE-TYPE", v.span(), "\"" + key + "\" must be a string, not " + v.kind());
        return Optional.empty();
    }

    /** A required severity name; an unknown one is {@code GATE-VALUE}. */
    Optional<ScanSeverity> severity(JsonObject o, String key, String known) {
        Optional<String> text = required(o, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<ScanSeverity> s = ScanSeverity.parse(text.get());
        if (s.isEmpty()) {
            error(
                    "GATE-VALUE",
                    o.members().get(key).span(),
                    "unknown severity '" + text.get() + "' in \"" + key + "\"; one of: " + known);
        }
        return s;
    }
}
