package dev.stockade.it;

import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketSpace;
import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.net.Prefix;
import dev.stockade.testing.CraftedPacket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One packet the differential test sends, and how to describe it to Stockade. A packet of a flow
 * ({@link Kind#ESTABLISHED}, {@link Kind#RELATED}) needs a set-up packet first, sent with the TTL the
 * rulesets' fixed first rule accepts ({@link QueryDifferentialIT#SETUP_TTL}), which opens the flow.
 */
final class Shot {

    static final int FIN = 1;
    static final int SYN = 2;
    static final int RST = 4;
    static final int PSH = 8;
    static final int ACK = 16;
    static final int URG = 32;
    static final int ECE = 64;
    static final int CWR = 128;

    /** What kind of packet, as the test output tallies them. */
    enum Kind {
        /** A connection's first segment: SYN, maybe with PSH, URG, or ECE and CWR. */
        TCP_SYN("tcp SYN"),
        /** A segment of any other flag combination, without a connection. */
        TCP_FLAGS("tcp other flags"),
        UDP("udp"),
        /** Echo request, any code. */
        ICMP_ECHO("icmp echo request"),
        /** Errors about no connection, replies without a request, other types. */
        ICMP_OTHER("icmp other types"),
        /** ICMPv6 neighbour discovery and multicast listener messages. */
        ND_MLD("icmpv6 nd/mld"),
        /** The second packet of a tcp, udp or icmp echo flow the set-up packet opened. */
        ESTABLISHED("established"),
        /** An ICMP error about a udp flow the set-up packet opened. */
        RELATED("related icmp error");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    final Kind kind;
    /** INPUT (to the server) or FORWARD (to the far host). */
    final String chain;

    final String proto;
    final String src;
    final String dst;
    /** The server's output interface (FORWARD), empty for INPUT. */
    final Optional<String> oface;
    /** tcp/udp: the ports; icmp: the identifier and, for errors, the quoted datagram's ports. */
    final int sport;

    final int dport;
    /** TTL or hop limit as sent (FORWARD decrements it before the chain). */
    final int ttl;

    final int tcpFlags;
    final int icmpType;
    final int icmpCode;
    String trouble;

    Shot(
            Kind kind,
            String chain,
            String proto,
            String src,
            String dst,
            Optional<String> oface,
            int sport,
            int dport,
            int ttl,
            int tcpFlags,
            int icmpType,
            int icmpCode) {
        this.kind = kind;
        this.chain = chain;
        this.proto = proto;
        this.src = src;
        this.dst = dst;
        this.oface = oface;
        this.sport = sport;
        this.dport = dport;
        this.ttl = ttl;
        this.tcpFlags = tcpFlags;
        this.icmpType = icmpType;
        this.icmpCode = icmpCode;
    }

    /** The same packet from a source port (identifier) not used yet: the old one has a conntrack entry now. */
    Shot fresh(int newSport) {
        return new Shot(kind, chain, proto, src, dst, oface, newSport, dport, ttl, tcpFlags, icmpType, icmpCode);
    }

    boolean forward() {
        return chain.equals("FORWARD");
    }

    /** The state the test knows the packet has: ESTABLISHED or RELATED for a flow's packet; empty when derived. */
    Optional<State> givenState() {
        return kind == Kind.ESTABLISHED
                ? Optional.of(State.ESTABLISHED)
                : kind == Kind.RELATED ? Optional.of(State.RELATED) : Optional.empty();
    }

    /** The tally's label: the kind, with the protocol for flows. */
    String label() {
        return kind == Kind.ESTABLISHED ? kind.label + " " + proto : kind.label;
    }

    /** The packet as the filter table sees it: the TTL after forwarding, the client's MAC address. */
    Packet packet(DiffFamily fam, long mac) {
        boolean icmp = proto.equals("icmp");
        int number = icmp ? fam.icmpProtocol() : proto.equals("tcp") ? 6 : 17;
        Packet p = Packet.of(Prefix.parse(src), Prefix.parse(dst), number)
                .withInterfaces(Optional.of("eth0"), oface)
                .withTtl(forward() ? ttl - 1 : ttl)
                .withMac(OptionalLong.of(mac))
                .withState(givenState());
        if (icmp) {
            return p.withIcmp(icmpType, icmpCode);
        }
        p = p.withPorts(sport, dport);
        return proto.equals("tcp") ? p.withTcpFlags(tcpFlags) : p;
    }

    /** The packet as one line of {@code fw query --packets}. */
    static Map<String, Object> jsonFields(Packet p, String icmpName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", p.source().address());
        m.put("dst", p.destination().address());
        m.put(
                "proto",
                p.protocol() == 6 ? "tcp" : p.protocol() == 17 ? "udp" : Packet.isIcmp(p.protocol()) ? icmpName : "");
        if (p.sport() >= 0) {
            m.put("sport", p.sport());
            m.put("dport", p.dport());
        }
        if (p.icmpType() >= 0) {
            m.put("icmpType", p.icmpType());
            m.put("icmpCode", p.icmpCode());
        }
        if (p.protocol() == 6) {
            m.put("tcpFlags", flagNames(p.tcpFlags()));
        }
        m.put("ttl", p.ttl());
        p.inInterface().ifPresent(i -> m.put("iface", i));
        p.outInterface().ifPresent(o -> m.put("oface", o));
        if (p.mac().isPresent()) {
            m.put("mac", mac(p.mac().getAsLong()));
        }
        p.state().ifPresent(s -> m.put("state", s.name()));
        return m;
    }

    static String flagNames(int flags) {
        if (flags == 0) {
            return "NONE";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PacketSpace.TCP_FLAGS.size(); i++) {
            if ((flags & 1 << i) != 0) {
                names.add(PacketSpace.TCP_FLAGS.get(i));
            }
        }
        return String.join(",", names);
    }

    static String mac(long value) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            sb.append(String.format("%02x", (value >>> shift) & 0xff)).append(shift > 0 ? ":" : "");
        }
        return sb.toString();
    }

    /** The packet to send, {@code length} bytes long. */
    CraftedPacket crafted(int length) {
        return switch (proto) {
            case "tcp" ->
                kind == Kind.ESTABLISHED
                        ? CraftedPacket.tcpInFlow(src, dst, sport, dport, length, ttl, tcpFlags)
                        : CraftedPacket.tcp(src, dst, sport, dport, length, ttl, tcpFlags);
            case "udp" -> CraftedPacket.udp(src, dst, sport, dport, length, ttl);
            default -> CraftedPacket.icmp(src, dst, sport, dport, length, ttl, icmpType, icmpCode);
        };
    }

    /**
     * The packet that opens this packet's flow (accepted by the fixed first rule, counted by no state
     * rule), or null: a SYN, a datagram, or an echo request from the same port (identifier).
     */
    CraftedPacket setup(DiffFamily fam, int setupTtl, int length) {
        int t = forward() ? setupTtl + 1 : setupTtl;
        if (kind == Kind.RELATED || kind == Kind.ESTABLISHED && proto.equals("udp")) {
            return CraftedPacket.udp(src, dst, sport, dport, length, t);
        }
        if (kind != Kind.ESTABLISHED) {
            return null;
        }
        return proto.equals("tcp")
                ? CraftedPacket.tcp(src, dst, sport, dport, length, t, SYN)
                : CraftedPacket.icmp(src, dst, sport, 0, length, t, fam.echoType(), 0);
    }

    /** The reply the set-up packet must get for the flow to be open. */
    String setupReply() {
        return proto.equals("tcp") ? "synack" : "echo";
    }

    String describe() {
        String s = proto + " " + src + (proto.equals("icmp") ? " id " + sport : ":" + sport) + " -> " + dst
                + (proto.equals("icmp") ? " type " + icmpType + "/" + icmpCode : ":" + dport);
        return s + (proto.equals("tcp") ? " " + flagNames(tcpFlags) : "") + " ttl " + ttl + " (" + label() + ", "
                + chain + oface.map(o -> " out " + o).orElse("") + ")";
    }
}
