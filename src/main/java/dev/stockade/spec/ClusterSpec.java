package dev.stockade.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole cluster's security intent, as loaded and checked by {@link SpecLoader}. Every reference
 * in it (node names, source groups) is known to resolve.
 *
 * @param file the spec file, as the user named it (used in messages and generated comments)
 * @param firewall how the nodes' firewall is written and loaded
 * @param sources named groups of addresses/CIDRs, usable in any {@code from:} list
 * @param services the ports to open, the proxy's ({@link ProxySpec#services}) among them
 * @param workloads the containers the nodes run, in spec order
 */
public record ClusterSpec(
        String file,
        String cluster,
        Target target,
        FirewallBackend firewall,
        Interfaces interfaces,
        List<NodeSpec> nodes,
        Map<String, List<SourceRef>> sources,
        SshSpec ssh,
        Optional<EtcdSpec> etcd,
        List<ServiceSpec> services,
        IcmpSpec icmp,
        HardeningSpec hardening,
        dev.stockade.pki.PkiSpec pki,
        Optional<ProxySpec> proxy,
        List<WorkloadSpec> workloads) {

    public ClusterSpec {
        nodes = List.copyOf(nodes);
        sources = Map.copyOf(sources);
        services = List.copyOf(services);
        workloads = List.copyOf(workloads);
    }

    /** The nodes that run an etcd member, in spec order; empty without etcd. */
    public List<NodeSpec> etcdMembers() {
        if (etcd.isEmpty()) {
            return List.of();
        }
        if (etcd.get().members().isEmpty()) {
            return nodes;
        }
        // a set, not the list: every node's plan asks, so a linear search per node would be N^2
        java.util.Set<String> named = java.util.Set.copyOf(etcd.get().members());
        return nodes.stream().filter(n -> named.contains(n.name())).toList();
    }
}
