package dev.stockade.firewall;

import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.nftables.NftChain;
import dev.stockade.nftables.NftExpr;
import dev.stockade.nftables.NftExpr.AnonSet;
import dev.stockade.nftables.NftExpr.Ct;
import dev.stockade.nftables.NftExpr.Meta;
import dev.stockade.nftables.NftExpr.Payload;
import dev.stockade.nftables.NftExpr.PrefixValue;
import dev.stockade.nftables.NftExpr.Range;
import dev.stockade.nftables.NftExpr.SetRef;
import dev.stockade.nftables.NftExpr.Value;
import dev.stockade.nftables.NftRule;
import dev.stockade.nftables.NftSet;
import dev.stockade.nftables.NftStatement;
import dev.stockade.nftables.NftStatement.Match;
import dev.stockade.nftables.NftStatement.Verdict;
import dev.stockade.nftables.NftTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a node's openings into one nftables table, {@code inet stockade}, for both families.
 *
 * <p>The policy is the iptables output's ({@link FirewallCompiler}), rule for rule in meaning:
 * base chains {@code input} and {@code forward} with policy drop (output has no chain, so it stays
 * open), then loopback, replies, INVALID dropped, the ICMP a host needs (for IPv6 also neighbour
 * discovery with hop limit 255, MLD and DHCPv6 replies from link-local addresses), then one accept
 * per opening and family. What nftables adds: a source list of more than one prefix is a named
 * interval set (one per distinct list, named after the first opening that uses it) matched by one
 * lookup, and several port ranges are one anonymous set, so a node's rules grow with the number of
 * openings and its sets with the cluster, never with their product. An opening open to everyone in
 * both families is one rule for both.
 *
 * <p>Only this table is Stockade's: the file replaces it and nothing else ({@code NftWriter.replacing}),
 * so tables of other tools (a container engine's, iptables-nft's) stay. Note that a packet must be
 * accepted by every base chain on a hook: Stockade's drop policy also drops what another table
 * accepts, as the iptables output's INPUT policy does.
 */
public final class NftCompiler {

    /** The table every Stockade nftables file defines. */
    public static final String FAMILY = "inet";

    public static final String TABLE = "stockade";

    private static final List<String> ICMP4_ESSENTIAL =
            List.of("echo-reply", "destination-unreachable", "time-exceeded", "parameter-problem");
    private static final List<String> ICMP6_ERRORS =
            List.of("destination-unreachable", "packet-too-big", "time-exceeded", "parameter-problem");
    private static final List<String> NDP =
            List.of("nd-router-solicit", "nd-router-advert", "nd-neighbor-solicit", "nd-neighbor-advert");
    private static final List<String> MLD =
            List.of("mld-listener-query", "mld-listener-report", "mld-listener-done", "mld2-listener-report");
    private static final NftExpr LINK_LOCAL = new PrefixValue("fe80::", 10);

    /** Per distinct source list (family and prefixes), its set; in order of first use. */
    private final Map<List<Prefix>, NftSet> sets = new LinkedHashMap<>();

    private NftCompiler() {}

    /** The node's table. A pure function of the openings: the same openings give an equal table. */
    public static NftTable compile(NodeFirewall firewall) {
        return new NftCompiler().table(firewall.openings());
    }

    private NftTable table(List<Opening> openings) {
        List<NftRule> input = new ArrayList<>(base());
        for (Opening o : openings) {
            opening(o, input);
        }
        List<NftChain> chains = List.of(
                NftChain.base("input", new NftChain.Hook("filter", "input", 0, "drop"), input),
                NftChain.base("forward", new NftChain.Hook("filter", "forward", 0, "drop"), List.of()));
        return new NftTable(FAMILY, TABLE, List.copyOf(sets.values()), chains);
    }

    private static List<NftRule> base() {
        List<NftRule> r = new ArrayList<>();
        r.add(rule("base: loopback", eq(new Meta("iif"), Value.string("lo")), accept()));
        r.add(rule(
                "base: replies",
                eq(new Ct("state"), new AnonSet(List.of(Value.of("established"), Value.of("related")))),
                accept()));
        r.add(rule("base: invalid", eq(new Ct("state"), Value.of("invalid")), Verdict.of("drop")));
        r.add(rule("icmp: essential", eq(new Payload("icmp", "type"), names(ICMP4_ESSENTIAL)), accept()));
        r.add(rule("icmp: essential", eq(new Payload("icmpv6", "type"), names(ICMP6_ERRORS)), accept()));
        r.add(rule(
                "ndp",
                eq(new Payload("icmpv6", "type"), names(NDP)),
                eq(new Payload("ip6", "hoplimit"), Value.of(255)),
                accept()));
        r.add(rule(
                "mld",
                eq(new Payload("ip6", "saddr"), LINK_LOCAL),
                eq(new Payload("icmpv6", "type"), names(MLD)),
                accept()));
        r.add(rule(
                "base: dhcpv6-client",
                eq(new Payload("ip6", "saddr"), LINK_LOCAL),
                eq(new Payload("udp", "sport"), Value.of(547)),
                eq(new Payload("udp", "dport"), Value.of(546)),
                accept()));
        return r;
    }

