package dev.stockade.spec;

import java.util.List;

/**
 * ICMP policy. The error messages hosts need (and IPv6 neighbour discovery) are always allowed;
 * echo requests (ping) only from {@code pingFrom}, which may be empty.
 */
public record IcmpSpec(List<SourceRef> pingFrom) {

    public IcmpSpec {
        pingFrom = List.copyOf(pingFrom);
    }
}
