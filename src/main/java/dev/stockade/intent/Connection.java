package dev.stockade.intent;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;

/**
 * The first packet of a new connection arriving at a node: what {@link SpecIntent} is asked about.
 *
 * @param kind TCP (a SYN), UDP, or an ICMP/ICMPv6 echo request ({@code PING})
 * @param port the destination port (TCP and UDP; ignored for {@code PING})
 * @param sourcePort the source port (TCP and UDP; ignored for {@code PING})
 * @param inInterface the interface it arrives on, e.g. {@code eth0} or {@code lo}
 * @param source the sender's address, a host prefix of {@code family}
 */
public record Connection(IpFamily family, Kind kind, int port, int sourcePort, String inInterface, Prefix source) {

    /** What the first packet is. */
    public enum Kind {
        TCP,
        UDP,
        PING
    }

    public Connection {
        if (source.family() != family || !source.isHost()) {
            throw new IllegalArgumentException("source " + source + " is not one " + family + " address");
        }
        if (kind != Kind.PING && (port < 0 || port > 65535 || sourcePort < 0 || sourcePort > 65535)) {
            throw new IllegalArgumentException("ports must be 0-65535: " + sourcePort + " -> " + port);
        }
        if (inInterface.isEmpty()) {
            throw new IllegalArgumentException("no input interface");
        }
    }

    public static Connection tcp(Prefix source, int port, String inInterface) {
        return new Connection(source.family(), Kind.TCP, port, 40000, inInterface, source);
    }

    public static Connection udp(Prefix source, int sourcePort, int port, String inInterface) {
        return new Connection(source.family(), Kind.UDP, port, sourcePort, inInterface, source);
    }

    public static Connection ping(Prefix source, String inInterface) {
        return new Connection(source.family(), Kind.PING, 0, 0, inInterface, source);
    }
}
