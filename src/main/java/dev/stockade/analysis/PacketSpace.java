package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.Collection;
import java.util.List;

/**
 * The header fields the filter table looks at, laid out as BDD variables, and constructors for the
 * sets of packets that single conditions describe.
 *
 * <p>Variable order, first tested first: conntrack state, protocol, fragment bit, TCP flags, input
 * and output interface (as {@link InterfaceAtoms}), source and destination address (as {@link
 * AddressAtoms}: the number of the interval of addresses the space's sets tell apart, not the
 * address itself), destination and source port, ICMP type and code, TTL. Interfaces and addresses
 * high keep the diagrams of large host-by-host rulesets small (measured: about half the nodes of a
 * ports-first order); address atoms halve them again (the 5,529-rule dump). Reports
 * read a result in another order by projecting it onto a few fields and transferring that small
 * diagram into one laid out for reading ({@link dev.stockade.analysis.bdd.Bdd#transfer}).
 *
 * <p>A packet space serves one analysis (or the two rulesets of a diff): its interface and address
 * atoms are those of the rulesets encoded in it and of whatever else the analysis compares with them
 * (a spec's sources). A prefix whose ends are not atom boundaries cannot be encoded (it throws);
 * a concrete packet's address can always (its atom). Sets go back to addresses only through {@link
 * #atomsAt}.
 */
public final class PacketSpace {

    /** Connection tracking states, numbered as in the state field. */
    public enum State {
        NEW,
        ESTABLISHED,
        RELATED,
        INVALID,
        UNTRACKED
    }

    /** TCP flag bits in the order of the flags field. */
    public static final List<String> TCP_FLAGS = List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR");

    public static final int STATE_BITS = 3;

    /**
     * The IPv6 routing header field: a first bit that says whether the packet has one, then its
     * type (8 bits, free when there is none, so no validity condition reaches the bottom of the
     * variable order).
     */
    public static final int RT_BITS = 9;

    /** Variable order, first tested first; chosen by measuring diagram sizes on large real rulesets. */
    static final String[] ORDER = {
        "state",
        "proto",
        "frag",
        "flags",
        "in",
        "out",
        "src",
        "dst",
        "dport",
        "sport",
        "icmpType",
        "icmpCode",
        "ttl",
        "mac",
        "rt"
    };

    private int widthOf(String f) {
        switch (f) {
            case "state":
                return STATE_BITS;
            case "frag":
                return 1;
            case "dport":
            case "sport":
                return 16;
            case "in":
            case "out":
                return ifaceBits;
            case "src":
                return srcAtoms.bits();
            case "dst":
                return dstAtoms.bits();
            case "mac":
                return 48;
            case "rt":
                return RT_BITS;
            default:
                return 8;
        }
    }

    private final IpFamily family;
    private final Bdd bdd;
    private final InterfaceAtoms interfaces;
    public final int state;
    public final int proto;
    public final int frag;
    public final int flags;
    public final int icmpType;
    public final int icmpCode;
    public final int dport;
    public final int sport;
    public final int in;
    public final int out;
    public final int src;
    public final int dst;
    public final int ttl;
    /** The source MAC address (48 bits), as {@code -m mac --mac-source} reads it. */
    public final int mac;
    /** Whether the packet has an IPv6 routing header (the first bit) and its type ({@code -m rt}). */
    public final int rt;

    private final int ifaceBits;
    private final AddressAtoms srcAtoms;
    private final AddressAtoms dstAtoms;
    /** Width of the field that starts at each variable, 0 elsewhere. */
    private final int[] widthAt;

    private int valid = -1;
    private final int[] firstPacket = {-1, -1};

    /** A space for {@code family} with these interface names, whose sets name no address. */
    public PacketSpace(IpFamily family, Collection<String> interfaceNames) {
        this(family, interfaceNames, AddressAtoms.whole(family), AddressAtoms.whole(family), 0);
    }

