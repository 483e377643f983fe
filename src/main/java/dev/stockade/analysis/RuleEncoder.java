package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.IcmpType;
import dev.stockade.iptables.IcmpTypes;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Option;
import dev.stockade.iptables.Rule;
import dev.stockade.net.AddressFormatException;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the conditions of one rule into the set of packets they match, in a {@link PacketSpace}.
 *
 * <p>Every condition Stockade models becomes an exact set. Any other condition (a module or option
 * it does not know, a service name it cannot resolve, a stateful match such as {@code limit}) is
 * recorded as a {@link Doubt} and read both ways: the rule's {@code must} set assumes it fails, its
 * {@code may} set that it holds. The chain semantics carry both, which gives the lower and upper
 * bounds of every result. Each occurrence is free on its own, so the bounds stay sound even for
 * matches whose answer changes between packets or rules.
 *
 * <p>In {@link FilterAnalysis.Approximation#FFFUU} the encoding reproduces the abstractions of the Iptables_Semantics tool,
 * so its service matrices can be compared: input interfaces become the source addresses an IP
 * assignment gives them (unknown when not assigned), output interfaces, negated interfaces and
 * protocols, TCP flags and fragments become unknown.
 */
final class RuleEncoder {

    /** Protocol names the Iptables_Semantics parser knows; any other is an unknown match there. */
    private static final java.util.Set<String> FFFUU_PROTOCOLS =
            java.util.Set.of("all", "tcp", "udp", "icmp", "esp", "ah", "gre", "ipv6-icmp", "icmpv6");

    /** Match modules the Iptables_Semantics tool models; the others are unknown there (sctp, icmp, ...). */
    private static final java.util.Set<String> FFFUU_MODULES =
            java.util.Set.of("tcp", "udp", "multiport", "state", "conntrack", "iprange", "comment");

    /** Modules that match every packet when no option is given (the protocol modules check only their options). */
    private static final java.util.Set<String> NEUTRAL_WITHOUT_OPTIONS =
            java.util.Set.of("comment", "tcp", "udp", "udplite", "sctp", "dccp", "icmp", "icmp6", "multiport", "rt");

    private final PacketSpace space;
    private final Bdd bdd;
    private final FilterAnalysis.Approximation mode;
    private final Ipassmt ipassmt;
    private final List<Doubt> doubts = new ArrayList<>();
    private final boolean rewriteInterfaces;

    RuleEncoder(
            PacketSpace space,
            FilterAnalysis.Approximation mode,
            Ipassmt ipassmt,
            java.util.Collection<String> interfaceNames) {
        this.space = space;
        this.bdd = space.bdd();
        this.mode = mode;
        this.ipassmt = ipassmt == null ? Ipassmt.loopbackOnly() : ipassmt;
        this.rewriteInterfaces =
                this.ipassmt.disjoint() && this.ipassmt.entries().keySet().containsAll(interfaceNames);
    }

    PacketSpace space() {
        return space;
    }

    /**
     * What a rule's conditions match: {@code must} for certain, {@code may} if its unmodelled
     * conditions ({@code doubts}) hold. Without doubts both are the same exact set.
     */
    record Encoded(int must, int may, List<Doubt> doubts) {
        boolean certain() {
            return doubts.isEmpty();
        }
    }

    /** A condition in three-valued logic: {@code must} certainly matches, {@code may} possibly (must ⊆ may). */
    private record Tri(int must, int may) {}

    private static final Tri UNKNOWN = new Tri(Bdd.FALSE, Bdd.TRUE);

    private static Tri exact(int set) {
        return new Tri(set, set);
    }

    private Tri not(Tri t) {
        return new Tri(bdd.not(t.may()), bdd.not(t.must()));
    }

    /** The packets the rule's conditions match. */
    Encoded encode(Rule rule) {
        doubts.clear();
        List<Tri> parts = new ArrayList<>(rule.matches().size());
        for (Match m : rule.matches()) {
            parts.add(match(rule, m));
        }
        // conjoin the deepest conditions first: each and() then copies only the part above, so a
        // rule costs about the sum of its conditions' sizes
        parts.sort((x, y) -> Integer.compare(bdd.var(y.may()), bdd.var(x.may())));
        int must = Bdd.TRUE;
        int may = Bdd.TRUE;
        for (Tri t : parts) {
            must = bdd.and(t.must(), must);
            may = bdd.and(t.may(), may);
            if (may == Bdd.FALSE) {
                return new Encoded(Bdd.FALSE, Bdd.FALSE, List.of());
            }
        }
        return new Encoded(must, may, List.copyOf(doubts));
    }

    /**
     * Adds to {@code sources} and {@code destinations} the ends of every address prefix and range
     * {@link #encode} will ask the space for when it encodes {@code rule} (with the effective IP
     * assignment of fffuu mode): the space's {@link AddressAtoms} must know them before any set is
     * built. Mirrors {@link #match}; a condition it misses makes the encoder throw, never guess.
     */
    static void addresses(
            Rule rule,
            FilterAnalysis.Approximation mode,
            Ipassmt ipassmt,
            AddressAtoms.Builder sources,
            AddressAtoms.Builder destinations) {
        for (Match m : rule.matches()) {
            if (m instanceof Match.Address) {
                Match.Address a = (Match.Address) m;
                (a.source() ? sources : destinations).add(a.prefix());
            } else if (m instanceof Match.Host) {
                Match.Host h = (Match.Host) m;
                if (h.resolved()) {
                    h.addresses().forEach((h.source() ? sources : destinations)::add);
                }
            } else if (m instanceof Match.AddressSet) {
                Match.AddressSet a = (Match.AddressSet) m;
                a.members().forEach((a.source() ? sources : destinations)::add);
            } else if (m instanceof Match.Interface) {
                Match.Interface i = (Match.Interface) m;
                Ipassmt.Entry e = mode == FilterAnalysis.Approximation.FFFUU && i.input()
                        ? (ipassmt == null ? Ipassmt.loopbackOnly() : ipassmt)
                                .entries()
                                .get(i.name())
                        : null;
                if (e != null) {
                    for (Interval range : e.ranges()) {
                        sources.add(0, range.from(), 0, range.to());
                    }
                }
            } else if (m instanceof Match.Module && ((Match.Module) m).name().equals("iprange")) {
                for (Option o : ((Match.Module) m).options()) {
                    boolean source = o.name().equals("src-range");
                    if (!source && !o.name().equals("dst-range")) {
                        continue;
                    }
                    Prefix[] ends = rangeEnds(o.value(), sources.family());
                    if (ends != null) {
                        (source ? sources : destinations).add(ends[0].hi(), ends[0].lo(), ends[1].hi(), ends[1].lo());
                    }
                }
            }
        }
    }

    /** Records a condition of {@code rule} that is not modelled; it may or may not hold. */
    private Tri unknown(Rule rule, String condition, String reason) {
        doubts.add(new Doubt(rule, condition, reason));
        return UNKNOWN;
    }

    private Tri match(Rule rule, Match m) {
        if (m instanceof Match.Address) {
            Match.Address a = (Match.Address) m;
            int set = a.source() ? space.source(a.prefix()) : space.destination(a.prefix());
            return exact(a.negated() ? bdd.not(set) : set);
        }
        if (m instanceof Match.Host) {
            return host(rule, (Match.Host) m);
        }
        if (m instanceof Match.AddressSet) {
            return exact(addressSet((Match.AddressSet) m));
        }
        if (m instanceof Match.Interface) {
            return iface(rule, (Match.Interface) m);
        }
        if (m instanceof Match.Protocol) {
            Match.Protocol p = (Match.Protocol) m;
            Optional<Integer> n = Names.protocol(p.name());
            if (n.isEmpty()) {
                return unknown(rule, text(m), "protocol name not known");
            }
            if (mode == FilterAnalysis.Approximation.FFFUU
                    && !FFFUU_PROTOCOLS.contains(p.name())
                    && !p.name().matches("[0-9]+")) {
                return unknown(rule, text(m), "protocol name that tool does not know (fffuu abstraction)");
            }
            if (p.negated() && mode == FilterAnalysis.Approximation.FFFUU) {
                return unknown(rule, text(m), "negated protocol (fffuu abstraction)");
            }
            int set = n.get() < 0 ? Bdd.TRUE : space.protocol(n.get());
            return exact(p.negated() ? bdd.not(set) : set);
        }
        if (m instanceof Match.Fragment) {
            if (mode == FilterAnalysis.Approximation.FFFUU) {
                return unknown(rule, text(m), "fragments (fffuu abstraction)");
            }
            return exact(((Match.Fragment) m).negated() ? space.notFragment() : space.fragment());
        }
        Match.Module mod = (Match.Module) m;
        int must = Bdd.TRUE;
        int may = Bdd.TRUE;
        boolean unknownOption = false;
        for (Option o : mod.options()) {
            Integer set = mod.name().equals("comment") ? Integer.valueOf(Bdd.TRUE) : known(mod.name(), o);
            if (set == null) {
                unknownOption = true;
                continue;
            }
            int exact = o.negated() ? bdd.not(set) : set;
            must = bdd.and(must, exact);
            may = bdd.and(may, exact);
        }
        if (mod.name().equals("rt") && space.family() == IpFamily.V6) {
            // the rt match needs a routing header before any of its options is read
            must = bdd.and(must, space.routingHeader(-1));
            may = bdd.and(may, space.routingHeader(-1));
        } else if (mod.options().isEmpty() && !NEUTRAL_WITHOUT_OPTIONS.contains(mod.name())) {
            unknownOption = true; // a module that tests something without being told what: not modelled
        }
        if (unknownOption) {
            unknown(rule, text(m), reason(mod.name()));
            must = Bdd.FALSE;
        }
        return new Tri(must, may);
    }

    /** A resolved host name is the union of its addresses; an unresolved one is not modelled. */
    private Tri host(Rule rule, Match.Host h) {
        if (!h.resolved()) {
            return unknown(rule, text(h), "host name not resolved; give its addresses with --hosts FILE");
        }
        int set = h.source() ? space.sources(h.addresses()) : space.destinations(h.addresses());
        return exact(h.negated() ? bdd.not(set) : set);
    }

    /** A set of addresses with known members: the union of its prefixes (of this family; others never match). */
    private int addressSet(Match.AddressSet s) {
        List<Prefix> members =
                s.members().stream().filter(p -> p.family() == space.family()).toList();
        int set = s.source() ? space.sources(members) : space.destinations(members);
        return s.negated() ? bdd.not(set) : set;
    }

    /**
     * In fffuu mode an input interface named in the IP assignment is replaced by its source
     * addresses when the assignment is disjoint and names every interface of the ruleset
     * ("rewrite"); otherwise the addresses only constrain the still unknown interface ("constrain"),
     * as that tool does. Output interfaces are unknown (there is no routing table).
     */
    private Tri iface(Rule rule, Match.Interface i) {
        if (mode == FilterAnalysis.Approximation.FFFUU) {
            Ipassmt.Entry e = i.input() ? ipassmt.entries().get(i.name()) : null;
            if (e == null) {
                return unknown(
                        rule,
                        text(i),
                        i.input()
                                ? "interface not in the IP assignment (fffuu abstraction)"
                                : "output interface (fffuu abstraction)");
            }
            int set = Bdd.FALSE;
            for (Interval range : e.ranges()) {
                set = bdd.or(set, space.sourceRange(0, range.from(), 0, range.to()));
            }
            Tri t;
            if (rewriteInterfaces) {
                t = exact(e.complement() ? bdd.not(set) : set);
            } else {
                unknown(rule, text(i), "interface constrained by the IP assignment (fffuu abstraction)");
                t = new Tri(Bdd.FALSE, e.complement() ? bdd.not(set) : set);
            }
            return i.negated() ? not(t) : t;
        }
        int set = i.input() ? space.inInterface(i.name()) : space.outInterface(i.name());
        return exact(i.negated() ? bdd.not(set) : set);
    }

    private static String reason(String module) {
        switch (module) {
            case "frag":
            case "hbh":
            case "dst":
            case "ipv6header":
            case "rt":
            case "mh":
                return "IPv6 extension header not modelled (only -m rt --rt-type is)";
            case "limit":
            case "hashlimit":
            case "recent":
            case "connlimit":
            case "quota":
            case "statistic":
                return "depends on earlier traffic";
            case "mac":
            case "owner":
            case "set":
            case "addrtype":
            case "physdev":
            case "mark":
            case "connmark":
                return "depends on facts outside the packet headers Stockade models";
            case "nft":
                return "nftables expression or statement not modelled";
            default:
                return "match not modelled";
        }
    }

    /** The set an option describes before negation, or null when it is not modelled. */
    private Integer known(String module, Option o) {
        if (mode == FilterAnalysis.Approximation.FFFUU && !FFFUU_MODULES.contains(module)) {
            return null;
        }
        String v = o.value();
        switch (module + "/" + o.name()) {
            case "tcp/dport":
            case "udp/dport":
            case "tcp/destination-port":
            case "udp/destination-port":
            case "sctp/dport":
            case "udplite/dport":
                return firstFragment(ports(v, true));
            case "tcp/sport":
            case "udp/sport":
            case "tcp/source-port":
            case "udp/source-port":
            case "sctp/sport":
            case "udplite/sport":
                return firstFragment(ports(v, false));
            case "multiport/dports":
            case "multiport/destination-ports":
                return firstFragment(ports(v, true));
            case "multiport/sports":
            case "multiport/source-ports":
                return firstFragment(ports(v, false));
            case "multiport/ports": {
                Integer d = ports(v, true);
                Integer s = ports(v, false);
                return d == null || s == null ? null : firstFragment(bdd.or(d, s));
            }
            case "tcp/tcp-flags":
                if (mode == FilterAnalysis.Approximation.FFFUU || o.values().size() != 2) {
                    return null;
                }
                Integer mask = flags(o.values().get(0));
                Integer comp = flags(o.values().get(1));
                return mask == null || comp == null ? null : firstFragment(space.tcpFlags(mask, comp));
            case "tcp/syn":
                return mode == FilterAnalysis.Approximation.FFFUU
                        ? null
                        : firstFragment(space.tcpFlags(0b10111, 0b00010));
            case "state/state":
            case "conntrack/ctstate":
                return states(v);
            case "icmp/icmp-type":
                return space.family() == IpFamily.V4 ? icmp(v, false) : null;
            case "icmp6/icmpv6-type":
                return space.family() == IpFamily.V6 ? icmp(v, true) : null;
            case "ttl/ttl-eq":
            case "hl/hl-eq":
                return byteValue(v, 0);
            case "ttl/ttl-lt":
            case "hl/hl-lt":
                return byteValue(v, -1);
            case "ttl/ttl-gt":
            case "hl/hl-gt":
                return byteValue(v, 1);
            case "rt/rt-type":
                return space.family() == IpFamily.V6 ? byteOption(v, space::routingHeader) : null;
            case "mac/mac-source":
                return macAddress(v);
            case "iprange/src-range":
                return addressRange(v, true);
            case "iprange/dst-range":
                return addressRange(v, false);
            default:
                return null;
        }
    }

    /** A set for a value from 0 to 255; null when the text is not such a number. */
    private static Integer byteOption(String text, java.util.function.IntUnaryOperator set) {
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > 255) {
            return null;
        }
        return set.applyAsInt(Integer.parseInt(text));
    }

    /** TTL/hop limit equal to, below (-1) or above (1) a value. */
    private Integer byteValue(String text, int direction) {
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > 255) {
            return null;
        }
        int n = Integer.parseInt(text);
        if (direction == 0) {
            return space.ttl(n, n);
        }
        if (direction < 0) {
            return n == 0 ? Bdd.FALSE : space.ttl(0, n - 1);
        }
        return n == 255 ? Bdd.FALSE : space.ttl(n + 1, 255);
    }

    /** Port conditions never match later fragments (the kernel's tcp/udp matches say no to them). */
    private Integer firstFragment(Integer set) {
        return set == null ? null : bdd.and(space.notFragment(), set);
    }

    private Integer ports(String spec, boolean destination) {
        int r = Bdd.FALSE;
        for (String part : spec.split(",")) {
            String[] range = part.split(":", -1);
            if (range.length > 2) {
                return null;
            }
            int lo = range[0].isEmpty() ? 0 : Names.port(range[0]);
            int hi = range.length == 1 ? lo : range[1].isEmpty() ? 65535 : Names.port(range[1]);
            if (lo < 0 || hi < 0) {
                return null;
            }
            if (lo > hi) {
                continue; // the kernel compares min <= port <= max: a reversed range matches nothing
            }
            r = bdd.or(r, destination ? space.dport(lo, hi) : space.sport(lo, hi));
        }
        return r;
    }

    private static Integer flags(String list) {
        if (list.equals("ALL")) {
            return 0x3F; // iptables' ALL: FIN,SYN,RST,PSH,ACK,URG, without ECE and CWR
        }
        if (list.equals("NONE")) {
            return 0;
        }
        int bits = 0;
        for (String f : list.split(",")) {
            int i = PacketSpace.TCP_FLAGS.indexOf(f.toUpperCase(Locale.ROOT));
            if (i < 0) {
                return null;
            }
            bits |= 1 << i;
        }
        return bits;
    }

    private Integer states(String list) {
        int r = Bdd.FALSE;
        for (String s : list.split(",")) {
            PacketSpace.State state;
            try {
                state = PacketSpace.State.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null; // SNAT/DNAT are flags of the connection, not states
            }
            r = bdd.or(r, space.state(state));
        }
        return r;
    }

    private Integer icmp(String text, boolean v6) {
        if (IcmpTypes.isAny(text)) {
            return space.notFragment();
        }
        Optional<IcmpType> t = IcmpTypes.lookup(text, v6 ? IpFamily.V6 : IpFamily.V4);
        if (t.isEmpty()) {
            return null;
        }
        return bdd.and(
                space.notFragment(),
                space.icmp(t.get().type(), t.get().codeLo(), t.get().codeHi()));
    }

    /** {@code 52:54:00:12:34:56}; null for anything else (dumps with censored addresses write XX). */
    private Integer macAddress(String text) {
        java.util.OptionalLong m = Packet.parseMac(text);
        return m.isPresent() ? Integer.valueOf(space.macSource(m.getAsLong())) : null;
    }

    private Integer addressRange(String text, boolean source) {
        Prefix[] ends = rangeEnds(text, space.family());
        if (ends == null) {
            return null;
        }
        Prefix a = ends[0];
        Prefix b = ends[1];
        return source
                ? space.sourceRange(a.hi(), a.lo(), b.hi(), b.lo())
                : space.destinationRange(a.hi(), a.lo(), b.hi(), b.lo());
    }

    /** The two addresses of an iprange option ({@code 192.0.2.1-192.0.2.9}) of {@code family}; null if it is not one. */
    private static Prefix[] rangeEnds(String text, IpFamily family) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            Prefix a = Prefix.parse(text.substring(0, dash));
            Prefix b = Prefix.parse(text.substring(dash + 1));
            if (!a.isHost() || !b.isHost() || a.family() != family || b.family() != family || a.compareTo(b) > 0) {
                return null;
            }
            return new Prefix[] {a, b};
        } catch (AddressFormatException e) {
            return null;
        }
    }

    private static String text(Match m) {
        StringBuilder sb = new StringBuilder();
        m.write(sb);
        return sb.toString().trim();
    }
}
