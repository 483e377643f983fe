package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.NodeOutput;
import dev.stockade.firewall.Opening;
import dev.stockade.json.JsonWriter;
import dev.stockade.net.Prefix;
import dev.stockade.spec.NodeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The build's terminal summary: per node, what is open, on which port, to whom, for v4 and v6. */
final class BuildSummary {

    private BuildSummary() {
    }

    static String text(BuildResult r, Path dir, boolean dryRun) {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "Checked" : "Built").append(" cluster ").append(r.spec().cluster()).append(" (")
                .append(r.spec().target()).append(", ").append(r.nodes().size())
                .append(r.nodes().size() == 1 ? " node" : " nodes").append(") from ").append(r.spec().file())
                .append(dryRun ? " (dry run, nothing written)" : " into " + dir + "/").append("\n");
        for (NodeOutput n : r.nodes()) {
            node(sb, n);
        }
        if (r.isProvisional()) {
            sb.append("\nProvisional: addresses are missing. Set them in ").append(r.spec().file())
                    .append(" and run 'stockade build' again before relying on the items marked '!' above.\n");
        }
        return sb.toString();
    }

    private static void node(StringBuilder sb, NodeOutput n) {
        NodeSpec node = n.node();
        sb.append('\n').append(node.name());
        sb.append("  private ").append(node.privateV4().map(Prefix::toString).orElse("(unknown)"));
        node.privateV6().ifPresent(a -> sb.append(' ').append(a));
        if (!node.publicAddresses().isEmpty()) {
            sb.append("  public");
            node.publicAddresses().forEach(a -> sb.append(' ').append(a));
        }
        sb.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"proto", "port", "iface", "IPv4 from", "IPv6 from", "spec entry"});
        for (Opening o : n.firewall().openings()) {
            rows.add(new String[] {o.protocol(), o.portText(), o.inInterface().orElse("any"), o.v4().toString(),
                o.v6().toString(), o.label()});
        }
        table(sb, rows);
        sb.append("  everything else: dropped (IPv4 and IPv6); replies, loopback and essential ICMP pass\n");
        sb.append("  files: ").append(String.join(" ", new TreeSet<>(n.files().keySet()))).append('\n');
        for (String p : n.plan().provisional()) {
            sb.append("  ! ").append(p).append('\n');
        }
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    static String json(BuildResult r, Path dir, boolean dryRun) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cluster", r.spec().cluster());
        root.put("target", r.spec().target().keyword());
        root.put("spec", r.spec().file());
        root.put("output", dryRun ? null : dir.toString());
        root.put("provisional", r.isProvisional());
        List<Object> nodes = new ArrayList<>();
        for (NodeOutput n : r.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.node().name());
            m.put("private", n.node().privateV4().map(Prefix::toString).orElse(null));
            m.put("public", n.node().publicAddresses().stream().map(Prefix::toString).toList());
            List<Object> open = new ArrayList<>();
            for (Opening o : n.firewall().openings()) {
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("entry", o.label());
                om.put("protocol", o.protocol());
                om.put("ports", o.ports().stream().map(Object::toString).toList());
                om.put("interface", o.inInterface().orElse(null));
                om.put("ipv4", o.v4().prefixes().stream().map(Prefix::toCidr).toList());
                om.put("ipv6", o.v6().prefixes().stream().map(Prefix::toCidr).toList());
                open.add(om);
            }
            m.put("open", open);
            m.put("files", new ArrayList<>(new TreeSet<>(n.files().keySet())));
            m.put("provisional", n.plan().provisional());
            nodes.add(m);
        }
        root.put("nodes", nodes);
        root.put("warnings", r.warnings().stream().map(Object::toString).toList());
        return JsonWriter.write(root);
    }
}