    private void opening(Opening o, List<NftRule> out) {
        boolean ping = o.protocol().equals("icmp");
        if (!ping && o.v4().isAny() && o.v6().isAny()) {
            out.add(openingRule(o, null, Optional.empty()));
            return;
        }
        for (IpFamily family : IpFamily.values()) {
            Sources s = o.sources(family);
            if (s.isEmpty()) {
                continue;
            }
            Optional<NftStatement> from;
            if (!s.isAny()) {
                from = Optional.of(
                        eq(new Payload(family == IpFamily.V4 ? "ip" : "ip6", "saddr"), sources(o.sourcesName(), s)));
            } else if (ping) {
                from = Optional.empty(); // the ICMP type below names the family
            } else {
                from = Optional.of(eq(new Meta("nfproto"), Value.of(family == IpFamily.V4 ? "ipv4" : "ipv6")));
            }
            out.add(openingRule(o, family, from));
        }
    }

    /** {@code family} is null for a rule that serves both families. */
    private static NftRule openingRule(Opening o, IpFamily family, Optional<NftStatement> from) {
        List<NftStatement> st = new ArrayList<>();
        // '+' alone names every interface; nft refuses an all-wildcard "*", and needs no match for it
        o.inInterface()
                .filter(i -> !i.equals("+"))
                .ifPresent(i -> st.add(eq(new Meta("iifname"), Value.string(nftInterface(i)))));
        from.ifPresent(st::add);
        if (o.protocol().equals("icmp")) {
            st.add(eq(new Payload(family == IpFamily.V4 ? "icmp" : "icmpv6", "type"), Value.of("echo-request")));
        } else {
            st.add(eq(new Payload(o.protocol(), "dport"), ports(o.ports())));
        }
        st.add(accept());
        return NftRule.of(st, o.label());
    }

    /** One prefix inline; several as the named set of that list. */
    private NftExpr sources(String name, Sources s) {
        if (s.prefixes().size() == 1) {
            return element(s.prefixes().get(0));
        }
        NftSet set = sets.computeIfAbsent(
                s.prefixes(),
                k -> new NftSet(
                        setName(name, s.family()),
                        s.family() == IpFamily.V4 ? "ipv4_addr" : "ipv6_addr",
                        List.of("interval"),
                        k.stream().map(NftCompiler::element).toList()));
        return new SetRef(set.name());
    }

    private String setName(String sourcesName, IpFamily family) {
        String base = sourcesName.replaceAll("[^A-Za-z0-9]+", "_") + (family == IpFamily.V4 ? "_v4" : "_v6");
        String name = base;
        for (int i = 2; taken(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private boolean taken(String name) {
        return sets.values().stream().anyMatch(s -> s.name().equals(name));
    }

    private static NftExpr element(Prefix p) {
        return p.isHost() ? Value.of(p.address()) : new PrefixValue(p.address(), p.length());
    }

    private static NftExpr ports(List<PortRange> ports) {
        List<NftExpr> elements = ports.stream().map(NftCompiler::port).toList();
        return elements.size() == 1 ? elements.get(0) : new AnonSet(elements);
    }

    private static NftExpr port(PortRange p) {
        return p.from() == p.to() ? Value.of(p.from()) : new Range(Value.of(p.from()), Value.of(p.to()));
    }

    /** iptables' trailing {@code +} wildcard is nft's {@code *}. */
    static String nftInterface(String name) {
        return name.endsWith("+") ? name.substring(0, name.length() - 1) + "*" : name;
    }

    private static AnonSet names(List<String> names) {
        return new AnonSet(
                names.stream().map(Value::of).map(NftExpr.class::cast).toList());
    }

    private static Match eq(NftExpr left, NftExpr right) {
        return Match.eq(left, right);
    }

    private static Verdict accept() {
        return Verdict.of("accept");
    }

    private static NftRule rule(String comment, NftStatement... statements) {
        return NftRule.of(List.of(statements), comment);
    }
}
