package dev.stockade.testing;

/**
 * One packet for {@link NetnsLab.PacketSession#send}, built by the helper exactly as given.
 *
 * <ul>
 *   <li>tcp: one segment with {@code tcpFlags} (bits FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64,
 *       CWR 128), padded with payload; with {@code flow} its sequence numbers continue the handshake
 *       that an earlier SYN from {@code sport} to {@code dst} began and the peer's SYN+ACK answered
 *       (so conntrack sees the connection's next packet), otherwise they are random;</li>
 *   <li>udp: one datagram from a socket bound to {@code src}:{@code sport};</li>
 *   <li>icmp: one ICMP (ICMPv6) message of {@code icmpType} and {@code icmpCode}: echo-like types carry
 *       the identifier {@code sport}, error types quote the headers of a UDP datagram
 *       {@code dst}:{@code dport} to {@code src}:{@code sport}, other types carry zeros.</li>
 * </ul>
 *
 * Both addresses must lie in the lab's test ranges ({@link LabAddresses}); an IPv6 source may instead be
 * a link-local address with the interface it leaves by, {@code fe80::547%eth0} (the sender must hold it
 * on that interface: {@link NetnsLab#addLinkLocal}).
 *
 * @param length the IP packet's total length as the receiver's netfilter counts it (IP header included)
 * @param ttl TTL (IPv4) or hop limit (IPv6), 1 to 255
 * @param tcpFlags the TCP flags (tcp), else 0
 * @param flow whether a tcp segment continues a handshake (tcp only)
 * @param icmpType the ICMP type (icmp), else -1
 * @param icmpCode the ICMP code (icmp), else -1
 */
public record CraftedPacket(
        String proto,
        String src,
        String dst,
        int sport,
        int dport,
        int length,
        int ttl,
        int tcpFlags,
        boolean flow,
        int icmpType,
        int icmpCode) {

    /** TCP's SYN flag. */
    public static final int SYN = 2;

    public CraftedPacket {
        boolean v6 = Probe.isV6(dst);
        if (Probe.isV6(src) != v6 || !allowedSource(src) || !LabAddresses.allowed(LabAddresses.parseLiteral(dst))) {
            throw new IllegalArgumentException("addresses must be of one family and inside the lab's test ranges"
                    + " (a source may be link-local with its interface, fe80::1%eth0): " + src + " -> " + dst);
        }
        boolean tcp = proto.equals("tcp");
        boolean icmp = proto.equals("icmp");
        if (!tcp && !icmp && !proto.equals("udp")) {
            throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
        }
        check("sport", sport, 1, 65535);
        check("dport", dport, icmp ? 0 : 1, 65535);
        check("ttl", ttl, 1, 255);
        check("tcp flags", tcpFlags, 0, tcp ? 255 : 0);
        check("icmp type", icmpType, icmp ? 0 : -1, icmp ? 255 : -1);
        check("icmp code", icmpCode, icmp ? 0 : -1, icmp ? 255 : -1);
        if (flow && !tcp) {
            throw new IllegalArgumentException("only a tcp segment continues a handshake");
        }
        check("length", length, (v6 ? 40 : 20) + minimumBody(proto, v6, icmpType), 1500);
    }

    /** A tcp segment with random sequence numbers. */
    public static CraftedPacket tcp(String src, String dst, int sport, int dport, int length, int ttl, int flags) {
        return new CraftedPacket("tcp", src, dst, sport, dport, length, ttl, flags, false, -1, -1);
    }

    /** A tcp segment that continues the handshake an earlier SYN of the same ports and addresses began. */
    public static CraftedPacket tcpInFlow(
            String src, String dst, int sport, int dport, int length, int ttl, int flags) {
        return new CraftedPacket("tcp", src, dst, sport, dport, length, ttl, flags, true, -1, -1);
    }

    public static CraftedPacket udp(String src, String dst, int sport, int dport, int length, int ttl) {
        return new CraftedPacket("udp", src, dst, sport, dport, length, ttl, 0, false, -1, -1);
    }

    /**
     * An ICMP or ICMPv6 message; {@code sport} is the identifier of echo-like types, and with
     * {@code dport} the ports of the datagram an error type quotes.
     */
    public static CraftedPacket icmp(
            String src, String dst, int sport, int dport, int length, int ttl, int type, int code) {
        return new CraftedPacket("icmp", src, dst, sport, dport, length, ttl, 0, false, type, code);
    }

    /** A lab address, or a link-local IPv6 address with the interface it is sent from. */
    private static boolean allowedSource(String src) {
        int zone = src.indexOf('%');
        if (zone < 0) {
            return LabAddresses.allowed(LabAddresses.parseLiteral(src));
        }
        return src.substring(zone + 1).matches("[A-Za-z0-9_.-]{1,15}")
                && LabAddresses.linkLocal(LabAddresses.parseLiteral(src.substring(0, zone)));
    }

    private static void check(String what, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(what + " must be " + lo + ".." + hi + ": " + value);
        }
    }

    /** Bytes after the IP header the helper needs: transport header, and the quoted headers of an error. */
    private static int minimumBody(String proto, boolean v6, int icmpType) {
        if (proto.equals("tcp")) {
            return 20;
        }
        boolean error = v6
                ? icmpType >= 1 && icmpType <= 4
                : icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12;
        return proto.equals("icmp") && error ? 8 + (v6 ? 48 : 28) : 8;
    }

    /** The helper's spec: {@code proto,src,dst,sport,dport,length,ttl,a,b}. */
    String spec() {
        String a = proto.equals("tcp") ? Integer.toString(tcpFlags) : proto.equals("icmp") ? "" + icmpType : "-";
        String b = proto.equals("tcp") ? (flow ? "flow" : "new") : proto.equals("icmp") ? "" + icmpCode : "-";
        return String.join(",", proto, src, dst, "" + sport, "" + dport, "" + length, "" + ttl, a, b);
    }
}
