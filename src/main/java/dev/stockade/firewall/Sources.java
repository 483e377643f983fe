package dev.stockade.firewall;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.net.PrefixSets;
import java.util.List;

/**
 * Resolved source addresses for one family, as the fewest prefixes that cover exactly the same
 * addresses ({@link PrefixSets#aggregate}), sorted: a cluster of consecutive node addresses becomes
 * a few prefixes, so a node's rules grow with the number of openings, not with the cluster.
 * {@code [0.0.0.0/0]} or {@code [::/0]} means everyone; an empty list means nobody.
 */
public record Sources(IpFamily family, List<Prefix> prefixes) {

    public Sources {
        prefixes = minimal(prefixes);
        if (!prefixes.isEmpty() && prefixes.get(0).family() != family) {
            throw new IllegalArgumentException(prefixes.get(0).family() + " sources in an " + family + " list");
        }
    }

    public boolean isAny() {
        return prefixes.size() == 1 && prefixes.get(0).length() == 0;
    }

    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    @Override
    public String toString() {
        return isAny()
                ? "any"
                : isEmpty()
                        ? "-"
                        : String.join(
                                " ", prefixes.stream().map(Prefix::toString).toList());
    }

    /** The fewest prefixes covering exactly the addresses of {@code in}, sorted. */
    static List<Prefix> minimal(List<Prefix> in) {
        return PrefixSets.aggregate(in);
    }
}
