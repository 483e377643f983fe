package dev.stockade.nftables;

import dev.stockade.iptables.Match;
import dev.stockade.iptables.Option;
import dev.stockade.net.IpFamily;
import dev.stockade.net.IpProtocol;
import dev.stockade.net.Prefix;
import dev.stockade.net.PrefixSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One nftables match as iptables-model conditions for one family: a disjunction of conjunctions
 * ({@link Cond}), since some nft matches ({@code iifname { a, b }}, {@code meta l4proto { tcp, udp
 * }}, {@code icmp type { ... }}) have no single iptables match and become one rule per element.
 * The dependencies nft adds by itself and hides in listings are put back: {@code ip saddr} in an
 * inet table matches IPv4 packets only, {@code tcp dport} TCP packets only, and a header field of
 * the transport never matches a later fragment. A match Stockade does not model is a {@code -m
 * nft} condition the analysis reads both ways.
 */
final class NftMatches {

    /** Alternatives, each a list of matches that must all hold; no alternative: never matches. */
    record Cond(List<List<Match>> alternatives) {
        static final Cond ALWAYS = new Cond(List.of(List.of()));
        static final Cond NEVER = new Cond(List.of());

        static Cond of(Match... all) {
            return new Cond(List.of(List.of(all)));
        }

        static Cond of(List<Match> all) {
            return new Cond(List.of(List.copyOf(all)));
        }

        /** Both: every alternative of one with every alternative of the other. */
        Cond and(Cond other) {
            List<List<Match>> out = new ArrayList<>();
            for (List<Match> a : alternatives) {
                for (List<Match> b : other.alternatives) {
                    List<Match> both = new ArrayList<>(a);
                    both.addAll(b);
                    out.add(both);
                }
            }
            return new Cond(out);
        }
    }

    /** nft's ICMP type names (nft(8) data types, icmp_type). */
    private static final Map<String, Integer> ICMP = Map.ofEntries(
            Map.entry("echo-reply", 0),
            Map.entry("destination-unreachable", 3),
            Map.entry("source-quench", 4),
            Map.entry("redirect", 5),
            Map.entry("echo-request", 8),
            Map.entry("router-advertisement", 9),
            Map.entry("router-solicitation", 10),
            Map.entry("time-exceeded", 11),
            Map.entry("parameter-problem", 12),
            Map.entry("timestamp-request", 13),
            Map.entry("timestamp-reply", 14),
            Map.entry("info-request", 15),
            Map.entry("info-reply", 16),
            Map.entry("address-mask-request", 17),
            Map.entry("address-mask-reply", 18));

    /** nft's ICMPv6 type names (nft(8) data types, icmpv6_type). */
    private static final Map<String, Integer> ICMPV6 = Map.ofEntries(
            Map.entry("destination-unreachable", 1),
            Map.entry("packet-too-big", 2),
            Map.entry("time-exceeded", 3),
            Map.entry("parameter-problem", 4),
            Map.entry("echo-request", 128),
            Map.entry("echo-reply", 129),
            Map.entry("mld-listener-query", 130),
            Map.entry("mld-listener-report", 131),
            Map.entry("mld-listener-done", 132),
            Map.entry("mld-listener-reduction", 132),
            Map.entry("nd-router-solicit", 133),
            Map.entry("nd-router-advert", 134),
            Map.entry("nd-neighbor-solicit", 135),
            Map.entry("nd-neighbor-advert", 136),
            Map.entry("nd-redirect", 137),
            Map.entry("router-renumbering", 138),
            Map.entry("ind-neighbor-solicit", 141),
            Map.entry("ind-neighbor-advert", 142),
            Map.entry("mld2-listener-report", 143));

    /** Transport protocols whose ports the analysis models, for {@code th dport}. */
    private static final List<String> PORT_PROTOCOLS = List.of("tcp", "udp", "udplite", "sctp");

    private final IpFamily family;
    private final NftTable table;

    NftMatches(IpFamily family, NftTable table) {
        this.family = family;
        this.table = table;
    }

    /** A condition Stockade does not model, named by its nft text. */
    static Match unknown(String text) {
        return new Match.Module("nft", List.of(new Option("match", false, List.of(text))));
    }

    private static Cond unknownCond(NftStatement.Match m) {
        return Cond.of(unknown(m.text()));
    }

