package dev.stockade.analysis;

import dev.stockade.net.Prefix;

/**
 * The sets of packets single conditions describe, in one analysis's space: the building blocks
 * for questions the reports do not ask (a spec's intent, an operator's own connection).
 */
public final class PacketSets {

    private final PacketSpace space;

    PacketSets(PacketSpace space) {
        this.space = space;
    }

    private PacketSet of(int node) {
        return new PacketSet(space, node);
    }

    public PacketSet none() {
        return of(dev.stockade.analysis.bdd.Bdd.FALSE);
    }

    /** Every packet whose fields hold values that exist (a real state, a real interface). */
    public PacketSet all() {
        return of(space.valid());
    }

    /** Every packet a builtin chain can see (INPUT: no output interface; OUTPUT: no input interface). */
    public PacketSet all(String chain) {
        return of(space.valid(chain));
    }

    /**
     * The first packets of flows a builtin chain can see, each in the state conntrack gives it
     * ({@link Conntrack}; with {@code nf_conntrack_tcp_loose=1}), that are not later fragments.
     */
    public PacketSet firstPackets(String chain) {
        return of(space.bdd().and(space.valid(chain), space.bdd().and(space.firstPacket(true), space.notFragment())));
    }

    public PacketSet protocol(int number) {
        return of(space.protocol(number));
    }

    public PacketSet destinationPorts(int from, int to) {
        return of(space.dport(from, to));
    }

    public PacketSet sourcePorts(int from, int to) {
        return of(space.sport(from, to));
    }

    /** TCP flags: (flags AND mask) == comparison, bit sets over {@link PacketSpace#TCP_FLAGS}. */
    public PacketSet tcpFlags(int mask, int comparison) {
        return of(space.tcpFlags(mask, comparison));
    }

    /** ICMP (or ICMPv6) type {@code type}, any code. */
    public PacketSet icmpType(int type) {
        return of(space.icmp(type, 0, 255));
    }

    /**
     * Source address in {@code p}. The analysis must know the prefix: the rules name it, or it was
     * given as an extra address ({@link FilterAnalysis#of(dev.stockade.net.IpFamily, java.util.List,
     * java.util.Collection, java.util.Collection, FilterAnalysis.Approximation, Ipassmt)}).
     */
    public PacketSet source(Prefix p) {
        return of(space.source(p));
    }

    /** Destination address in {@code p}; known to the analysis as for {@link #source}. */
    public PacketSet destination(Prefix p) {
        return of(space.destination(p));
    }

    /** Source address in any of {@code prefixes} (built in one pass, however many there are). */
    public PacketSet sources(java.util.Collection<Prefix> prefixes) {
        return of(space.sources(prefixes));
    }

    /** Arriving on an interface, by name or with a {@code +} wildcard, as {@code -i} matches it. */
    public PacketSet inInterface(String name) {
        return of(space.inInterface(name));
    }

    /** One packet (fields it leaves open take every value; see {@link PacketSpace#point}). */
    public PacketSet packet(Packet p) {
        return of(space.point(p));
    }
}
