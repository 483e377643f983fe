package dev.stockade.validate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key tree of a config format: objects with known keys, lists, and scalars, with what each key
 * needs (the format version that introduced it, the values it allows) or why it should no longer be
 * used. {@link IgnitionSchema} and {@link CloudConfigSchema} are written with it.
 */
final class Schema {

    private Schema() {}

    sealed interface Type permits Obj, Arr, Scalar {}

    enum Scalar implements Type {
        STRING("a string"),
        INT("a whole number"),
        FLOAT("a number"),
        BOOL("true or false");

        final String words;

        Scalar(String words) {
            this.words = words;
        }
    }

    record Arr(Type item) implements Type {}

    record Obj(Map<String, Field> fields) implements Type {}

    /**
     * @param since the format's minor version that introduced the key (0: always there)
     * @param allowed the values a scalar may take, when restricted
     * @param deprecated why the key should not be used, when it should not
     */
    record Field(Type type, int since, Optional<Pattern> allowed, Optional<String> deprecated) {}

    static final Scalar S = Scalar.STRING;
    static final Scalar I = Scalar.INT;
    static final Scalar F = Scalar.FLOAT;
    static final Scalar B = Scalar.BOOL;

    static Arr list(Type t) {
        return new Arr(t);
    }

    static Builder obj() {
        return new Builder();
    }

    static final class Builder {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        Builder f(String name, Type type) {
            return f(name, type, 0);
        }

        Builder f(String name, Type type, int since) {
            fields.put(name, new Field(type, since, Optional.empty(), Optional.empty()));
            return this;
        }

        /** A key whose value must match {@code allowed} (a whole-value regex). */
        Builder valid(String name, Type type, String allowed) {
            fields.put(name, new Field(type, 0, Optional.of(Pattern.compile(allowed)), Optional.empty()));
            return this;
        }

        Builder deprecated(String name, Type type, String why) {
            fields.put(name, new Field(type, 0, Optional.empty(), Optional.of(why)));
            return this;
        }

        /** Every {@code names} as a {@code type} key. */
        Builder all(Type type, String... names) {
            for (String n : names) {
                f(n, type);
            }
            return this;
        }

        Obj build() {
            return new Obj(Map.copyOf(fields));
        }
    }
}
