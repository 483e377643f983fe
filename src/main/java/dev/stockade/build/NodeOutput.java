package dev.stockade.build;

import dev.stockade.firewall.NodeFirewall;
import dev.stockade.io.OutputFile;
import dev.stockade.provision.NodePlan;
import dev.stockade.spec.NodeSpec;
import java.util.Map;

/** One node's build: its firewall, its provisioning plan, the files written for it and the proof of its firewall. */
public record NodeOutput(
        NodeSpec node,
        NodeFirewall firewall,
        NodePlan plan,
        Map<String, OutputFile> files,
        java.util.List<FirewallProof.Result> proof) {

    public NodeOutput {
        files = Map.copyOf(files);
        proof = java.util.List.copyOf(proof);
    }

    /** Whether the analysis proved both rulesets against the spec. */
    public boolean proven() {
        return proof.stream().allMatch(FirewallProof.Result::holds);
    }
}
