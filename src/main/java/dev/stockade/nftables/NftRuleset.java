package dev.stockade.nftables;

import java.util.List;
import java.util.Optional;

/** A whole nftables ruleset, as {@code nft list ruleset} shows it: its tables in order. */
public record NftRuleset(List<NftTable> tables) {

    public NftRuleset {
        tables = List.copyOf(tables);
    }

    public Optional<NftTable> table(String family, String name) {
        return tables.stream()
                .filter(t -> t.family().equals(family) && t.name().equals(name))
                .findFirst();
    }
}
