package dev.stockade.spec;

import dev.stockade.net.PortRange;
import dev.stockade.net.Protocol;
import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A port (or ports) opened on the nodes.
 *
 * @param nodes names of the nodes that run it; empty means every node
 * @param on the interface role it is opened on ({@code public}/{@code private}); empty means any
 */
public record ServiceSpec(
        String name,
        Set<Protocol> protocols,
        List<PortRange> ports,
        List<SourceRef> from,
        List<String> nodes,
        Optional<InterfaceRole> on,
        SourceSpan span) {

    public ServiceSpec {
        protocols = Set.copyOf(protocols);
        ports = List.copyOf(ports);
        from = List.copyOf(from);
        nodes = List.copyOf(nodes);
    }

    public boolean runsOn(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }
}
