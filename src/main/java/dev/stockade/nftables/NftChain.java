package dev.stockade.nftables;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A chain: base chains are attached to a hook and have a policy; regular chains are only jumped to. */
public record NftChain(String name, Optional<Hook> hook, List<NftRule> rules) {

    /**
     * Where a base chain is attached: {@code type filter hook input priority 0; policy drop;}.
     *
     * @param priority the number (nft's named priorities resolve to numbers: {@code filter} is 0)
     * @param policy {@code accept} or {@code drop}
     */
    public record Hook(String type, String hook, int priority, String policy) {
        public Hook {
            Objects.requireNonNull(type);
            Objects.requireNonNull(hook);
            if (!policy.equals("accept") && !policy.equals("drop")) {
                throw new IllegalArgumentException("a base chain's policy is accept or drop, not '" + policy + "'");
            }
        }
    }

    public NftChain {
        Objects.requireNonNull(name);
        rules = List.copyOf(rules);
    }

    public static NftChain base(String name, Hook hook, List<NftRule> rules) {
        return new NftChain(name, Optional.of(hook), rules);
    }

    public boolean isBase() {
        return hook.isPresent();
    }
}
