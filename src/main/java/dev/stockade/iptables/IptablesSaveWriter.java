package dev.stockade.iptables;

import java.util.List;

/**
 * Writes a {@link Ruleset} as {@code iptables-restore} input in the form {@code iptables-save}
 * prints: header comments, then per table the chain declarations, the rules and {@code COMMIT}.
 * The output always ends with a newline.
 */
public final class IptablesSaveWriter {

    private IptablesSaveWriter() {}

    /** @param header comment lines (without '#') placed before the first table */
    public static String write(Ruleset ruleset, List<String> header) {
        StringBuilder sb = new StringBuilder(4096);
        for (String h : header) {
            sb.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        }
        for (Table t : ruleset.tables()) {
            sb.append('*').append(t.name()).append('\n');
            for (Chain c : t.chains()) {
                sb.append(c.toSaveLine()).append('\n');
            }
            for (Rule r : t.rules()) {
                r.counters().ifPresent(c -> sb.append(c).append(' '));
                sb.append(r.toSaveLine()).append('\n');
            }
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }
}