    /**
     * A space for {@code family} with these interface names and address atoms, sized for about
     * {@code rules} rules (fewer resizes).
     */
    PacketSpace(
            IpFamily family,
            Collection<String> interfaceNames,
            AddressAtoms sources,
            AddressAtoms destinations,
            int rules) {
        if (sources.family() != family || destinations.family() != family) {
            throw new IllegalArgumentException("address atoms of another family");
        }
        this.family = family;
        this.interfaces = InterfaceAtoms.of(interfaceNames);
        this.ifaceBits = interfaces.bits();
        this.srcAtoms = sources;
        this.dstAtoms = destinations;
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        int v = 0;
        for (String f : ORDER) {
            at.put(f, v);
            v += widthOf(f);
        }
        widthAt = new int[v];
        for (String f : ORDER) {
            widthAt[at.get(f)] = widthOf(f);
        }
        state = at.get("state");
        proto = at.get("proto");
        frag = at.get("frag");
        flags = at.get("flags");
        icmpType = at.get("icmpType");
        icmpCode = at.get("icmpCode");
        dport = at.get("dport");
        sport = at.get("sport");
        in = at.get("in");
        out = at.get("out");
        src = at.get("src");
        dst = at.get("dst");
        ttl = at.get("ttl");
        mac = at.get("mac");
        rt = at.get("rt");
        this.bdd = new Bdd(v, (int) Math.min(1 << 22, Math.max(1 << 12, 160L * rules)));
    }

    public Bdd bdd() {
        return bdd;
    }

    public IpFamily family() {
        return family;
    }

    public InterfaceAtoms interfaces() {
        return interfaces;
    }

    public int interfaceBits() {
        return ifaceBits;
    }

    /** The atoms of the address field that starts at variable {@code first} ({@link #src} or {@link #dst}). */
    AddressAtoms atomsAt(int first) {
        if (first == src) {
            return srcAtoms;
        }
        if (first == dst) {
            return dstAtoms;
        }
        throw new IllegalArgumentException("no address field starts at variable " + first);
    }

    /** TTL (IPv4) or hop limit (IPv6) in [lo, hi]. */
    public int ttl(int lo, int hi) {
        return bdd.range(ttl, 8, lo, hi);
    }

    /**
     * The packets equal to {@code p} in every field it gives; the fields it leaves open (interfaces,
     * MAC, state) take every value, but an input interface left open is never {@code lo}. Ports and
     * ICMP fields a protocol does not have are 0.
     */
    public int point(Packet p) {
        int r = bdd.and(protocol(p.protocol()), p.laterFragment() ? fragment() : notFragment());
        r = bdd.and(r, tcpFlags(0xFF, p.tcpFlags()));
        r = bdd.and(r, bdd.and(sourceOf(p.source()), destinationOf(p.destination())));
        int ports = bdd.and(
                dport(Math.max(0, p.dport()), Math.max(0, p.dport())),
                sport(Math.max(0, p.sport()), Math.max(0, p.sport())));
        r = bdd.and(
                r,
                bdd.and(ports, icmp(Math.max(0, p.icmpType()), Math.max(0, p.icmpCode()), Math.max(0, p.icmpCode()))));
        r = bdd.and(r, ttl(p.ttl(), p.ttl()));
        r = bdd.and(r, bdd.not(bdd.variable(rt)));
        // a packet whose input interface is not given comes from the network: any interface but lo
        int in = p.inInterface().isPresent()
                ? inAtom(interfaces.atomOf(p.inInterface().get()))
                : bdd.not(inAtom(interfaces.atomOf("lo")));
        r = bdd.and(r, in);
        if (p.outInterface().isPresent()) {
            r = bdd.and(r, outAtom(interfaces.atomOf(p.outInterface().get())));
        }
        if (p.mac().isPresent()) {
            r = bdd.and(r, macSource(p.mac().getAsLong()));
        }
        if (p.state().isPresent()) {
            r = bdd.and(r, state(p.state().get()));
        }
        return bdd.and(r, valid());
    }

    /** IPv6 packets with a routing header, of type {@code type} or (with -1) of any type. */
    public int routingHeader(int type) {
        int present = bdd.variable(rt);
        return type < 0 ? present : bdd.and(present, bdd.range(rt + 1, 8, type, type));
    }

    /** Source MAC address equal to {@code address} (the 48 low bits). */
    public int macSource(long address) {
        return bdd.range(mac, 48, address, address);
    }

