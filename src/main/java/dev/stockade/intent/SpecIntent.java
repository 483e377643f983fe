package dev.stockade.intent;

import dev.stockade.intent.Connection.Kind;
import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.net.Protocol;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.EtcdSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.ServiceSpec;
import dev.stockade.spec.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster spec lets in: for a node and the first packet of a new connection, should it be
 * accepted, and by which spec entry. This is the reference the build's firewall proof and the
 * random-spec kernel test hold the generated rules to.
 *
 * <p>Design note. It is written from docs/spec.md and the loaded {@link ClusterSpec} alone, for
 * clarity rather than speed, and shares nothing with the compiler in {@code firewall/} (not its
 * openings, not its source resolution): a mistake in how the compiler reads the spec then shows as
 * a difference between the rules and this class, instead of being copied into both. It is also
 * deliberately plain: lists of {@link Allowance}s, checked one by one; nothing is merged, minimised
 * or cached, so every line can be compared with the documentation by eye.
 *
 * <p>The meaning, for a new connection arriving at node N over family F:
 *
 * <ul>
 *   <li>{@code loopback}: everything that arrives on {@code lo}.
 *   <li>{@code icmp.ping}: echo requests (ICMP type 8, ICMPv6 type 128) from {@code icmp.ping}'s
 *       sources, on any interface ({@code standard}: from anywhere; {@code strict}: from nobody).
 *   <li>{@code admin.ssh}: TCP to {@code admin.ssh.port} (default 22) from {@code admin.ssh.from}, on
 *       any interface; nobody when {@code from} is empty or {@code admin.ssh} is absent.
 *   <li>{@code etcd.peers}, only on the nodes that run a member ({@code etcd.members}, every node
 *       when absent): TCP to {@code peer_port}, IPv4 only, from the private IPv4 address of every
 *       other member that has one, on the private interface.
 *   <li>{@code etcd.clients}, on the same nodes: TCP to {@code client_port}, IPv4 only, from the IPv4
 *       entries of {@code clients_from} (default {@code [cluster]}), on any interface.
 *   <li>{@code services.<name>}, on the nodes it lists (every node when none): for each of its
 *       protocols, its ports, from its {@code from}, on the interface of its {@code on} role (any
 *       interface without one).
 *   <li>{@code dhcpv6-client}, IPv6 only: UDP from port 547 to port 546 from link-local addresses
 *       ({@code fe80::/10}), the replies a DHCPv6 client waits for, on any interface.
 * </ul>
 *
 * <p>Sources: {@code any} is every address of the family; {@code cluster} is every address of
 * every node ({@code private}, {@code private_ipv6} and {@code public}); a group name is the
 * addresses listed under it in {@code sources:}; an address or CIDR is itself. Only the entries of
 * F count, so a list with only IPv4 entries admits nobody over IPv6.
 *
 * <p>Not described here, because they are not new connections or not inbound: replies and related
 * packets (ESTABLISHED, RELATED), ICMP errors, neighbour discovery and MLD (always accepted so the
 * network works), OUTPUT (open) and FORWARD (closed to new connections).
 */
public final class SpecIntent {

    public static final String LOOPBACK = "lo";
    private static final Prefix LINK_LOCAL = Prefix.parse("fe80::/10");

    private final ClusterSpec spec;
    /** The spec's nodes by name: asked once per node and family, so not a search of the list. */
    private final java.util.Map<String, NodeSpec> nodes = new java.util.HashMap<>();

    private SpecIntent(ClusterSpec spec) {
        this.spec = spec;
        for (NodeSpec n : spec.nodes()) {
            nodes.putIfAbsent(n.name(), n);
        }
    }

    public static SpecIntent of(ClusterSpec spec) {
        return new SpecIntent(spec);
    }

    /**
     * The spec entry that admits {@code c} on {@code node}, or empty when the spec does not let it
     * in: {@code loopback} for anything on {@code lo}, else the first of {@link #allowances} that
     * admits it.
     */
    public Optional<String> admits(String node, Connection c) {
        if (c.inInterface().equals(LOOPBACK)) {
            return Optional.of("loopback");
        }
        return allowances(node, c.family()).stream()
                .filter(a -> a.admits(c))
                .map(Allowance::entry)
                .findFirst();
    }

