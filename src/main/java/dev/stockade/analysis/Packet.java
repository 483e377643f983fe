package dev.stockade.analysis;

import dev.stockade.net.Prefix;
import java.util.Optional;

/**
 * One concrete packet as the filter table sees it.
 *
 * @param protocol IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6)
 * @param sport source port (tcp/udp), or -1
 * @param dport destination port (tcp/udp), or -1
 * @param icmpType ICMP(v6) type, or -1
 * @param state conntrack state: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED
 */
public record Packet(
        Prefix source,
        Prefix destination,
        int protocol,
        int sport,
        int dport,
        int icmpType,
        Optional<String> inInterface,
        Optional<String> outInterface,
        String state) {

    public Packet {
        if (!source.isHost() || !destination.isHost() || source.family() != destination.family()) {
            throw new IllegalArgumentException("source and destination are single addresses of one family");
        }
    }
}