    /**
     * The packets that can be the first packet of a flow as conntrack sees it: each carries the
     * state the kernel gives such a packet ({@link Conntrack}).
     */
    public int firstPacket(boolean tcpLoose) {
        int i = tcpLoose ? 1 : 0;
        if (firstPacket[i] < 0) {
            firstPacket[i] = Conntrack.firstPacket(this, tcpLoose);
        }
        return firstPacket[i];
    }

    /**
     * Packets a builtin chain can see: INPUT packets come in on an interface and go out on none,
     * OUTPUT packets the other way round, FORWARD packets have both; any other chain name, {@link
     * #valid()}.
     */
    public int valid(String chain) {
        int noneIn = inAtom(interfaces.none());
        int noneOut = outAtom(interfaces.none());
        switch (chain) {
            case "INPUT":
            case "PREROUTING":
                return bdd.and(valid(), bdd.and(bdd.not(noneIn), noneOut));
            case "OUTPUT":
                return bdd.and(valid(), bdd.and(noneIn, bdd.not(noneOut)));
            case "FORWARD":
                return bdd.and(valid(), bdd.and(bdd.not(noneIn), bdd.not(noneOut)));
            case "POSTROUTING":
                return bdd.and(valid(), bdd.not(noneOut));
            default:
                return valid();
        }
    }

    /** Packets whose fields hold values that exist: a real state, a real interface atom. */
    public int valid() {
        if (valid < 0) {
            int s = bdd.range(state, STATE_BITS, 0, State.values().length - 1);
            int n = interfaces.size() - 1;
            int i = bdd.range(in, ifaceBits, 0, n);
            int o = bdd.range(out, ifaceBits, 0, n);
            valid = bdd.and(s, bdd.and(i, o));
        }
        return valid;
    }

    public int state(State s) {
        return bdd.range(state, STATE_BITS, s.ordinal(), s.ordinal());
    }

    public int protocol(int number) {
        return bdd.range(proto, 8, number, number);
    }

    public int notFragment() {
        return bdd.not(bdd.variable(frag));
    }

    public int fragment() {
        return bdd.variable(frag);
    }

    /** (flags AND mask) == comparison, each a bit set over {@link #TCP_FLAGS}. */
    public int tcpFlags(int mask, int comparison) {
        int r = Bdd.TRUE;
        for (int i = TCP_FLAGS.size() - 1; i >= 0; i--) {
            if ((mask & (1 << i)) != 0) {
                int bit = bdd.variable(flags + i);
                r = bdd.and(r, (comparison & (1 << i)) != 0 ? bit : bdd.not(bit));
            }
        }
        return r;
    }

    public int dport(int lo, int hi) {
        return bdd.range(dport, 16, lo, hi);
    }

    public int sport(int lo, int hi) {
        return bdd.range(sport, 16, lo, hi);
    }

    public int icmp(int type, int codeLo, int codeHi) {
        return bdd.and(bdd.range(icmpType, 8, type, type), bdd.range(icmpCode, 8, codeLo, codeHi));
    }

    public int inInterface(String name) {
        return iface(in, name);
    }

    public int outInterface(String name) {
        return iface(out, name);
    }

    public int inAtom(int atom) {
        return bdd.range(in, ifaceBits, atom, atom);
    }

    public int outAtom(int atom) {
        return bdd.range(out, ifaceBits, atom, atom);
    }

    private int iface(int first, String name) {
        int r = Bdd.FALSE;
        for (int atom : interfaces.matching(name)) {
            r = bdd.or(r, bdd.range(first, ifaceBits, atom, atom));
        }
        return r;
    }

    /** Source address in {@code p}; its ends must be atom boundaries of the space. */
    public int source(Prefix p) {
        return address(src, srcAtoms, p);
    }

    /** Destination address in {@code p}; its ends must be atom boundaries of the space. */
    public int destination(Prefix p) {
        return address(dst, dstAtoms, p);
    }

    /** Source address in any of {@code prefixes} (all of this family). */
    public int sources(Collection<Prefix> prefixes) {
        return addresses(src, srcAtoms, prefixes);
    }

    /** Destination address in any of {@code prefixes} (all of this family). */
    public int destinations(Collection<Prefix> prefixes) {
        return addresses(dst, dstAtoms, prefixes);
    }

