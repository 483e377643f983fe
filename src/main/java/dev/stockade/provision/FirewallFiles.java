package dev.stockade.provision;

import java.util.Objects;

/** A node's firewall as written, in the form its loader reads: what {@code firewall:} in the spec chose. */
public sealed interface FirewallFiles {

    /** iptables-restore input for IPv4 and for IPv6. */
    record Iptables(String v4, String v6) implements FirewallFiles {
        public Iptables {
            Objects.requireNonNull(v4);
            Objects.requireNonNull(v6);
        }
    }

    /** One {@code nft -f} file holding both families. */
    record Nftables(String ruleset) implements FirewallFiles {
        public Nftables {
            Objects.requireNonNull(ruleset);
        }
    }
}
