package dev.stockade.build;

import dev.stockade.firewall.NodeFirewall;
import dev.stockade.io.OutputFile;
import dev.stockade.provision.NodePlan;
import dev.stockade.spec.NodeSpec;
import java.util.Map;

/** One node's build: its firewall, its provisioning plan and the files written for it. */
public record NodeOutput(NodeSpec node, NodeFirewall firewall, NodePlan plan, Map<String, OutputFile> files) {

    public NodeOutput {
        files = Map.copyOf(files);
    }
}
