package dev.stockade.testing;

import java.util.Objects;
import java.util.Set;

/**
 * One connection attempt for {@link NetnsLab#probe}: from {@code src} (a local address of the probing
 * host, bound before connecting) to {@code dst}:{@code port}.
 *
 * @param src   source address, v4 or v6, must be assigned to the probing host
 * @param dst   destination address, same family as {@code src}
 * @param proto "tcp", "udp" or "icmp" (echo request; the port is ignored and should be 0)
 * @param port  destination port, 1..65535 for tcp/udp
 */
public record Probe(String src, String dst, String proto, int port) {

    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");

    public Probe {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (!PROTOCOLS.contains(proto)) {
            throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
        }
        if (isV6(src) != isV6(dst)) {
            throw new IllegalArgumentException("src and dst differ in address family: " + src + " -> " + dst);
        }
        if (!proto.equals("icmp") && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!src.matches("[0-9A-Fa-f.:]+") || !dst.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("src and dst must be plain addresses: " + src + " -> " + dst);
        }
    }

    public static Probe tcp(String src, String dst, int port) {
        return new Probe(src, dst, "tcp", port);
    }

    public static Probe udp(String src, String dst, int port) {
        return new Probe(src, dst, "udp", port);
    }

    public static Probe icmp(String src, String dst) {
        return new Probe(src, dst, "icmp", 0);
    }

    /** True for an IPv6 probe. */
    public boolean v6() {
        return isV6(dst);
    }

    /** The argument the helper script understands: {@code proto,src,dst,port}. */
    String spec() {
        return proto + "," + src + "," + dst + "," + port;
    }

    @Override
    public String toString() {
        return proto + " " + src + " -> " + (v6() ? "[" + dst + "]" : dst) + ":" + port;
    }

    static boolean isV6(String address) {
        return address.contains(":");
    }
}
