package dev.stockade.build;

import dev.stockade.etcd.MembershipChange;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.report.Diagnostic;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import java.util.List;

/**
 * A cluster's firewalls compiled, written as text and proved against the spec: the first stage of a
 * build, before any node's provisioning is rendered ({@link ClusterBuilder#render}). A command
 * proves first and renders once, with whatever TLS files the PKI then has.
 *
 * @param etcd the etcd membership the build configures, relative to the running cluster
 */
public record ProvedCluster(ClusterSpec spec, List<Node> nodes, MembershipChange etcd, List<Diagnostic> warnings) {

    /** One node's firewall, its rules as written, and the proof of those rules. */
    public record Node(NodeSpec node, NodeFirewall firewall, FirewallFiles rules, List<FirewallProof.Result> proof) {

        public Node {
            proof = List.copyOf(proof);
        }
    }

    public ProvedCluster {
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /** Whether every node's firewall was proved against the spec. */
    public boolean proven() {
        return nodes.stream().allMatch(n -> n.proof().stream().allMatch(FirewallProof.Result::holds));
    }
}