    /**
     * The union of many prefixes: each is a run of atoms, and the runs are sorted and joined where
     * they meet before any diagram is built, so a cluster's consecutive addresses are one range.
     */
    private int addresses(int first, AddressAtoms atoms, Collection<Prefix> prefixes) {
        long[] runs = new long[prefixes.size()];
        int n = 0;
        for (Prefix p : prefixes) {
            if (p.family() != family) {
                throw new IllegalArgumentException(p + " is not an " + family + " prefix");
            }
            long[] end = AddressAtoms.lastAddress(p);
            long a = atoms.firstAtom(p.hi(), p.lo());
            long b = atoms.lastAtom(end[0], end[1]);
            runs[n++] = a << 32 | b;
        }
        java.util.Arrays.sort(runs, 0, n);
        int r = Bdd.FALSE;
        for (int i = 0; i < n; ) {
            int a = (int) (runs[i] >>> 32);
            int b = (int) runs[i];
            for (i++; i < n && (int) (runs[i] >>> 32) <= b + 1; i++) {
                b = Math.max(b, (int) runs[i]);
            }
            r = bdd.or(r, bdd.range(first, atoms.bits(), a, b));
        }
        return r;
    }

    /** The source atom holding the address of {@code host} (a concrete packet's: any address will do). */
    int sourceOf(Prefix host) {
        return atom(src, srcAtoms, host);
    }

    int destinationOf(Prefix host) {
        return atom(dst, dstAtoms, host);
    }

    /** Source address in [lo, hi] (addresses as two longs: IPv4 in the low 32 bits of lo); ends as for {@link #source}. */
    public int sourceRange(long loHi, long loLo, long hiHi, long hiLo) {
        return addressRange(src, srcAtoms, loHi, loLo, hiHi, hiLo);
    }

    public int destinationRange(long loHi, long loLo, long hiHi, long hiLo) {
        return addressRange(dst, dstAtoms, loHi, loLo, hiHi, hiLo);
    }

    private int atom(int first, AddressAtoms atoms, Prefix host) {
        if (host.family() != family || !host.isHost()) {
            throw new IllegalArgumentException(host + " is not one " + family + " address");
        }
        int a = atoms.atomOf(host.hi(), host.lo());
        return bdd.range(first, atoms.bits(), a, a);
    }

    private int address(int first, AddressAtoms atoms, Prefix p) {
        if (p.family() != family) {
            throw new IllegalArgumentException(p + " is not an " + family + " prefix");
        }
        long[] end = AddressAtoms.lastAddress(p);
        return addressRange(first, atoms, p.hi(), p.lo(), end[0], end[1]);
    }

    private int addressRange(int first, AddressAtoms atoms, long loHi, long loLo, long hiHi, long hiLo) {
        int a = atoms.firstAtom(loHi, loLo);
        int b = atoms.lastAtom(hiHi, hiLo);
        return bdd.range(first, atoms.bits(), a, b);
    }

    /** Marks the variables of every field but {@code keep} (first variables), for quantifying those away. */
    public boolean[] allFieldsBut(int... keep) {
        boolean[] q = new boolean[bdd.variables()];
        java.util.Arrays.fill(q, true);
        for (int f : keep) {
            java.util.Arrays.fill(q, f, f + width(f), false);
        }
        return q;
    }

    /** The first variable of a field. */
    int first(Field f) {
        switch (f) {
            case STATE:
                return state;
            case PROTOCOL:
                return proto;
            case FRAGMENT:
                return frag;
            case TCP_FLAGS:
                return flags;
            case IN_INTERFACE:
                return in;
            case OUT_INTERFACE:
                return out;
            case SOURCE:
                return src;
            case DESTINATION:
                return dst;
            case DESTINATION_PORT:
                return dport;
            case SOURCE_PORT:
                return sport;
            case ICMP_TYPE:
                return icmpType;
            case ICMP_CODE:
                return icmpCode;
            case TTL:
                return ttl;
            case MAC:
                return mac;
            default:
                return rt;
        }
    }

    /** Width of the field starting at variable {@code first}. */
    public int width(int first) {
        if (first < 0 || first >= widthAt.length || widthAt[first] == 0) {
            throw new IllegalArgumentException("no field starts at variable " + first);
        }
        return widthAt[first];
    }
}
