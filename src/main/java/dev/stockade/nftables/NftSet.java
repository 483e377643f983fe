package dev.stockade.nftables;

import java.util.List;
import java.util.Objects;

/**
 * A named set: {@code set NAME { type ipv4_addr; flags interval; elements = { ... } }}. Elements are
 * values, prefixes or ranges ({@link NftExpr}); sets holding prefixes or ranges need the
 * {@code interval} flag.
 *
 * @param type the element type: {@code ipv4_addr}, {@code ipv6_addr}, {@code inet_service},
 *     {@code ifname}...
 */
public record NftSet(String name, String type, List<String> flags, List<NftExpr> elements) {

    public NftSet {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        flags = List.copyOf(flags);
        elements = List.copyOf(elements);
    }

    public boolean isInterval() {
        return flags.contains("interval");
    }
}
