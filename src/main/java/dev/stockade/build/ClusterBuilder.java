package dev.stockade.build;

import dev.stockade.etcd.Member;
import dev.stockade.etcd.MembershipChange;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NftCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.intent.SpecIntent;
import dev.stockade.io.AtomicDirectory;
import dev.stockade.io.OutputFile;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.nftables.NftWriter;
import dev.stockade.provision.CloudConfigRenderer;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.provision.IgnitionRenderer;
import dev.stockade.provision.NodePlan;
import dev.stockade.provision.NodePlanner;
import dev.stockade.provision.NodeTls;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.FirewallBackend;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.NodeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code build} pipeline: spec → per-node firewall → per-node plan → rendered files, each
 * firewall's written rules proved against the spec ({@link SpecIntent}) by the packet-set analysis
 * ({@link FirewallProof}). Pure until
 * {@link #write}, which replaces {@code <out>/<cluster>/} atomically.
 */
public final class ClusterBuilder {

    public static final String RULES_V4 = "iptables.rules";
    public static final String RULES_V6 = "ip6tables.rules";
    /** With {@code firewall: nftables}, in place of the two rules files. */
    public static final String NFTABLES = "nftables.conf";

    public static final String IGNITION = "ignition.json";
    public static final String CLOUD_CONFIG = "cloud-config.yml";

    private ClusterBuilder() {}

    /** Builds without TLS material (nothing from the PKI is placed on the nodes). */
    public static BuildResult build(LoadedSpec loaded) {
        return build(loaded, Map.of());
    }

    /** A first build (a new etcd cluster, if any), with {@code tls} placed on the nodes. */
    public static BuildResult build(LoadedSpec loaded, Map<String, NodeTls> tls) {
        return build(loaded, fresh(loaded.spec()), tls);
    }

    /**
     * @param etcd the etcd membership, relative to the running cluster
     * @param tls per node name, the etcd TLS files to place on it
     */
    public static BuildResult build(LoadedSpec loaded, MembershipChange etcd, Map<String, NodeTls> tls) {
        return render(prove(loaded, etcd), tls);
    }

    /** The etcd membership of a cluster built for the first time. */
    public static MembershipChange fresh(ClusterSpec spec) {
        return Member.wanted(spec).map(MembershipChange::fresh).orElse(MembershipChange.unresolved(List.of()));
    }

    /**
     * Every node's firewall compiled, written and proved, nothing rendered yet: a command can prove
     * the firewalls before it creates a CA or issues a certificate, and render once afterwards.
     *
     * @param etcd the etcd membership, relative to the running cluster
     */
    public static ProvedCluster prove(LoadedSpec loaded, MembershipChange etcd) {
        ClusterSpec spec = loaded.spec();
        SpecIntent intent = SpecIntent.of(spec);
        // nodes are independent and the stages pure: build them on all cores, keeping spec order
        List<ProvedCluster.Node> nodes = spec.nodes().parallelStream()
                .map(node -> proved(spec, intent, node))
                .toList();
        return new ProvedCluster(spec, nodes, etcd, loaded.warnings());
    }

    private static ProvedCluster.Node proved(ClusterSpec spec, SpecIntent intent, NodeSpec node) {
        NodeFirewall fw = FirewallCompiler.compile(spec, node);
        List<String> header = header(spec, node);
        FirewallFiles rules = spec.firewall() == FirewallBackend.NFTABLES
                ? new FirewallFiles.Nftables(NftWriter.replacing(NftCompiler.compile(fw), header))
                : new FirewallFiles.Iptables(
                        IptablesSaveWriter.write(fw.v4(), header), IptablesSaveWriter.write(fw.v6(), header));
        return new ProvedCluster.Node(node, fw, rules, FirewallProof.prove(intent, node.name(), rules));
    }

    /** Every node's provisioning rendered around its proved firewall, with {@code tls} (per node name) placed. */
    public static BuildResult render(ProvedCluster proved, Map<String, NodeTls> tls) {
        ClusterSpec spec = proved.spec();
        List<NodeOutput> nodes = proved.nodes().parallelStream()
                .map(n -> rendered(
                        spec,
                        n,
                        proved.etcd(),
                        Optional.ofNullable(tls.get(n.node().name()))))
                .toList();
        return new BuildResult(spec, nodes, proved.etcd(), proved.warnings());
    }

    private static NodeOutput rendered(
            ClusterSpec spec, ProvedCluster.Node proved, MembershipChange etcd, Optional<NodeTls> tls) {
        NodeSpec node = proved.node();
        NodeFirewall fw = proved.firewall();
        FirewallFiles rules = proved.rules();
        NodePlan plan = NodePlanner.plan(spec, node, fw, rules, tls, etcd.start(node.name()));
        Map<String, OutputFile> files = new LinkedHashMap<>();
        if (rules instanceof FirewallFiles.Nftables) {
            files.put(NFTABLES, OutputFile.text(((FirewallFiles.Nftables) rules).ruleset(), 0600));
        } else {
            FirewallFiles.Iptables ipt = (FirewallFiles.Iptables) rules;
            files.put(RULES_V4, OutputFile.text(ipt.v4(), 0600));
            files.put(RULES_V6, OutputFile.text(ipt.v6(), 0600));
        }
        if (spec.target().wantsIgnition()) {
            files.put(IGNITION, OutputFile.text(IgnitionRenderer.render(plan), 0600));
        }
        if (spec.target().wantsCloudConfig()) {
            files.put(CLOUD_CONFIG, OutputFile.text(CloudConfigRenderer.render(plan), 0600));
        }
        return new NodeOutput(node, fw, plan, files, proved.proof());
    }

    private static List<String> header(ClusterSpec spec, NodeSpec node) {
        String source = Path.of(spec.file()).getFileName().toString();
        return List.of(
                "Generated by Stockade from " + source + ": cluster " + spec.cluster() + ", node " + node.name() + ".",
                "Do not edit: change the spec and run 'stockade build' again.");
    }

    /** Replaces {@code <out>/<cluster>/} with this build's files. */
    public static Path write(BuildResult result, Path out) throws IOException {
        Path dir = out.resolve(result.spec().cluster());
        AtomicDirectory.replace(dir, result.files());
        return dir;
    }
}
