package dev.stockade.spec;

import java.util.Optional;

/** How the nodes' firewall is written and loaded: {@code firewall:} in the spec. */
public enum FirewallBackend {
    /** iptables-restore files for IPv4 and IPv6, loaded by the restore units (the default). */
    IPTABLES("iptables"),
    /** One {@code nft -f} file with an {@code inet} table for both families, with named sets. */
    NFTABLES("nftables");

    private final String keyword;

    FirewallBackend(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<FirewallBackend> parse(String text) {
        for (FirewallBackend b : values()) {
            if (b.keyword.equals(text)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return keyword;
    }
}
