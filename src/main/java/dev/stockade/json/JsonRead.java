package dev.stockade.json;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of a {@link JsonReader} tree for files Stockade writes itself (the PKI's {@code
 * revoked.json}, the build state): the first problem stops the read, located, under the file's
 * {@code code} and with its {@code hint}.
 */
public record JsonRead(String code, String hint) {

    public JsonValue.JsonObject object(JsonValue v) throws InputException {
        if (v instanceof JsonValue.JsonObject o) {
            return o;
        }
        throw error(v.span(), "expected an object, not " + v.kind());
    }

    public List<JsonValue> array(JsonValue v) throws InputException {
        if (v instanceof JsonValue.JsonArray a) {
            return a.items();
        }
        throw error(v.span(), "expected a list, not " + v.kind());
    }

    /** The value of {@code key}; {@code where} is the object's location, for a missing key. */
    public JsonValue member(JsonValue.JsonObject o, String key, SourceSpan where) throws InputException {
        JsonValue v = o.members().get(key);
        if (v == null) {
            throw error(where, "missing \"" + key + "\"");
        }
        return v;
    }

    public String string(JsonValue v) throws InputException {
        if (v instanceof JsonValue.JsonString s) {
            return s.value();
        }
        throw error(v.span(), "expected a string, not " + v.kind());
    }

    /** A string, or empty for {@code null}. */
    public Optional<String> nullableString(JsonValue v) throws InputException {
        return v instanceof JsonValue.JsonNull ? Optional.empty() : Optional.of(string(v));
    }

    /** A whole number of zero or more. */
    public BigInteger wholeNumber(JsonValue v) throws InputException {
        if (v instanceof JsonValue.JsonNumber n) {
            try {
                BigInteger value = new BigInteger(n.text());
                if (value.signum() >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw error(v.span(), "expected a whole number, not " + v.kind());
    }

    public InputException error(SourceSpan span, String message) {
        return new InputException(Diagnostic.error(code, span, message, hint));
    }
}
