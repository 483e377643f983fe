package dev.stockade.firewall;

import dev.stockade.iptables.Chain;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Matches;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
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
 * Compiles a node's share of the spec into an IPv4 and an IPv6 filter table.
 *
 * <p>Shape of every ruleset: policies DROP on INPUT and FORWARD (OUTPUT stays open), then loopback,
 * replies (ESTABLISHED,RELATED), INVALID dropped, the ICMP a host needs (for IPv6 also neighbour
 * discovery with hop limit 255, MLD and DHCPv6 replies from link-local addresses), and finally one
 * ACCEPT per opening, source and port group. Every rule carries a comment naming its spec entry.
 * Output is a pure function of the spec: the same spec always gives byte-identical files.
 */
public final class FirewallCompiler {

    private static final int[] ICMP4_ESSENTIAL = {0, 3, 11, 12};
    private static final String[] ICMP4_NAMES = {
        "echo-reply", "destination-unreachable", "time-exceeded", "parameter-problem"
    };
    private static final int[] ICMP6_ERRORS = {1, 2, 3, 4};
    private static final String[] ICMP6_ERROR_NAMES = {
        "destination-unreachable", "packet-too-big", "time-exceeded", "parameter-problem"
    };
    private static final int[] NDP = {133, 134, 135, 136};
    private static final String[] NDP_NAMES = {
        "router-solicitation", "router-advertisement", "neighbour-solicitation", "neighbour-advertisement"
    };
    private static final int[] MLD = {130, 131, 132, 143};
    private static final Prefix LINK_LOCAL = Prefix.parse("fe80::/10");

    private final ClusterSpec spec;
    private final SourceResolver resolver;

    private FirewallCompiler(ClusterSpec spec) {
        this.spec = spec;
        this.resolver = new SourceResolver(spec);
    }

    public static NodeFirewall compile(ClusterSpec spec, NodeSpec node) {
        return new FirewallCompiler(spec).node(node);
    }

    private NodeFirewall node(NodeSpec node) {
        List<String> provisional = new ArrayList<>();
        List<Opening> openings = openings(node, provisional);
        return new NodeFirewall(
                node.name(), ruleset(IpFamily.V4, openings), ruleset(IpFamily.V6, openings), openings, provisional);
    }

    /** What the spec opens on this node, in a fixed order: ping, SSH, etcd, services. */
    private List<Opening> openings(NodeSpec node, List<String> provisional) {
        List<Opening> out = new ArrayList<>();
        if (!spec.icmp().pingFrom().isEmpty()) {
            out.add(opening(
                    "icmp.ping",
                    "icmp",
                    List.of(),
                    Optional.empty(),
                    spec.icmp().pingFrom()));
        }
        if (spec.ssh().isOpen()) {
            out.add(opening(
                    "admin.ssh",
                    "tcp",
                    List.of(PortRange.of(spec.ssh().port())),
                    Optional.empty(),
                    spec.ssh().from()));
        }
        spec.etcd().ifPresent(e -> etcd(e, node, out, provisional));
        for (ServiceSpec s : spec.services()) {
            if (!s.runsOn(node.name())) {
                continue;
            }
            Optional<String> iface = s.on().flatMap(r -> spec.interfaces().name(r));
            for (Protocol p : Protocol.values()) {
                if (s.protocols().contains(p)) {
                    String label = "services." + s.name() + (s.protocols().size() > 1 ? "/" + p : "");
                    out.add(opening(label, p.keyword(), s.ports(), iface, s.from()));
                }
            }
            noteCluster(s.from(), "services." + s.name(), provisional);
        }
        return out;
    }

    private Opening opening(
            String label, String protocol, List<PortRange> ports, Optional<String> iface, List<SourceRef> from) {
        return new Opening(
                label,
                protocol,
                merge(ports),
                iface,
                resolver.resolve(from, IpFamily.V4),
                resolver.resolve(from, IpFamily.V6),
                sourcesName(from, label));
    }

    /** A {@code from:} list of one name ({@code cluster} or a group) is called that; any other by its opening. */
    private static String sourcesName(List<SourceRef> from, String label) {
        return from.size() == 1 && (from.get(0).isCluster() || from.get(0).isGroup())
                ? from.get(0).text()
                : label;
    }

    private void etcd(EtcdSpec e, NodeSpec node, List<Opening> out, List<String> provisional) {
        if (!e.isMember(node.name())) {
            return;
        }
        List<Prefix> peers = new ArrayList<>();
        for (NodeSpec other : spec.etcdMembers()) {
            if (other.name().equals(node.name())) {
                continue;
            }
            other.privateV4()
                    .ifPresentOrElse(
                            peers::add,
                            () -> provisional.add("etcd peer access from " + other.name()
                                    + " is not opened: its private address is unknown (set it and build again)"));
        }
        Optional<String> priv = spec.interfaces().privateName();
        out.add(new Opening(
                "etcd.peers",
                "tcp",
                List.of(PortRange.of(e.peerPort())),
                priv,
                new Sources(IpFamily.V4, peers),
                new Sources(IpFamily.V6, List.of()),
                "etcd.peers"));
        Sources clients = resolver.resolve(e.clientsFrom(), IpFamily.V4);
        out.add(new Opening(
                "etcd.clients",
                "tcp",
                List.of(PortRange.of(e.clientPort())),
                Optional.empty(),
                clients,
                new Sources(IpFamily.V6, List.of()),
                sourcesName(e.clientsFrom(), "etcd.clients")));
        noteCluster(e.clientsFrom(), "etcd.clients_from", provisional);
    }

