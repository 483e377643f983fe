package dev.stockade.nftables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ruleset a parser has read so far, changed as nft changes the kernel's: a table declared
 * again adds to the one there, {@code delete table} and {@code flush ruleset} take away. Both
 * parsers fill one, so a file of commands ends as the ruleset it leaves behind in an empty kernel.
 */
final class RulesetBuilder {

    static final class TableDraft {
        final String family;
        final String name;
        final Map<String, NftSet> sets = new LinkedHashMap<>();
        final Map<String, ChainDraft> chains = new LinkedHashMap<>();

        TableDraft(String family, String name) {
            this.family = family;
            this.name = name;
        }

        ChainDraft chain(String chain) {
            return chains.computeIfAbsent(chain, ChainDraft::new);
        }

        /** Adds a set, or the elements of one declared again. */
        void set(NftSet s) {
            NftSet old = sets.get(s.name());
            if (old == null) {
                sets.put(s.name(), s);
            } else {
                List<NftExpr> elements = new ArrayList<>(old.elements());
                elements.addAll(s.elements());
                sets.put(s.name(), new NftSet(s.name(), old.type(), old.flags(), elements));
            }
        }

        NftTable build() {
            List<NftChain> built = new ArrayList<>();
            chains.values().forEach(c -> built.add(c.build()));
            return new NftTable(family, name, List.copyOf(sets.values()), built);
        }
    }

    static final class ChainDraft {
        final String name;
        Optional<NftChain.Hook> hook = Optional.empty();
        final List<NftRule> rules = new ArrayList<>();

        ChainDraft(String name) {
            this.name = name;
        }

        NftChain build() {
            return new NftChain(name, hook, rules);
        }
    }

    private final Map<String, TableDraft> tables = new LinkedHashMap<>();

    TableDraft table(String family, String name) {
        return tables.computeIfAbsent(family + " " + name, k -> new TableDraft(family, name));
    }

    Optional<TableDraft> existing(String family, String name) {
        return Optional.ofNullable(tables.get(family + " " + name));
    }

    void delete(String family, String name) {
        tables.remove(family + " " + name);
    }

    void flush() {
        tables.clear();
    }

    NftRuleset build() {
        List<NftTable> built = new ArrayList<>();
        tables.values().forEach(t -> built.add(t.build()));
        return new NftRuleset(built);
    }

    /** nft's named base chain priorities (nft(8), "CHAINS"); the bridge family has its own. */
    static Optional<Integer> namedPriority(String family, String name) {
        if (family.equals("bridge")) {
            switch (name) {
                case "dstnat":
                    return Optional.of(-300);
                case "filter":
                    return Optional.of(-200);
                case "out":
                    return Optional.of(100);
                case "srcnat":
                    return Optional.of(300);
                default:
                    return Optional.empty();
            }
        }
        switch (name) {
            case "raw":
                return Optional.of(-300);
            case "mangle":
                return Optional.of(-150);
            case "dstnat":
                return Optional.of(-100);
            case "filter":
                return Optional.of(0);
            case "security":
                return Optional.of(50);
            case "srcnat":
                return Optional.of(100);
            default:
                return Optional.empty();
        }
    }
}