    Cond convert(NftStatement.Match m) {
        NftExpr left = m.left();
        boolean neg = m.op().equals("!=");
        boolean eqOrNe = m.op().equals("==") || neg;
        if (left instanceof NftExpr.Meta) {
            String key = ((NftExpr.Meta) left).key();
            switch (key) {
                case "iif":
                case "iifname":
                case "oif":
                case "oifname":
                    return eqOrNe ? iface(key.startsWith("i"), neg, m) : unknownCond(m);
                case "l4proto":
                    return eqOrNe ? protocol(neg, m, true) : unknownCond(m);
                case "nfproto":
                    return eqOrNe ? nfproto(neg, m) : unknownCond(m);
                default:
                    return unknownCond(m);
            }
        }
        if (left instanceof NftExpr.Ct) {
            String key = ((NftExpr.Ct) left).key();
            return key.equals("state") && eqOrNe ? ctState(neg, m) : unknownCond(m);
        }
        if (!(left instanceof NftExpr.Payload)) {
            return unknownCond(m);
        }
        NftExpr.Payload p = (NftExpr.Payload) left;
        Optional<IpFamily> only = familyOf(p.protocol());
        if (only.isPresent() && only.get() != family) {
            return Cond.NEVER; // nft's implied 'meta nfproto' dependency
        }
        String key = p.protocol() + " " + p.field();
        switch (key) {
            case "ip saddr":
            case "ip6 saddr":
                return eqOrNe ? address(true, neg, m) : unknownCond(m);
            case "ip daddr":
            case "ip6 daddr":
                return eqOrNe ? address(false, neg, m) : unknownCond(m);
            case "ip protocol":
            case "ip6 nexthdr":
                return eqOrNe ? protocol(neg, m, false) : unknownCond(m);
            case "ip ttl":
                return hops("ttl", m);
            case "ip6 hoplimit":
                return hops("hl", m);
            case "icmp type":
            case "icmpv6 type":
                return eqOrNe ? icmp(p.protocol().equals("icmpv6"), neg, m) : unknownCond(m);
            default:
                break;
        }
        boolean port = p.field().equals("dport") || p.field().equals("sport");
        if (port && (PORT_PROTOCOLS.contains(p.protocol()) || p.protocol().equals("th"))) {
            return ports(p.protocol(), p.field().equals("dport"), m);
        }
        return unknownCond(m);
    }

    /** The family a header's protocol implies, if it implies one. */
    static Optional<IpFamily> familyOf(String protocol) {
        switch (protocol) {
            case "ip":
            case "icmp":
            case "igmp":
                return Optional.of(IpFamily.V4);
            case "ip6":
            case "icmpv6":
                return Optional.of(IpFamily.V6);
            default:
                return Optional.empty();
        }
    }

    /** The elements of the right side: a set's elements, an anonymous set's, or the one value. */
    private Optional<List<NftExpr>> elements(NftExpr right) {
        if (right instanceof NftExpr.AnonSet) {
            return Optional.of(((NftExpr.AnonSet) right).elements());
        }
        if (right instanceof NftExpr.SetRef) {
            return table.set(((NftExpr.SetRef) right).name()).map(NftSet::elements);
        }
        return Optional.of(List.of(right));
    }

    private static Optional<String> text(NftExpr e) {
        return e instanceof NftExpr.Value ? Optional.of(((NftExpr.Value) e).text()) : Optional.empty();
    }