    private void noteCluster(List<SourceRef> refs, String where, List<String> provisional) {
        for (String missing : resolver.unresolvedClusterMembers(refs)) {
            provisional.add(where + ": 'cluster' does not include " + missing + " yet (no addresses known)");
        }
    }

    private Ruleset ruleset(IpFamily family, List<Opening> openings) {
        List<Rule> rules = new ArrayList<>();
        base(family, rules);
        for (Opening o : openings) {
            for (Prefix src : o.sources(family).prefixes()) {
                emit(family, o, src, rules);
            }
        }
        List<Chain> chains = List.of(
                Chain.builtin("INPUT", "DROP"), Chain.builtin("FORWARD", "DROP"), Chain.builtin("OUTPUT", "ACCEPT"));
        return new Ruleset(family, List.of(new Table("filter", chains, rules)));
    }

    private static void base(IpFamily family, List<Rule> rules) {
        rules.add(rule(null, Optional.of("lo"), null, List.of(), "base: loopback", "ACCEPT"));
        rules.add(rule(
                null,
                Optional.empty(),
                null,
                List.of(Matches.conntrack("RELATED", "ESTABLISHED")),
                "base: replies",
                "ACCEPT"));
        rules.add(rule(null, Optional.empty(), null, List.of(Matches.conntrack("INVALID")), "base: invalid", "DROP"));
        if (family == IpFamily.V4) {
            for (int i = 0; i < ICMP4_ESSENTIAL.length; i++) {
                rules.add(rule(
                        null,
                        Optional.empty(),
                        "icmp",
                        List.of(Matches.icmp(ICMP4_ESSENTIAL[i])),
                        "icmp: " + ICMP4_NAMES[i],
                        "ACCEPT"));
            }
            return;
        }
        for (int i = 0; i < ICMP6_ERRORS.length; i++) {
            rules.add(rule(
                    null,
                    Optional.empty(),
                    "ipv6-icmp",
                    List.of(Matches.icmp6(ICMP6_ERRORS[i])),
                    "icmp: " + ICMP6_ERROR_NAMES[i],
                    "ACCEPT"));
        }
        for (int i = 0; i < NDP.length; i++) {
            rules.add(rule(
                    null,
                    Optional.empty(),
                    "ipv6-icmp",
                    List.of(Matches.icmp6(NDP[i]), Matches.hopLimit(255)),
                    "ndp: " + NDP_NAMES[i],
                    "ACCEPT"));
        }
        for (int type : MLD) {
            rules.add(rule(
                    LINK_LOCAL,
                    Optional.empty(),
                    "ipv6-icmp",
                    List.of(Matches.icmp6(type)),
                    "mld: type " + type,
                    "ACCEPT"));
        }
        rules.add(rule(
                LINK_LOCAL,
                Optional.empty(),
                "udp",
                List.of(Matches.ports("udp", PortRange.of(547), PortRange.of(546))),
                "base: dhcpv6-client",
                "ACCEPT"));
    }

    private static void emit(IpFamily family, Opening o, Prefix src, List<Rule> rules) {
        Prefix source = src.length() == 0 ? null : src;
        if (o.protocol().equals("icmp")) {
            Match echo = family == IpFamily.V4 ? Matches.icmp(8) : Matches.icmp6(128);
            rules.add(rule(
                    source,
                    o.inInterface(),
                    family == IpFamily.V4 ? "icmp" : "ipv6-icmp",
                    List.of(echo),
                    o.label(),
                    "ACCEPT"));
            return;
        }
        for (List<PortRange> group : portGroups(o.ports())) {
            Match ports =
                    group.size() == 1 ? Matches.ports(o.protocol(), null, group.get(0)) : Matches.multiport(group);
            rules.add(rule(source, o.inInterface(), o.protocol(), List.of(ports), o.label(), "ACCEPT"));
        }
    }

    /** Sorted, merged ports split into groups that fit one multiport match. */
    static List<List<PortRange>> portGroups(List<PortRange> ports) {
        List<PortRange> merged = merge(ports);
        List<List<PortRange>> groups = new ArrayList<>();
        List<PortRange> current = new ArrayList<>();
        for (PortRange p : merged) {
            List<PortRange> next = new ArrayList<>(current);
            next.add(p);
            if (Matches.slots(next) > Matches.MULTIPORT_SLOTS) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(p);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Sorts ranges and joins overlapping or adjacent ones. */
    static List<PortRange> merge(List<PortRange> ports) {
        List<PortRange> sorted = new ArrayList<>(ports);
        sorted.sort(null);
        List<PortRange> out = new ArrayList<>();
        for (PortRange p : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).to() + 1 >= p.from()) {
                PortRange last = out.remove(out.size() - 1);
                out.add(new PortRange(last.from(), Math.max(last.to(), p.to())));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** A rule in iptables-save's order: -s, -i, -p, the modules, the comment, the target. */
    private static Rule rule(
            Prefix source,
            Optional<String> iface,
            String protocol,
            List<Match> matches,
            String comment,
            String target) {
        List<Match> all = new ArrayList<>();
        if (source != null) {
            all.add(Matches.source(source));
        }
        iface.ifPresent(i -> all.add(Matches.in(i)));
        if (protocol != null) {
            all.add(Matches.protocol(protocol));
        }
        all.addAll(matches);
        all.add(Matches.comment(comment));
        return Rule.of("INPUT", all, Target.jump(target));
    }
}
