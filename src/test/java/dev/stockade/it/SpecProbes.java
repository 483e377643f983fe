package dev.stockade.it;

import dev.stockade.intent.Allowance;
import dev.stockade.intent.Connection;
import dev.stockade.intent.Connection.Kind;
import dev.stockade.intent.SpecIntent;
import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.ServiceSpec;
import dev.stockade.spec.SourceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The probes {@link RandomSpecKernelIT} sends to one node over one family: new connections chosen at
 * the boundaries of the spec's address sets and ports.
 *
 * <p>Sources: both ends of every prefix the spec names (groups, literal {@code from} entries, node
 * addresses) and the addresses just outside them, one address inside, every node address, addresses of
 * no node, and for IPv6 link-local addresses (fe80::/10, the DHCPv6 reply's source) - all inside the
 * lab's ranges. Ports: both ends of every listed port or range and the ports just outside, the SSH and
 * etcd ports (also when closed), 546/547 and ports nobody listed. Source ports: fresh ones, and 546,
 * 547 and 548 where the spec speaks of source ports (DHCPv6) and at random. Interfaces: every
 * interface of the node, the spec's roles and one more.
 *
 * <p>For each entry {@link SpecIntent#allowances} lists for the node, and then for the entries it
 * lists for the other nodes (a service restricted to other nodes, etcd on the members: they must stay
 * closed here), probes go to the edges of its sources and from every node address (with a port it
 * opens), to the edges of its ports and source ports (from a source it admits), to every interface,
 * and as the other protocols. The SSH and etcd ports get probes whatever the spec says of them, and
 * random combinations of everything above fill up to at least {@link #MIN_PER_FAMILY}. The spec's own
 * lists, not only the reference's description, feed the boundaries, so an entry the reference forgot
 * still gets probed.
 */
final class SpecProbes {

    /** Fewest probes per node and family. */
    static final int MIN_PER_FAMILY = 120;
    /** Most probes per node and family (the lab tells packets apart by their length, 100 to 1499 bytes). */
    static final int MAX_PER_FAMILY = 500;
    /** Most probes aimed at the node's own entries, at other nodes' entries, and at random. */
    private static final int OWN_ENTRIES = 300;

    private static final int OTHER_ENTRIES = 120;
    private static final int RANDOM = 60;

    private static final List<Prefix> LAB = List.of(
            Prefix.parse("10.250.0.0/16"),
            Prefix.parse("192.0.2.0/24"),
            Prefix.parse("198.51.100.0/24"),
            Prefix.parse("203.0.113.0/24"),
            Prefix.parse("2001:db8::/32"));
    /** The link-local sources, held by the sender on every interface: the ends of fe80::/10 and a few inside. */
    static final List<Prefix> LINK_LOCAL = List.of(
            Prefix.parse("fe80::"),
            Prefix.parse("fe80::547"),
            Prefix.parse("fe80::ffff:ffff:ffff:ffff"),
            Prefix.parse("fe80:0:0:1::1"),
            Prefix.parse("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));

    private static final int[] SPECIAL_SOURCE_PORTS = {546, 547, 548, 1, 65535};
    private static final List<Kind> KINDS = List.of(Kind.TCP, Kind.UDP, Kind.PING);

    /**
     * One probe: the connection asked about, and the identifier that tells its packet apart on the wire.
     *
     * @param wire the packet's source port (TCP, UDP) or echo identifier (ping)
     */
    record SpecProbe(Connection connection, int wire) {

        String describe() {
            Connection c = connection;
            String src = c.source().address();
            String from = (c.family() == IpFamily.V6 ? "[" + src + "]" : src) + ":" + c.sourcePort();
            return switch (c.kind()) {
                case PING -> "echo request from " + src + " (id " + wire + ") in " + c.inInterface();
                case TCP -> "tcp SYN from " + from + " to port " + c.port() + " in " + c.inInterface();
                case UDP -> "udp datagram from " + from + " to port " + c.port() + " in " + c.inInterface();
            };
        }
    }

    /** The boundaries of one spec, shared by its nodes. */
    static final class Pools {
        final ClusterSpec spec;
        final List<Prefix> v4;
        final List<Prefix> v6;
        final List<Integer> ports;
        /** The SSH port and etcd's ports: probed on every node whatever the spec says of them. */
        final List<Integer> fixedPorts;

        private int nextWire;

        private Pools(ClusterSpec spec, List<Prefix> v4, List<Prefix> v6, List<Integer> ports, int firstWire) {
            this.spec = spec;
            this.v4 = v4;
            this.v6 = v6;
            this.ports = ports;
            List<Integer> fixed = new ArrayList<>(List.of(spec.ssh().port()));
            spec.etcd().ifPresent(e -> fixed.addAll(List.of(e.clientPort(), e.peerPort())));
            this.fixedPorts = List.copyOf(fixed);
            this.nextWire = firstWire;
        }

        List<Prefix> sources(IpFamily family) {
            return family == IpFamily.V4 ? v4 : v6;
        }

        /** A source port or echo identifier not used before in this spec (10000-59999). */
        int freshWire() {
            int wire = 10000 + nextWire++ % 50000;
            return wire;
        }
    }

    private final SpecIntent intent;
    private final Pools pools;
    private final Random r;

    private SpecProbes(SpecIntent intent, Pools pools, Random r) {
        this.intent = intent;
        this.pools = pools;
        this.r = r;
    }

    /**
     * The boundaries of {@code spec}: source addresses (never one of {@code reserved}, the addresses
     * probes are sent to) and ports.
     */
    static Pools pools(ClusterSpec spec, Collection<Prefix> reserved, Random r) {
        Set<Prefix> prefixes = new LinkedHashSet<>();
        // in the groups' order by name: the spec's map has no fixed order, and the draws below must repeat
        new TreeMap<>(spec.sources())
                .values()
                .forEach(refs -> refs.forEach(ref -> ref.prefix().ifPresent(prefixes::add)));
        List<SourceRef> refs = new ArrayList<>(spec.ssh().from());
        spec.etcd().ifPresent(e -> refs.addAll(e.clientsFrom()));
        spec.services().forEach(s -> refs.addAll(s.from()));
        refs.addAll(spec.icmp().pingFrom());
        refs.forEach(ref -> ref.prefix().ifPresent(prefixes::add));
        spec.nodes().forEach(n -> prefixes.addAll(n.addresses()));
        Set<Prefix> v4 = new TreeSet<>();
        Set<Prefix> v6 = new TreeSet<>();
        for (Prefix p : prefixes) {
            (p.family() == IpFamily.V4 ? v4 : v6).addAll(edges(p, r));
        }
        for (int i = 0; i < 3; i++) {
            v4.add(randomIn(LAB.get(r.nextInt(4)), r));
            v6.add(randomIn(LAB.get(4), r));
        }
        v4.removeIf(a -> !inLab(a) || reserved.contains(a));
        v6.removeIf(a -> !inLab(a) || reserved.contains(a));
        v6.addAll(LINK_LOCAL);
        return new Pools(spec, List.copyOf(v4), List.copyOf(v6), ports(spec, r), r.nextInt(50000));
    }

    /** Both ends of every port range the spec lists and the ports just outside, the fixed ports, and unlisted ones. */
    private static List<Integer> ports(ClusterSpec spec, Random r) {
        List<PortRange> ranges = new ArrayList<>();
        ranges.add(PortRange.of(spec.ssh().port()));
        spec.etcd().ifPresent(e -> {
            ranges.add(PortRange.of(e.clientPort()));
            ranges.add(PortRange.of(e.peerPort()));
        });
        for (ServiceSpec s : spec.services()) {
            ranges.addAll(s.ports());
        }
        ranges.add(PortRange.of(546));
        ranges.add(PortRange.of(547));
        Set<Integer> ports = new TreeSet<>(List.of(1, 65535));
        for (PortRange range : ranges) {
            ports.addAll(portEdges(range, r));
        }
        for (int i = 0, found = 0; i < 1000 && found < 4; i++) {
            int port = 1 + r.nextInt(65535);
            if (ranges.stream().noneMatch(range -> range.contains(port))) {
                ports.add(port);
                found++;
            }
        }
        return List.copyOf(ports);
    }

    /** The probes for {@code node} over {@code family}, arriving on one of {@code interfaces}. */
    static List<SpecProbe> probes(
            SpecIntent intent, NodeSpec node, IpFamily family, List<String> interfaces, Pools pools, Random r) {
        return new SpecProbes(intent, pools, r).node(node, family, interfaces);
    }

    private List<SpecProbe> node(NodeSpec node, IpFamily family, List<String> interfaces) {
        List<Prefix> sources = pools.sources(family);
        List<Prefix> nodeAddresses = new ArrayList<>();
        pools.spec
                .nodes()
                .forEach(n -> n.addresses().stream()
                        .filter(a -> a.family() == family && sources.contains(a))
                        .forEach(nodeAddresses::add));
        List<Allowance> own = intent.allowances(node.name(), family);
        Set<Allowance> others = new LinkedHashSet<>();
        pools.spec.nodes().forEach(n -> others.addAll(intent.allowances(n.name(), family)));
        others.removeAll(own);
        Set<String> seen = new HashSet<>();
        List<SpecProbe> out = new ArrayList<>();
        List<SpecProbe> targeted = new ArrayList<>();
        for (Allowance a : own) {
            entry(a, sources, nodeAddresses, interfaces, targeted);
        }
        take(targeted, OWN_ENTRIES, out, seen);
        targeted.clear();
        for (Allowance a : others) {
            entry(a, sources, nodeAddresses, interfaces, targeted);
        }
        take(targeted, OTHER_ENTRIES, out, seen);
        for (int port : pools.fixedPorts) {
            for (int i = 0; i < 4; i++) {
                add(out, seen, i < 3 ? Kind.TCP : Kind.UDP, pick(sources), port, 0, pick(interfaces));
            }
        }
        int want = Math.max(MIN_PER_FAMILY, Math.min(MAX_PER_FAMILY, out.size() + RANDOM));
        for (int attempt = 0; out.size() < want && attempt < 100 * MAX_PER_FAMILY; attempt++) {
            Kind kind = pick(KINDS);
            int sport = r.nextInt(100) < 15 ? SPECIAL_SOURCE_PORTS[r.nextInt(SPECIAL_SOURCE_PORTS.length)] : 0;
            int port = r.nextInt(100) < 80 ? pick(pools.ports) : 1 + r.nextInt(65535);
            add(out, seen, kind, pick(sources), port, sport, pick(interfaces));
        }
        return out;
    }

    /** Adds up to {@code most} of {@code candidates}, chosen at random, that are not there yet. */
    private void take(List<SpecProbe> candidates, int most, List<SpecProbe> out, Set<String> seen) {
        Collections.shuffle(candidates, r);
        int taken = 0;
        for (SpecProbe p : candidates) {
            if (taken >= most || out.size() >= MAX_PER_FAMILY) {
                return;
            }
            if (seen.add(key(p))) {
                out.add(p);
                taken++;
            }
        }
    }

    /**
     * The probes aimed at one entry (of this node or another): its sources' edges and every node
     * address (with a port it opens), its ports' edges and its source ports' edges (from a source it
     * admits), every interface, the other protocols.
     */
    private void entry(
            Allowance a,
            List<Prefix> sources,
            List<Prefix> nodeAddresses,
            List<String> interfaces,
            List<SpecProbe> out) {
        List<Prefix> inside = sources.stream()
                .filter(s -> a.sources().stream().anyMatch(p -> p.contains(s)))
                .toList();
        List<String> on = interfaces.stream()
                .filter(i -> a.inInterface()
                        .map(pattern -> Allowance.interfaceMatches(pattern, i))
                        .orElse(true))
                .toList();
        if (inside.isEmpty() || on.isEmpty()) {
            return; // nothing in the lab's ranges or on this node's interfaces gets in: the random probes cover it
        }
        List<Prefix> prefixes = new ArrayList<>(a.sources());
        Collections.shuffle(prefixes, r);
        for (Prefix p : prefixes.subList(0, Math.min(6, prefixes.size()))) {
            for (Prefix edge : edges(p, r)) {
                if (sources.contains(edge)) {
                    out.add(probe(a.kind(), edge, port(a), sport(a), pick(on)));
                }
            }
        }
        for (Prefix address : nodeAddresses) {
            out.add(probe(a.kind(), address, port(a), sport(a), pick(on)));
        }
        List<PortRange> ranges = new ArrayList<>(a.ports());
        Collections.shuffle(ranges, r);
        for (PortRange range : ranges.subList(0, Math.min(8, ranges.size()))) {
            for (int port : portEdges(range, r)) {
                out.add(probe(a.kind(), pick(inside), port, sport(a), pick(on)));
            }
        }
        for (String i : interfaces) {
            out.add(probe(a.kind(), pick(inside), port(a), sport(a), i));
        }
        for (Kind other : Kind.values()) {
            if (other != a.kind()) {
                out.add(probe(other, pick(inside), port(a), sport(a), pick(on)));
            }
        }
        for (PortRange range : a.sourcePorts()) {
            for (int sport : portEdges(range, r)) {
                out.add(probe(a.kind(), pick(inside), port(a), sport, pick(on)));
                out.add(probe(a.kind(), pick(sources), port(a), sport, pick(on)));
            }
        }
    }

    /** A port the entry opens (0 for ping). */
    private int port(Allowance a) {
        if (a.ports().isEmpty()) {
            return 0;
        }
        PortRange range = pick(a.ports());
        return range.from() + r.nextInt(range.to() - range.from() + 1);
    }

    /** A source port the entry accepts (0: a fresh one). */
    private int sport(Allowance a) {
        if (a.sourcePorts().isEmpty()) {
            return 0;
        }
        PortRange range = pick(a.sourcePorts());
        return range.from() + r.nextInt(range.to() - range.from() + 1);
    }

    /**
     * A probe; {@code sport} 0 takes a fresh source port (TCP, UDP), and ping always gets a fresh
     * identifier; {@code port} 0 (an entry without ports) takes one of the spec's ports.
     */
    private SpecProbe probe(Kind kind, Prefix src, int port, int sport, String iface) {
        boolean ping = kind == Kind.PING;
        int wire = ping || sport == 0 ? pools.freshWire() : sport;
        int dport = ping ? 0 : port == 0 ? pick(pools.ports) : port;
        return new SpecProbe(new Connection(src.family(), kind, dport, ping ? 0 : wire, iface, src), wire);
    }

    /** Adds a probe unless one with the same packet fields is there or the list is full. */
    private void add(List<SpecProbe> out, Set<String> seen, Kind kind, Prefix src, int port, int sport, String iface) {
        SpecProbe p = probe(kind, src, port, sport, iface);
        if (out.size() < MAX_PER_FAMILY && seen.add(key(p))) {
            out.add(p);
        }
    }

    /** What tells two probes' packets apart in the node's conntrack table (their destination is the same). */
    private static String key(SpecProbe p) {
        Connection c = p.connection();
        return c.kind() + " " + c.source() + " " + p.wire() + " " + c.port() + " " + c.inInterface();
    }

    // ------------------------------------------------------------------ address and port arithmetic

    /** The first and last address of {@code p}, the addresses just outside, and one inside. */
    static List<Prefix> edges(Prefix p, Random r) {
        Prefix first = host(p.family(), p.hi(), p.lo());
        Prefix last = last(p);
        List<Prefix> out = new ArrayList<>(List.of(first, last, randomIn(p, r)));
        step(first, -1).ifPresent(out::add);
        step(last, 1).ifPresent(out::add);
        return out;
    }

    /** A random address of {@code p}. */
    static Prefix randomIn(Prefix p, Random r) {
        if (p.family() == IpFamily.V4) {
            return host(IpFamily.V4, 0, p.lo() | (r.nextLong() & hostMask32(p.length())));
        }
        long[] mask = hostMask128(p.length());
        return host(IpFamily.V6, p.hi() | (r.nextLong() & mask[0]), p.lo() | (r.nextLong() & mask[1]));
    }

    static Prefix last(Prefix p) {
        if (p.family() == IpFamily.V4) {
            return host(IpFamily.V4, 0, p.lo() | hostMask32(p.length()));
        }
        long[] mask = hostMask128(p.length());
        return host(IpFamily.V6, p.hi() | mask[0], p.lo() | mask[1]);
    }

    /** The address {@code delta} (+1 or -1) from {@code a}, if there is one. */
    static Optional<Prefix> step(Prefix a, int delta) {
        if (a.family() == IpFamily.V4) {
            long v = a.lo() + delta;
            return v < 0 || v > 0xFFFF_FFFFL ? Optional.empty() : Optional.of(host(IpFamily.V4, 0, v));
        }
        long lo = a.lo() + delta;
        long hi = a.hi();
        if (delta > 0 && a.lo() == -1L) {
            if (hi == -1L) {
                return Optional.empty();
            }
            hi++;
        } else if (delta < 0 && a.lo() == 0) {
            if (hi == 0) {
                return Optional.empty();
            }
            hi--;
        }
        return Optional.of(host(IpFamily.V6, hi, lo));
    }

    private static long hostMask32(int length) {
        return (1L << (32 - length)) - 1;
    }

    /** The host bits of the high and the low half of an IPv6 address below {@code length}. */
    private static long[] hostMask128(int length) {
        long hi = length >= 64 ? 0 : length == 0 ? -1L : -1L >>> length;
        long lo = length <= 64 ? -1L : length == 128 ? 0 : -1L >>> (length - 64);
        return new long[] {hi, lo};
    }

    private static Prefix host(IpFamily family, long hi, long lo) {
        return new Prefix(family, hi, lo, family.bits());
    }

    static boolean inLab(Prefix address) {
        return LAB.stream().anyMatch(p -> p.contains(address));
    }

    /** The ends of {@code range}, the ports just outside (inside 1-65535), and one inside. */
    static List<Integer> portEdges(PortRange range, Random r) {
        List<Integer> out = new ArrayList<>(List.of(range.from(), range.to()));
        if (range.from() > 1) {
            out.add(range.from() - 1);
        }
        if (range.to() < 65535) {
            out.add(range.to() + 1);
        }
        if (range.to() - range.from() > 1) {
            out.add(range.from() + 1 + r.nextInt(range.to() - range.from() - 1));
        }
        return out;
    }

    private <T> T pick(List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
