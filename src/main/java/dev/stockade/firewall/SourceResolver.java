package dev.stockade.firewall;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.SourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code from:} references into addresses: {@code any} is everyone, {@code cluster} is
 * every known address of every node, group names expand to their members.
 */
public final class SourceResolver {

    private final ClusterSpec spec;

    public SourceResolver(ClusterSpec spec) {
        this.spec = spec;
    }

    public Sources resolve(List<SourceRef> refs, IpFamily family) {
        List<Prefix> out = new ArrayList<>();
        for (SourceRef r : refs) {
            if (r.isAny()) {
                out.add(Prefix.any(family));
            } else if (r.isCluster()) {
                spec.nodes()
                        .forEach(n -> n.addresses().stream()
                                .filter(a -> a.family() == family)
                                .forEach(out::add));
            } else if (r.isGroup()) {
                spec.sources().getOrDefault(r.text(), List.of()).stream()
                        .flatMap(g -> g.prefix().stream())
                        .filter(p -> p.family() == family)
                        .forEach(out::add);
            } else {
                r.prefix().filter(p -> p.family() == family).ifPresent(out::add);
            }
        }
        return new Sources(family, out);
    }

    /** Nodes whose addresses {@code cluster} cannot include yet, when {@code refs} uses it. */
    List<String> unresolvedClusterMembers(List<SourceRef> refs) {
        if (refs.stream().noneMatch(SourceRef::isCluster)) {
            return List.of();
        }
        return spec.nodes().stream()
                .filter(n -> n.addresses().isEmpty())
                .map(NodeSpec::name)
                .toList();
    }
}