    /**
     * Everything the spec lets in on {@code node} over {@code family} apart from loopback, in the
     * order of the list above. Entries whose sources are empty for this family are left out.
     */
    public List<Allowance> allowances(String node, IpFamily family) {
        NodeSpec self = node(node);
        List<Allowance> out = new ArrayList<>();
        add(
                out,
                "icmp.ping",
                family,
                Kind.PING,
                List.of(),
                List.of(),
                Optional.empty(),
                spec.icmp().pingFrom());
        add(
                out,
                "admin.ssh",
                family,
                Kind.TCP,
                List.of(PortRange.of(spec.ssh().port())),
                List.of(),
                Optional.empty(),
                spec.ssh().from());
        spec.etcd().filter(e -> e.isMember(self.name())).ifPresent(e -> etcd(e, self, family, out));
        for (ServiceSpec s : spec.services()) {
            if (!s.nodes().isEmpty() && !s.nodes().contains(self.name())) {
                continue;
            }
            Optional<String> iface = s.on().flatMap(role -> spec.interfaces().name(role));
            for (Protocol p : Protocol.values()) {
                if (s.protocols().contains(p)) {
                    Kind kind = p == Protocol.UDP ? Kind.UDP : Kind.TCP;
                    add(out, "services." + s.name(), family, kind, s.ports(), List.of(), iface, s.from());
                }
            }
        }
        if (family == IpFamily.V6) {
            out.add(new Allowance(
                    "dhcpv6-client",
                    family,
                    Kind.UDP,
                    List.of(PortRange.of(546)),
                    List.of(PortRange.of(547)),
                    Optional.empty(),
                    List.of(LINK_LOCAL)));
        }
        return out;
    }

    private void etcd(EtcdSpec e, NodeSpec self, IpFamily family, List<Allowance> out) {
        if (family != IpFamily.V4) {
            return;
        }
        List<Prefix> peers = new ArrayList<>();
        for (NodeSpec other : spec.nodes()) {
            if (e.isMember(other.name()) && !other.name().equals(self.name())) {
                other.privateV4().ifPresent(peers::add);
            }
        }
        if (!peers.isEmpty()) {
            out.add(new Allowance(
                    "etcd.peers",
                    family,
                    Kind.TCP,
                    List.of(PortRange.of(e.peerPort())),
                    List.of(),
                    spec.interfaces().privateName(),
                    peers));
        }
        add(
                out,
                "etcd.clients",
                family,
                Kind.TCP,
                List.of(PortRange.of(e.clientPort())),
                List.of(),
                Optional.empty(),
                e.clientsFrom());
    }

    private void add(
            List<Allowance> out,
            String entry,
            IpFamily family,
            Kind kind,
            List<PortRange> ports,
            List<PortRange> sourcePorts,
            Optional<String> iface,
            List<SourceRef> from) {
        List<Prefix> sources = sources(from, family);
        if (!sources.isEmpty()) {
            out.add(new Allowance(entry, family, kind, ports, sourcePorts, iface, sources));
        }
    }

    /** The addresses of family {@code family} that a {@code from:} list names. */
    private List<Prefix> sources(List<SourceRef> from, IpFamily family) {
        List<Prefix> out = new ArrayList<>();
        for (SourceRef ref : from) {
            if (ref.prefix().isPresent()) {
                out.add(ref.prefix().get());
            } else if (ref.text().equals(SourceRef.ANY)) {
                out.add(Prefix.any(family));
            } else if (ref.text().equals(SourceRef.CLUSTER)) {
                for (NodeSpec n : spec.nodes()) {
                    out.addAll(n.addresses());
                }
            } else {
                for (SourceRef member : spec.sources().getOrDefault(ref.text(), List.of())) {
                    member.prefix().ifPresent(out::add);
                }
            }
        }
        out.removeIf(p -> p.family() != family);
        return out;
    }

    private NodeSpec node(String name) {
        NodeSpec n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + name + "' in " + spec.file());
        }
        return n;
    }
}
