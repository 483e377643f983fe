package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Map;

/**
 * One entry of the spec's {@code workloads:}: a container the nodes run as a systemd unit, from
 * an image pinned by digest. Workloads use the host's network and open no port in the firewall:
 * what they serve is reached through the proxy ({@code proxy.routes} to their loopback or private
 * address) or through a {@code services:} entry, so the firewall and the build's proof stay the
 * one place that says what is reachable.
 *
 * @param name the workload's name (the unit is {@code stockade-workload-NAME.service})
 * @param image {@code NAME[:TAG]@sha256:DIGEST}
 * @param nodes the nodes that run it (every node when empty)
 * @param args arguments after the image (the container's command line)
 * @param env environment variables, in spec order
 * @param capabilities Linux capabilities the container keeps (all others are dropped)
 */
public record WorkloadSpec(
        String name,
        String image,
        List<String> nodes,
        List<String> args,
        Map<String, String> env,
        List<String> capabilities,
        SourceSpan span) {

    public WorkloadSpec {
        nodes = List.copyOf(nodes);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        capabilities = List.copyOf(capabilities);
    }

    /** What every workload's unit name starts with. */
    public static final String UNIT_PREFIX = "stockade-workload-";

    /** The systemd unit that runs the workload. */
    public String unit() {
        return UNIT_PREFIX + name + ".service";
    }

    /** The container's name. */
    public String container() {
        return "stockade-" + name;
    }

    public boolean runsOn(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }
}
