package dev.stockade.nftables;

import java.util.List;

/**
 * Writes the model as {@code nft list ruleset} prints it (tabs, one set key per line, a blank line
 * between a table's sets and chains), which {@code nft -f} reads back.
 */
public final class NftWriter {

    private NftWriter() {}

    /** Every table of the ruleset. */
    public static String write(NftRuleset ruleset) {
        StringBuilder out = new StringBuilder(4096);
        for (NftTable t : ruleset.tables()) {
            table(t, out);
        }
        return out.toString();
    }

    /**
     * A file for {@code nft -f} that replaces {@code table} and touches nothing else: it declares
     * the table (so the delete cannot fail on a first load), deletes it with everything in it, and
     * defines it anew, all in the one transaction {@code nft -f} makes of a file. Other tables
     * (another tool's, or iptables-nft's) are left as they are. {@code header} lines become comments.
     */
    public static String replacing(NftTable table, List<String> header) {
        StringBuilder out = new StringBuilder(4096).append("#!/usr/sbin/nft -f\n");
        for (String line : header) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        String name = table.family() + ' ' + table.name();
        out.append("table ").append(name).append('\n');
        out.append("delete table ").append(name).append('\n');
        table(table, out);
        return out.toString();
    }

    private static void table(NftTable t, StringBuilder out) {
        out.append("table ").append(t.family()).append(' ').append(t.name()).append(" {\n");
        boolean first = true;
        for (NftSet s : t.sets()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            set(s, out);
        }
        for (NftChain c : t.chains()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            chain(c, out);
        }
        out.append("}\n");
    }

    private static void set(NftSet s, StringBuilder out) {
        out.append("\tset ").append(s.name()).append(" {\n");
        out.append("\t\ttype ").append(s.type()).append('\n');
        if (!s.flags().isEmpty()) {
            out.append("\t\tflags ").append(String.join(",", s.flags())).append('\n');
        }
        if (!s.elements().isEmpty()) {
            out.append("\t\telements = { ");
            for (int i = 0; i < s.elements().size(); i++) {
                if (i > 0) {
                    out.append(",\n\t\t\t     ");
                }
                s.elements().get(i).write(out);
            }
            out.append(" }\n");
        }
        out.append("\t}\n");
    }

    private static void chain(NftChain c, StringBuilder out) {
        out.append("\tchain ").append(c.name()).append(" {\n");
        c.hook()
                .ifPresent(h -> out.append("\t\ttype ")
                        .append(h.type())
                        .append(" hook ")
                        .append(h.hook())
                        .append(" priority ")
                        .append(priority(h))
                        .append("; policy ")
                        .append(h.policy())
                        .append(";\n"));
        for (NftRule r : c.rules()) {
            out.append("\t\t").append(r.text()).append('\n');
        }
        out.append("\t}\n");
    }

    /** nft's name for the standard filter priority, the number otherwise. */
    private static String priority(NftChain.Hook h) {
        return h.type().equals("filter") && h.priority() == 0 ? "filter" : Integer.toString(h.priority());
    }
}
