package dev.stockade.iptables;

import java.util.List;

/** {@code -j NAME [options]}, or {@code -g CHAIN} when {@code isGoto}. */
public record Target(String name, boolean isGoto, List<Option> options) {

    public Target {
        options = List.copyOf(options);
    }

    public static Target jump(String name, Option... options) {
        return new Target(name, false, List.of(options));
    }

    void write(StringBuilder out) {
        out.append(isGoto ? " -g " : " -j ").append(name);
        for (Option o : options) {
            o.write(out);
        }
    }
}
