package dev.stockade.analysis;

import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.net.Prefix;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One packet as the filter table sees it. A field that is not given (an empty interface, MAC or
 * state) is left open: the answer about the packet then holds for every value of it, or says that
 * it depends on it. An input interface left open is any interface but {@code lo}: the packet comes
 * from the network. A state that is not given is the one conntrack gives the first packet of a
 * flow ({@link Conntrack}).
 *
 * @param protocol IP protocol number, 0 to 255
 * @param sport source port, or -1 for a protocol without ports
 * @param dport destination port, or -1 for a protocol without ports
 * @param icmpType ICMP or ICMPv6 type, or -1 for other protocols
 * @param icmpCode ICMP or ICMPv6 code, or -1 for other protocols
 * @param tcpFlags the TCP flags set, a bit set over {@link PacketSpace#TCP_FLAGS} (0 for other protocols)
 * @param ttl TTL (IPv4) or hop limit (IPv6)
 * @param laterFragment a fragment other than the first (it carries no ports or ICMP header)
 * @param mac the source MAC address (48 bits)
 */
public record Packet(
        Prefix source,
        Prefix destination,
        int protocol,
        int sport,
        int dport,
        int icmpType,
        int icmpCode,
        int tcpFlags,
        int ttl,
        boolean laterFragment,
        Optional<String> inInterface,
        Optional<String> outInterface,
        OptionalLong mac,
        Optional<State> state) {

    /** TCP flags of a connection's first segment. */
    public static final int SYN = 1 << 1;

    public Packet {
        if (!source.isHost() || !destination.isHost() || source.family() != destination.family()) {
            throw new IllegalArgumentException("source and destination are single addresses of one family");
        }
        check("protocol", protocol, 0, 255);
        check("source port", sport, -1, 65535);
        check("destination port", dport, -1, 65535);
        check("ICMP type", icmpType, -1, 255);
        check("ICMP code", icmpCode, -1, 255);
        check("TCP flags", tcpFlags, 0, 255);
        check("TTL", ttl, 0, 255);
        if (mac.isPresent() && (mac.getAsLong() < 0 || mac.getAsLong() >= 1L << 48)) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    private static void check(String what, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(what + " " + value + " is out of range");
        }
    }

    /**
     * A packet from {@code source} to {@code destination} with {@code protocol}, as a client would
     * send it first: a TCP SYN, ports 40000 to 0 (set them with {@link #withPorts}), ICMP type 0
     * code 0, TTL 64, interfaces, MAC and state open.
     */
    public static Packet of(Prefix source, Prefix destination, int protocol) {
        boolean ports = hasPorts(protocol);
        boolean icmp = isIcmp(protocol);
        return new Packet(
                source,
                destination,
                protocol,
                ports ? 40000 : -1,
                ports ? 0 : -1,
                icmp ? 0 : -1,
                icmp ? 0 : -1,
                protocol == 6 ? SYN : 0,
                64,
                false,
                Optional.empty(),
                Optional.empty(),
                OptionalLong.empty(),
                Optional.empty());
    }

    /** Whether the protocol carries ports the filter table can match (tcp, udp, dccp, sctp, udplite). */
    public static boolean hasPorts(int protocol) {
        return protocol == 6 || protocol == 17 || protocol == 33 || protocol == 132 || protocol == 136;
    }

    /** Whether the protocol is ICMP or ICMPv6. */
    public static boolean isIcmp(int protocol) {
        return protocol == 1 || protocol == 58;
    }

    /** A MAC address written as six hexadecimal octets separated by colons, as 48 bits. */
    public static OptionalLong parseMac(String text) {
        String[] octets = text.split(":", -1);
        if (octets.length != 6) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 2 || !o.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return OptionalLong.empty();
            }
            value = value << 8 | Integer.parseInt(o, 16);
        }
        return OptionalLong.of(value);
    }

    public Packet withPorts(int newSport, int newDport) {
        return with(c -> {
            c.sport = newSport;
            c.dport = newDport;
        });
    }

    public Packet withIcmp(int type, int code) {
        return with(c -> {
            c.icmpType = type;
            c.icmpCode = code;
        });
    }

    public Packet withTcpFlags(int flags) {
        return with(c -> c.tcpFlags = flags);
    }

    public Packet withTtl(int newTtl) {
        return with(c -> c.ttl = newTtl);
    }

    public Packet withLaterFragment(boolean fragment) {
        return with(c -> c.laterFragment = fragment);
    }

    public Packet withInterfaces(Optional<String> in, Optional<String> out) {
        return with(c -> {
            c.inInterface = in;
            c.outInterface = out;
        });
    }

    public Packet withMac(OptionalLong newMac) {
        return with(c -> c.mac = newMac);
    }

    public Packet withState(Optional<State> newState) {
        return with(c -> c.state = newState);
    }

    /** This packet with the fields {@code change} sets on a copy; the constructor checks the result. */
    private Packet with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new Packet(
                c.source,
                c.destination,
                c.protocol,
                c.sport,
                c.dport,
                c.icmpType,
                c.icmpCode,
                c.tcpFlags,
                c.ttl,
                c.laterFragment,
                c.inInterface,
                c.outInterface,
                c.mac,
                c.state);
    }

    /** The fields of a packet, to change a few of them. */
    private static final class Copy {
        final Prefix source;
        final Prefix destination;
        final int protocol;
        int sport;
        int dport;
        int icmpType;
        int icmpCode;
        int tcpFlags;
        int ttl;
        boolean laterFragment;
        Optional<String> inInterface;
        Optional<String> outInterface;
        OptionalLong mac;
        Optional<State> state;

        Copy(Packet p) {
            source = p.source;
            destination = p.destination;
            protocol = p.protocol;
            sport = p.sport;
            dport = p.dport;
            icmpType = p.icmpType;
            icmpCode = p.icmpCode;
            tcpFlags = p.tcpFlags;
            ttl = p.ttl;
            laterFragment = p.laterFragment;
            inInterface = p.inInterface;
            outInterface = p.outInterface;
            mac = p.mac;
            state = p.state;
        }
    }
}
