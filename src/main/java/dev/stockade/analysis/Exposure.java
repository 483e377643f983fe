package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a builtin chain accepts of new connections: per protocol and port (ICMP: type), which
 * source addresses on which input interfaces (for OUTPUT: which destinations on which output
 * interfaces). New connections are first packets of a flow, in the state conntrack gives them
 * ({@link Conntrack}: NEW for a TCP SYN, a UDP datagram, an ICMP echo request; INVALID for ICMP
 * errors and replies; UNTRACKED for IPv6 neighbour discovery and MLD), that are not later
 * fragments, for TCP with only SYN set. {@code accepted} holds whatever unmodelled conditions say; {@code conditional}
 * what is accepted only if some of them hold, and {@code doubts} names those conditions. When
 * everything arriving on {@code lo} is accepted, {@code loopbackOpen} says so and the entries leave
 * loopback out.
 */
public record Exposure(
        IpFamily family,
        String chain,
        boolean loopbackOpen,
        List<Entry> accepted,
        List<Entry> conditional,
        List<Doubt> doubts) {

    /**
     * One line of exposure: protocol (tcp, udp, icmp, ipv6-icmp, or a list of numbers), the port or
     * ICMP type ranges, the interface atoms (empty: any), and the addresses.
     */
    public record Entry(
            String protocol,
            List<Interval> keys,
            List<String> interfaces,
            boolean interfacesNegated,
            AddressSet addresses) {

        /** Ports or types as text: {@code 22,80,1000-2000}, {@code any}. */
        public String keyText() {
            return ranges(keys, protocol.equals("tcp") || protocol.equals("udp") ? 65535 : 255);
        }

        public String interfaceText() {
            if (interfaces.isEmpty()) {
                return "any";
            }
            return (interfacesNegated ? "! " : "") + String.join(",", interfaces);
        }
    }

    public Exposure {
        accepted = List.copyOf(accepted);
        conditional = List.copyOf(conditional);
        doubts = List.copyOf(doubts);
    }

    public boolean exact() {
        return conditional.isEmpty();
    }

    /** Exposure of a builtin chain of the analysis's first table. */
    public static Exposure of(FilterAnalysis a, String chain) throws InputException {
        return of(a, chain, a.lower(0, chain), a.upper(0, chain), true);
    }

    /**
     * The new connections in a set of packets (certainly in {@code lower}, possibly in {@code upper}),
     * read as exposure of {@code chain}; with {@code foldLoopback}, a loopback that takes everything is
     * reported once instead of per port.
     */
    public static Exposure of(FilterAnalysis a, String chain, PacketSet lower, PacketSet upper, boolean foldLoopback) {
        return of(a, chain, lower.node(), upper.node(), foldLoopback);
    }

    /**
     * The new connections in a set of packets (certainly in {@code lower}, possibly in {@code upper}),
     * read as exposure of {@code chain}; with {@code foldLoopback}, a loopback that takes everything is
     * reported once instead of per port.
     */
    static Exposure of(FilterAnalysis a, String chain, int lowerIn, int upperIn, boolean foldLoopback) {
        PacketSpace s = a.space();
        Bdd bdd = a.bdd();
        boolean output = chain.equals("OUTPUT");
        int ifaceField = output ? s.out : s.in;
        int addrField = output ? s.dst : s.src;
        // what a host without any flow to this one can send: each packet in the state conntrack
        // gives a flow's first packet (ICMP errors and replies INVALID, neighbour discovery UNTRACKED)
        int fresh = bdd.and(s.valid(chain), bdd.and(s.firstPacket(true), s.notFragment()));
        int lowerAll = bdd.and(lowerIn, fresh);
        int upperAll = bdd.and(upperIn, fresh);
        int loopback = output
                ? s.outAtom(s.interfaces().atomOf("lo"))
                : s.inAtom(s.interfaces().atomOf("lo"));
        boolean loopbackOpen = foldLoopback && bdd.diff(bdd.and(fresh, loopback), lowerAll) == Bdd.FALSE;
        if (loopbackOpen) {
            lowerAll = bdd.diff(lowerAll, loopback);
            upperAll = bdd.diff(upperAll, loopback);
        }
        int icmp = s.protocol(s.family() == IpFamily.V4 ? 1 : 58);
        List<Entry> sure = new ArrayList<>();
        List<Entry> maybe = new ArrayList<>();
        Set<Doubt> doubts = new LinkedHashSet<>();
        // one group per line kind: the protocol's name, its packets, and the field its lines list
        record Group(String protocol, int packets, int key) {}
        List<Group> groups = List.of(
                new Group("tcp", bdd.and(s.protocol(6), s.tcpFlags(0xFF, Packet.SYN)), s.dport),
                new Group("udp", s.protocol(17), s.dport),
                new Group(s.family() == IpFamily.V4 ? "icmp" : "ipv6-icmp", icmp, s.icmpType),
                new Group("other", bdd.not(bdd.or(bdd.or(s.protocol(6), s.protocol(17)), icmp)), s.proto));
        int doubtRegion = Bdd.FALSE;
        for (Group g : groups) {
            int key = g.key();
            boolean[] qk = s.allFieldsBut(key, ifaceField, addrField);
            int upperSet = bdd.and(upperAll, g.packets());
            if (upperSet == Bdd.FALSE) {
                continue;
            }
            int lowerSet = bdd.and(lowerAll, g.packets());
            int lower = bdd.exists(lowerSet, qk);
            int upper = bdd.exists(upperSet, qk);
            String proto = g.protocol();
            sure.addAll(entries(a, lower, proto, key, ifaceField, addrField, loopbackOpen));
            if (upper != lower) {
                maybe.addAll(entries(a, bdd.diff(upper, lower), proto, key, ifaceField, addrField, loopbackOpen));
                doubtRegion = bdd.or(doubtRegion, bdd.diff(upperSet, lowerSet));
            }
        }
        if (doubtRegion != Bdd.FALSE) {
            doubts.addAll(a.doubtsIn(doubtRegion));
        }
        return new Exposure(s.family(), chain, loopbackOpen, sure, maybe, List.copyOf(doubts));
    }

    private static List<Entry> entries(
            FilterAnalysis a,
            int projected,
            String proto,
            int keyField,
            int ifaceField,
            int addrField,
            boolean withoutLoopback) {
        PacketSpace s = a.space();
        // read in the order key, interface, address: transfer the small projected diagram into one
        // laid out that way (key at 0, then the interface, then the address)
        int keyBits = s.width(keyField);
        AddressAtoms addresses = s.atomsAt(addrField);
        int key = 0;
        int iface = keyBits;
        int addr = keyBits + s.interfaceBits();
        int[] map = new int[a.bdd().variables()];
        for (int i = 0; i < keyBits; i++) {
            map[keyField + i] = key + i;
        }
        for (int i = 0; i < s.interfaceBits(); i++) {
            map[ifaceField + i] = iface + i;
        }
        for (int i = 0; i < addresses.bits(); i++) {
            map[addrField + i] = addr + i;
        }
        Bdd bdd = new Bdd(addr + addresses.bits());
        int node = a.bdd().transfer(projected, bdd, map);
        Map<Integer, List<Interval>> keysByRest = new LinkedHashMap<>();
        for (FieldWalk.Piece p : FieldWalk.decompose(bdd, node, key, keyBits)) {
            keysByRest.computeIfAbsent(p.rest(), k -> new ArrayList<>()).add(new Interval(p.lo(), p.hi()));
        }
        List<InterfaceAtoms.Atom> atoms = s.interfaces().atoms();
        int lo = s.interfaces().atomOf("lo");
        int none = s.interfaces().none(); // the chain's own interface field is never "none"
        int universe = atoms.size() - 1 - (withoutLoopback ? 1 : 0);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Interval>> e : keysByRest.entrySet()) {
            Map<Integer, List<Integer>> atomsByAddresses = new LinkedHashMap<>();
            for (FieldWalk.Piece p : FieldWalk.decompose(bdd, e.getKey(), iface, s.interfaceBits())) {
                for (long code = p.lo(); code <= p.hi() && code < atoms.size(); code++) {
                    atomsByAddresses
                            .computeIfAbsent(p.rest(), k -> new ArrayList<>())
                            .add((int) code);
                }
            }
            String protocol =
                    proto.equals("other") ? protocols(e.getValue(), s.family() == IpFamily.V4 ? 1 : 58) : proto;
            List<Interval> keys = proto.equals("other") ? List.of() : e.getValue();
            for (Map.Entry<Integer, List<Integer>> ae : atomsByAddresses.entrySet()) {
                List<Integer> codes = ae.getValue();
                List<String> names = new ArrayList<>();
                boolean negated = false;
                if (codes.size() < universe) {
                    negated = saidByExclusion(atoms, codes, withoutLoopback ? lo : -1);
                    for (int c = 0; c < atoms.size(); c++) {
                        if ((withoutLoopback && c == lo) || c == none) {
                            continue;
                        }
                        if (codes.contains(c) != negated) {
                            names.add(atoms.get(c).label());
                        }
                    }
                }
                out.add(new Entry(protocol, keys, names, negated, AddressSet.of(bdd, ae.getKey(), addr, addresses)));
            }
        }
        out.sort(Comparator.comparingLong(
                        (Entry x) -> x.keys().isEmpty() ? -1 : x.keys().get(0).from())
                .thenComparing(Entry::interfaceText));
        return out;
    }

    /**
     * Whether a set of interface atoms is said as "every name but ...": when it holds the atom of
     * all unnamed interfaces, unless an excluded wildcard atom would also seem to exclude a named
     * interface it holds ("! eth+" while eth0 is in).
     */
    private static boolean saidByExclusion(List<InterfaceAtoms.Atom> atoms, List<Integer> codes, int skipped) {
        if (!codes.contains(atoms.size() - 1)) {
            return false;
        }
        for (int c = 0; c < atoms.size(); c++) {
            InterfaceAtoms.Atom a = atoms.get(c);
            if (c == skipped
                    || codes.contains(c)
                    || !a.wildcard()
                    || a.name().isEmpty() && !a.label().equals("(other)")) {
                continue;
            }
            for (int in : codes) {
                if (!atoms.get(in).wildcard() && atoms.get(in).name().startsWith(a.name())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Protocol numbers other than TCP, UDP and the family's ICMP, as ranges; "other" when that is all of them. */
    private static String protocols(List<Interval> numbers, int icmp) {
        StringBuilder sb = new StringBuilder();
        long count = 0;
        for (Interval r : numbers) {
            for (long n = r.from(); n <= r.to(); n++) {
                if (n == icmp || n == 6 || n == 17) {
                    continue;
                }
                long end = n;
                while (end < r.to() && end + 1 != icmp && end + 1 != 6 && end + 1 != 17) {
                    end++;
                }
                sb.append(sb.length() == 0 ? "" : ",").append(n == end ? Long.toString(n) : n + "-" + end);
                count += end - n + 1;
                n = end;
            }
        }
        return count == 253 ? "other" : "proto " + sb;
    }

    static String ranges(List<Interval> keys, long max) {
        if (keys.size() == 1 && keys.get(0).from() == 0 && keys.get(0).to() == max) {
            return "any";
        }
        StringBuilder sb = new StringBuilder();
        for (Interval k : keys) {
            sb.append(sb.length() == 0 ? "" : ",")
                    .append(k.from() == k.to() ? Long.toString(k.from()) : k.from() + "-" + k.to());
        }
        return sb.toString();
    }

    /** The first three accepted entries in words ({@code tcp/2375 from any, udp/53 from 10.0.0.0/8}), and how many more. */
    public String summary() {
        List<String> parts = new java.util.ArrayList<>();
        for (Entry x : accepted()) {
            parts.add(
                    x.protocol() + "/" + x.keyText() + " from " + x.addresses().toCidrText());
            if (parts.size() == 3) {
                break;
            }
        }
        int more = accepted().size() - parts.size();
        return String.join(", ", parts) + (more > 0 ? " and " + more + " more" : "");
    }
}