    /** {@code iifname "eth*"}: nft's trailing {@code *} is iptables' {@code +}; {@code \*} is a star. */
    private Cond iface(boolean input, boolean neg, NftStatement.Match m) {
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<Match> names = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<String> t = text(e);
            if (t.isEmpty() || t.get().isEmpty()) {
                return unknownCond(m);
            }
            String name = t.get();
            if (name.endsWith("\\*")) {
                name = name.substring(0, name.length() - 2) + "*";
            } else if (name.endsWith("*")) {
                name = name.substring(0, name.length() - 1) + "+";
            }
            if (name.indexOf('\\') >= 0 || name.indexOf('*') >= 0 && !name.endsWith("*")) {
                return unknownCond(m);
            }
            names.add(new Match.Interface(input, neg, name));
        }
        return neg ? Cond.of(names) : oneOf(names);
    }

    private static Cond oneOf(List<Match> each) {
        List<List<Match>> out = new ArrayList<>();
        each.forEach(x -> out.add(List.of(x)));
        return new Cond(out);
    }

    private Cond protocol(boolean neg, NftStatement.Match m, boolean meta) {
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<Match> each = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<String> name = text(e).map(NftMatches::protocolName);
            if (name.isEmpty()) {
                return unknownCond(m);
            }
            each.add(new Match.Protocol(neg, name.get()));
        }
        return neg ? Cond.of(each) : oneOf(each);
    }

    /** A protocol as {@code iptables -p} names it; empty for 0 (which iptables reads as every protocol) or unknown. */
    private static String protocolName(String nft) {
        String name = nft.equals("icmpv6") ? "ipv6-icmp" : nft;
        OptionalInt n = IpProtocol.number(name);
        if (n.isEmpty() || n.getAsInt() == 0) {
            return null;
        }
        return IpProtocol.of(n.getAsInt()).map(IpProtocol::name).orElse(Integer.toString(n.getAsInt()));
    }

    private Cond nfproto(boolean neg, NftStatement.Match m) {
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        boolean mine = false;
        for (NftExpr e : elements.get()) {
            Optional<String> t = text(e);
            if (t.isEmpty() || !(t.get().equals("ipv4") || t.get().equals("ipv6"))) {
                return unknownCond(m);
            }
            mine |= t.get().equals(family == IpFamily.V4 ? "ipv4" : "ipv6");
        }
        return mine != neg ? Cond.ALWAYS : Cond.NEVER;
    }

    private Cond ctState(boolean neg, NftStatement.Match m) {
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<String> states = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<String> t = text(e);
            if (t.isEmpty()
                    || !List.of("new", "established", "related", "invalid", "untracked")
                            .contains(t.get())) {
                return unknownCond(m);
            }
            states.add(t.get().toUpperCase(java.util.Locale.ROOT));
        }
        return Cond.of(new Match.Module(
                "conntrack", List.of(new Option("ctstate", neg, List.of(String.join(",", states))))));
    }

    /** An address, prefix, range or set of them; a single prefix stays {@code -s}/{@code -d}. */
    private Cond address(boolean source, boolean neg, NftStatement.Match m) {
        if (m.right() instanceof NftExpr.Value || m.right() instanceof NftExpr.PrefixValue) {
            Optional<List<Prefix>> one = prefixes(m.right());
            if (one.isEmpty() || one.get().size() != 1) {
                return unknownCond(m);
            }
            return Cond.of(new Match.Address(source, neg, one.get().get(0)));
        }
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<Prefix> members = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<List<Prefix>> p = prefixes(e);
            if (p.isEmpty()) {
                return unknownCond(m);
            }
            members.addAll(p.get());
        }
        String name = m.right() instanceof NftExpr.SetRef
                ? ((NftExpr.SetRef) m.right()).name()
                : m.right().text();
        return Cond.of(new Match.AddressSet(source, neg, name, PrefixSets.aggregate(members)));
    }

    private Optional<List<Prefix>> prefixes(NftExpr e) {
        try {
            if (e instanceof NftExpr.Value) {
                Prefix p = Prefix.parse(((NftExpr.Value) e).text());
                return p.family() == family ? Optional.of(List.of(p)) : Optional.empty();
            }
            if (e instanceof NftExpr.PrefixValue) {
                NftExpr.PrefixValue pv = (NftExpr.PrefixValue) e;
                Prefix p = Prefix.parseIptables(pv.address() + "/" + pv.length());
                return p.family() == family ? Optional.of(List.of(p)) : Optional.empty();
            }
            if (e instanceof NftExpr.Range) {
                NftExpr.Range r = (NftExpr.Range) e;
                Optional<String> a = text(r.from());
                Optional<String> b = text(r.to());
                if (a.isEmpty() || b.isEmpty()) {
                    return Optional.empty();
                }
                Prefix lo = Prefix.parse(a.get());
                Prefix hi = Prefix.parse(b.get());
                if (lo.family() != family || hi.family() != family || lo.compareTo(hi) > 0) {
                    return Optional.empty();
                }
                return Optional.of(PrefixSets.ofRange(lo, hi));
            }
        } catch (IllegalArgumentException ex) { // AddressFormatException too {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Ports as a multiport list ({@code 22,1000:2000}); empty when some element is not a port or range. */
    private Optional<String> portList(NftExpr right, String op) {
        if (!op.equals("==") && !op.equals("!=")) {
            Optional<String> t = text(right);
            if (t.isEmpty() || !NftRuleReader.isNumber(t.get())) {
                return Optional.empty();
            }
            int n = Integer.parseInt(t.get());
            if (n > 65535) {
                return Optional.empty();
            }
            switch (op) {
                case "<":
                    return n == 0 ? Optional.of("") : Optional.of("0:" + (n - 1));
                case "<=":
                    return Optional.of("0:" + n);
                case ">":
                    return n == 65535 ? Optional.of("") : Optional.of((n + 1) + ":65535");
                default:
                    return Optional.of(n + ":65535");
            }
        }
        Optional<List<NftExpr>> elements = elements(right);
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            if (e instanceof NftExpr.Range) {
                Optional<String> a = text(((NftExpr.Range) e).from());
                Optional<String> b = text(((NftExpr.Range) e).to());
                if (a.isEmpty() || b.isEmpty() || !port(a.get()) || !port(b.get())) {
                    return Optional.empty();
                }
                parts.add(a.get() + ":" + b.get());
            } else {
                Optional<String> a = text(e);
                if (a.isEmpty() || !port(a.get())) {
                    return Optional.empty();
                }
                parts.add(a.get());
            }
        }
        return Optional.of(String.join(",", parts));
    }

    private static boolean port(String s) {
        return NftRuleReader.isNumber(s)
                ? Integer.parseInt(s) <= 65535
                : s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c == '-');
    }

    /**
     * {@code tcp dport V}: TCP, not a later fragment, and the port; {@code th dport V} is that for
     * each transport with ports, and unknown for the others (whose bytes at that place are no port).
     */
    private Cond ports(String protocol, boolean destination, NftStatement.Match m) {
        boolean neg = m.op().equals("!=");
        Optional<String> list = portList(m.right(), m.op());
        if (list.isEmpty()) {
            return unknownCond(m);
        }
        if (list.get().isEmpty()) {
            return Cond.NEVER; // below 0 or above 65535
        }
        Option option = new Option(destination ? "dports" : "sports", neg, List.of(list.get()));
        List<String> protocols = protocol.equals("th") ? PORT_PROTOCOLS : List.of(protocol);
        List<List<Match>> out = new ArrayList<>();
        for (String p : protocols) {
            out.add(List.of(
                    new Match.Protocol(false, p),
                    new Match.Fragment(true),
                    new Match.Module("multiport", List.of(option))));
        }
        if (protocol.equals("th")) {
            List<Match> others = new ArrayList<>();
            PORT_PROTOCOLS.forEach(p -> others.add(new Match.Protocol(true, p)));
            others.add(new Match.Fragment(true));
            others.add(unknown(m.text()));
            out.add(others);
        }
        return new Cond(out);
    }

    /** {@code icmp type X}: ICMP, not a later fragment, the type (any code). */
    private Cond icmp(boolean v6, boolean neg, NftStatement.Match m) {
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<Match> types = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<String> t = text(e);
            Integer n = t.map(s -> NftRuleReader.isNumber(s) && Integer.parseInt(s) <= 255
                            ? Integer.valueOf(Integer.parseInt(s))
                            : (v6 ? ICMPV6 : ICMP).get(s))
                    .orElse(null);
            if (n == null) {
                return unknownCond(m);
            }
            types.add(
                    v6
                            ? new Match.Module("icmp6", List.of(new Option("icmpv6-type", neg, List.of(n.toString()))))
                            : new Match.Module("icmp", List.of(new Option("icmp-type", neg, List.of(n.toString())))));
        }
        Cond base = Cond.of(new Match.Protocol(false, v6 ? "ipv6-icmp" : "icmp"), new Match.Fragment(true));
        return base.and(neg ? Cond.of(types) : oneOf(types));
    }

    /** {@code ip ttl} and {@code ip6 hoplimit} compared with a number or in a set of numbers. */
    private Cond hops(String module, NftStatement.Match m) {
        String prefix = module + "-";
        Optional<List<NftExpr>> elements = elements(m.right());
        if (elements.isEmpty()) {
            return unknownCond(m);
        }
        List<Match> each = new ArrayList<>();
        for (NftExpr e : elements.get()) {
            Optional<String> t = text(e);
            if (t.isEmpty() || !NftRuleReader.isNumber(t.get()) || Integer.parseInt(t.get()) > 255) {
                return unknownCond(m);
            }
            int n = Integer.parseInt(t.get());
            Option o;
            switch (m.op()) {
                case "==":
                    o = Option.of(prefix + "eq", Integer.toString(n));
                    break;
                case "!=":
                    o = new Option(prefix + "eq", true, List.of(Integer.toString(n)));
                    break;
                case "<":
                    o = Option.of(prefix + "lt", Integer.toString(n));
                    break;
                case ">":
                    o = Option.of(prefix + "gt", Integer.toString(n));
                    break;
                case "<=":
                    o = n == 255 ? null : Option.of(prefix + "lt", Integer.toString(n + 1));
                    break;
                default:
                    o = n == 0 ? null : Option.of(prefix + "gt", Integer.toString(n - 1));
                    break;
            }
            each.add(o == null ? new Match.Module("comment", List.of()) : new Match.Module(module, List.of(o)));
        }
        if (each.size() > 1 && !m.op().equals("==") && !m.op().equals("!=")) {
            return unknownCond(m);
        }
        return m.op().equals("!=") ? Cond.of(each) : oneOf(each);
    }
}
