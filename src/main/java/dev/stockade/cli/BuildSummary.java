package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterPki;
import dev.stockade.build.FirewallProof;
import dev.stockade.build.NodeOutput;
import dev.stockade.build.ProvedCluster;
import dev.stockade.firewall.Opening;
import dev.stockade.firewall.Sources;
import dev.stockade.net.Prefix;
import dev.stockade.pki.Crl;
import dev.stockade.pki.Revocations;
import dev.stockade.provision.NodePlanner;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The build's terminal summary: per node, what is open, on which port, to whom, for v4 and v6. */
final class BuildSummary {

    private BuildSummary() {}

    static String text(BuildReport report) {
        BuildResult r = report.result();
        boolean dryRun = report.dryRun();
        ClusterPki.Outcome pki = report.pki();
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "Checked" : "Built")
                .append(" cluster ")
                .append(r.spec().cluster())
                .append(" (")
                .append(r.spec().target())
                .append(", ")
                .append(r.nodes().size())
                .append(r.nodes().size() == 1 ? " node" : " nodes")
                .append(") from ")
                .append(r.spec().file())
                .append(dryRun ? " (dry run, nothing written)" : " into " + report.dir() + "/")
                .append("\n");
        if (pki != null) {
            sb.append("PKI ")
                    .append(report.pkiDir())
                    .append(": ")
                    .append(pki.caCreated() ? "new CA; " : "")
                    .append(pki.caKeyEncrypted() ? "CA key encrypted; " : "CA key not encrypted; ")
                    .append(pkiCounts(pki))
                    .append('\n');
        }
        if (r.spec().etcd().isPresent() && r.spec().pki().deliver() == dev.stockade.pki.PkiSpec.Delivery.SSH) {
            sb.append("etcd TLS files: not in the user data (pki.deliver: ssh); after the nodes boot, run 'stockade")
                    .append(" apply --spec ")
                    .append(r.spec().file())
                    .append("' to copy them (etcd starts when its key arrives)\n");
        }
        for (String name : report.revoked().pending()) {
            sb.append("Would revoke ").append(name).append(" (left the spec since the previous build)\n");
        }
        for (Crl.Result c : report.revoked().done()) {
            sb.append("Revoked ")
                    .append(c.entry().name())
                    .append(" (left the spec since the previous build; serial ")
                    .append(Revocations.hex(c.entry().serial()))
                    .append(", ")
                    .append(c.entry().reason().keyword())
                    .append("); CRL number ")
                    .append(CrlOptions.number(c.crl()))
                    .append(", next update ")
                    .append(c.crl().getNextUpdate().toInstant())
                    .append('\n');
        }
        EtcdSteps.describeChange(r.etcd())
                .ifPresent(c -> sb.append("etcd members: ").append(c).append('\n'));
        for (NodeOutput n : r.nodes()) {
            node(sb, n);
        }
        steps(sb, report.steps());
        if (r.isProvisional()) {
            sb.append("\nProvisional: the items marked '!' above are incomplete. Fix what they name (")
                    .append(r.spec().file())
                    .append(") and run 'stockade build' again before relying on them.\n");
        }
        return sb.toString();
    }

    private static void steps(StringBuilder sb, EtcdSteps steps) {
        if (steps.isEmpty()) {
            return;
        }
        sb.append("\nThe running etcd cluster changes. Follow these steps in order, each only when every member is")
                .append(" healthy (etcdctl endpoint health --cluster):\n  ")
                .append(steps.exportLine())
                .append('\n');
        int i = 1;
        for (EtcdSteps.Step step : steps.steps()) {
            String indent = "  " + i + ". ";
            sb.append(indent)
                    .append(step.action())
                    .append(' ')
                    .append(String.join(" ", step.nodes()))
                    .append('\n');
            String more = " ".repeat(indent.length());
            step.commands().forEach(c -> sb.append(more).append(c).append('\n'));
            sb.append(more).append(step.note()).append('\n');
            i++;
        }
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
        List<List<List<String>>> rows = new ArrayList<>();
        rows.add(List.of(
                List.of("proto"),
                List.of("port"),
                List.of("iface"),
                List.of("spec entry"),
                List.of("IPv4 from"),
                List.of("IPv6 from")));
        for (Opening o : n.firewall().openings()) {
            rows.add(List.of(
                    List.of(o.protocol()),
                    List.of(o.portText()),
                    List.of(o.inInterface().orElse("any")),
                    List.of(o.label()),
                    wrap(o.v4()),
                    wrap(o.v6())));
        }
        table(sb, rows);
        sb.append("  everything else: dropped (IPv4 and IPv6); replies, loopback and essential ICMP pass\n");
        sb.append("  proof: ");
        for (int i = 0; i < n.proof().size(); i++) {
            FirewallProof.Result p = n.proof().get(i);
            sb.append(i == 0 ? "" : ", ").append(p.family()).append(p.holds() ? " holds" : " FAILED");
        }
        sb.append(" (the rules written accept exactly the new connections the spec allows)\n");
        sb.append("  files: ")
                .append(String.join(" ", new TreeSet<>(n.files().keySet())))
                .append('\n');
        List<String> containers = n.plan().units().stream()
                .map(u -> u.name())
                .filter(u -> u.equals(NodePlanner.PROXY_UNIT) || u.startsWith(WorkloadSpec.UNIT_PREFIX))
                .map(u -> u.replaceFirst("^stockade-(workload-)?", "").replaceFirst("\\.service$", ""))
                .toList();
        if (!containers.isEmpty()) {
            sb.append("  containers: ").append(String.join(", ", containers)).append(" (images pinned by digest)\n");
        }
        for (String p : n.plan().provisional()) {
            sb.append("  ! ").append(p).append('\n');
        }
    }

    /** What failed in the proofs, with what the rules accept beyond the spec and refuse of it. */
    static void proofFailures(java.io.PrintWriter err, ProvedCluster r) {
        for (ProvedCluster.Node n : r.nodes()) {
            for (FirewallProof.Result p : n.proof()) {
                if (p.holds()) {
                    continue;
                }
                err.println("stockade: proof failed for " + p.node() + " " + p.family() + ": "
                        + String.join("; ", p.problems()));
                p.extra().ifPresent(e -> {
                    err.println("  accepted but not in the spec:");
                    FwAnalyzeCommand.table(err, e.accepted(), "in", "from");
                });
                p.missing().ifPresent(e -> {
                    err.println("  in the spec but refused:");
                    FwAnalyzeCommand.table(err, e.accepted(), "in", "from");
                });
            }
        }
    }

    /** Source lists wrapped into lines of at most {@value #SOURCE_WIDTH} characters, so wide lists stay readable. */
    private static List<String> wrap(Sources sources) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : sources.toString().split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > SOURCE_WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static final int SOURCE_WIDTH = 32;

    /** Rows of cells; a cell may span several lines, the row is as tall as its tallest cell. */
    private static void table(StringBuilder sb, List<List<List<String>>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<List<String>> r : rows) {
            for (int i = 0; i < columns; i++) {
                for (String l : r.get(i)) {
                    width[i] = Math.max(width[i], l.length());
                }
            }
        }
        for (List<List<String>> r : rows) {
            int height = r.stream().mapToInt(List::size).max().orElse(1);
            for (int h = 0; h < height; h++) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < columns; i++) {
                    String cell = h < r.get(i).size() ? r.get(i).get(h) : "";
                    line.append(cell).append(" ".repeat(width[i] - cell.length() + 2));
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }

    private static String pkiCounts(ClusterPki.Outcome pki) {
        return pki.created().size() + " issued, " + pki.reused().size() + " reused"
                + (pki.created().isEmpty() ? "" : " (issued: " + String.join(" ", pki.created()) + ")");
    }
}
