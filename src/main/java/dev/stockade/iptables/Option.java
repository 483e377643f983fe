package dev.stockade.iptables;

import java.util.List;

/**
 * One option of a match module or a target, as written: {@code [!] --name [values...]}. The name
 * has no leading dashes; values are unquoted text.
 */
public record Option(String name, boolean negated, List<String> values) {

    public Option {
        values = List.copyOf(values);
    }

    public static Option of(String name, String... values) {
        return new Option(name, false, List.of(values));
    }

    /** The single value, or the empty string when the option has none. */
    public String value() {
        return values.isEmpty() ? "" : values.get(0);
    }

    void write(StringBuilder out) {
        out.append(negated ? " ! --" : " --").append(name);
        for (String v : values) {
            out.append(' ').append(Words.value(name, v));
        }
    }
}
