package dev.stockade.pki.cfssl;

import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of cfssl JSON with collected diagnostics. Keys cfssl knows but Stockade does not use
 * are warnings; keys nobody knows are errors with a "did you mean" (cfssl itself silently ignores
 * them, which hides typos such as {@code "host"} for {@code "hosts"}).
 */
final class JsonFields {

    final List<Diagnostic> problems = new ArrayList<>();

    Map<String, JsonValue> object(JsonValue v, String what, Set<String> used, Set<String> ignored) {
        if (!(v instanceof JsonValue.JsonObject)) {
            add(Diagnostic.error(
                    "CFSSL-TYPE",
                    v.span(),
                    what + " must be an object, not " + v.kind(),
                    "write it as {\"name\": value, ...}"));
            return Map.of();
        }
        JsonValue.JsonObject o = (JsonValue.JsonObject) v;
        for (String key : o.members().keySet()) {
            SourceSpan at = o.keySpans().get(key);
            if (ignored.contains(key)) {
                add(Diagnostic.warning(
                        "CFSSL-IGNORED",
                        at,
                        "'" + key + "' in " + what + " is not used by Stockade",
                        "it is accepted for compatibility and has no effect"));
            } else if (!used.contains(key)) {
                List<String> known = new ArrayList<>(used);
                add(Diagnostic.error(
                        "CFSSL-UNKNOWN-FIELD",
                        at,
                        "unknown field '" + key + "' in " + what,
                        dev.stockade.report.Suggestions.closest(key, known)
                                .map(c -> "did you mean '" + c + "'?")
                                .orElse("known fields: " + String.join(", ", used))));
            }
        }
        return o.members();
    }

    Optional<String> string(JsonValue v, String what) {
        if (v instanceof JsonValue.JsonString) {
            return Optional.of(((JsonValue.JsonString) v).value());
        }
        add(Diagnostic.error(
                "CFSSL-TYPE", v.span(), what + " must be a string, not " + v.kind(), "put it in double quotes"));
        return Optional.empty();
    }

    Optional<Integer> integer(JsonValue v, String what) {
        if (v instanceof JsonValue.JsonNumber
                && ((JsonValue.JsonNumber) v).text().matches("-?[0-9]{1,9}")) {
            return Optional.of(Integer.parseInt(((JsonValue.JsonNumber) v).text()));
        }
        add(Diagnostic.error(
                "CFSSL-TYPE",
                v.span(),
                what + " must be a whole number, not " + v.kind(),
                "write the number without quotes, e.g. 256"));
        return Optional.empty();
    }

    List<JsonValue> array(JsonValue v, String what) {
        if (v instanceof JsonValue.JsonArray) {
            return ((JsonValue.JsonArray) v).items();
        }
        add(Diagnostic.error(
                "CFSSL-TYPE", v.span(), what + " must be a list, not " + v.kind(), "write [\"a\", \"b\"]"));
        return List.of();
    }

    void error(SourceSpan at, String code, String message, String hint) {
        add(Diagnostic.error(code, at, message, hint));
    }

    /** Every problem goes through here, so quoted file text cannot break a message over lines. */
    private void add(Diagnostic d) {
        problems.add(new Diagnostic(
                d.severity(), d.code(), d.span(), Diagnostic.oneLine(d.message()), Diagnostic.oneLine(d.hint())));
    }

    boolean hasErrors() {
        return problems.stream().anyMatch(d -> d.severity() == dev.stockade.report.Severity.ERROR);
    }
}
