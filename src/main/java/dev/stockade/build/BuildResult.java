package dev.stockade.build;

import dev.stockade.etcd.MembershipChange;
import dev.stockade.io.OutputFile;
import dev.stockade.report.Diagnostic;
import dev.stockade.spec.ClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole cluster's build, before anything is written.
 *
 * @param etcd the etcd membership it configures, relative to the running cluster
 */
public record BuildResult(ClusterSpec spec, List<NodeOutput> nodes, MembershipChange etcd, List<Diagnostic> warnings) {

    public BuildResult {
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /** Every file of the cluster directory, keyed by {@code <node>/<file>} (and the build state), sorted. */
    public Map<String, OutputFile> files() {
        Map<String, OutputFile> all = new TreeMap<>();
        for (NodeOutput n : nodes) {
            n.files().forEach((name, f) -> all.put(n.node().name() + "/" + name, f));
        }
        all.put(BuildState.FILE, OutputFile.text(state().toJson(), 0600));
        return all;
    }

    /** What the next build should know of this one. */
    public BuildState state() {
        return new BuildState(
                spec.cluster(), nodes.stream().map(n -> n.node().name()).toList(), etcd.record());
    }

    /** Whether every node's firewall was proved against the spec. */
    public boolean proven() {
        return nodes.stream().allMatch(NodeOutput::proven);
    }

    public boolean isProvisional() {
        return nodes.stream().anyMatch(n -> !n.plan().provisional().isEmpty());
    }
}
