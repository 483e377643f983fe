package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.NodeOutput;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a spec in memory and reads every provisioning document of a node back through {@link ParsedNodeConfig}. */
final class TargetOutputs {

    static final List<String> TARGETS = List.of("flatcar", "fcos", "container-linux");

    private TargetOutputs() {}

    /** Builds {@code spec}, giving every node stand-in TLS texts that name it ({@code CA}, {@code CERT <node>}, {@code KEY <node>}). */
    static BuildResult build(String spec) throws Exception {
        LoadedSpec loaded = SpecLoader.parse("t.yaml", spec);
        Map<String, NodeTls> tls = new HashMap<>();
        loaded.spec()
                .nodes()
                .forEach(n ->
                        tls.put(n.name(), new NodeTls("CA\n", "CERT " + n.name() + "\n", "KEY " + n.name() + "\n")));
        return ClusterBuilder.build(loaded, tls);
    }

    static String text(NodeOutput n, String file) {
        return new String(n.files().get(file).bytes(), StandardCharsets.UTF_8);
    }

    /** The documents a target must produce, by output file name. */
    static Set<String> formatsOf(String target) {
        switch (target) {
            case "flatcar":
                return Set.of(ClusterBuilder.IGNITION, ClusterBuilder.CLOUD_CONFIG);
            case "fcos":
                return Set.of(ClusterBuilder.IGNITION);
            case "container-linux":
                return Set.of(ClusterBuilder.CLOUD_CONFIG);
            default:
                throw new AssertionError(target);
        }
    }

    /**
     * Every provisioning document the node got, parsed; first checks that the node's output is exactly
     * the firewall (the two rules files, or with {@code firewall: nftables} the one ruleset) and the
     * documents its target calls for.
     */
    static List<ParsedNodeConfig> documents(String target, NodeOutput n) {
        Set<String> expected = new LinkedHashSet<>(
                n.files().containsKey(ClusterBuilder.NFTABLES)
                        ? List.of(ClusterBuilder.NFTABLES)
                        : List.of(ClusterBuilder.RULES_V4, ClusterBuilder.RULES_V6));
        expected.addAll(formatsOf(target));
        assertEquals(expected, n.files().keySet(), target + " " + n.node().name() + ": output files");
        List<ParsedNodeConfig> out = new ArrayList<>();
        if (n.files().containsKey(ClusterBuilder.IGNITION)) {
            out.add(ParsedNodeConfig.ignition(text(n, ClusterBuilder.IGNITION)));
        }
        if (n.files().containsKey(ClusterBuilder.CLOUD_CONFIG)) {
            out.add(ParsedNodeConfig.cloudConfig(text(n, ClusterBuilder.CLOUD_CONFIG)));
        }
        return out;
    }
}
