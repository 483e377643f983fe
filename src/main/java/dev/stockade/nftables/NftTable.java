package dev.stockade.nftables;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A table: its family ({@code inet}, {@code ip}, {@code ip6}, {@code arp}, {@code bridge}, {@code netdev}), sets and chains. */
public record NftTable(String family, String name, List<NftSet> sets, List<NftChain> chains) {

    public NftTable {
        Objects.requireNonNull(family);
        Objects.requireNonNull(name);
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
    }

    public Optional<NftSet> set(String setName) {
        return sets.stream().filter(s -> s.name().equals(setName)).findFirst();
    }

    public Optional<NftChain> chain(String chainName) {
        return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
    }
}
