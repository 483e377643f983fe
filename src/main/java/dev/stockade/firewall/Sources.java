package dev.stockade.firewall;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolved source addresses for one family, reduced to a minimal list (no prefix inside another).
 * {@code [0.0.0.0/0]} or {@code [::/0]} means everyone; an empty list means nobody.
 */
public record Sources(IpFamily family, List<Prefix> prefixes) {

    public Sources {
        prefixes = minimal(prefixes);
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

    /** Sorted, without duplicates and without prefixes covered by a shorter one. */
    static List<Prefix> minimal(List<Prefix> in) {
        List<Prefix> sorted = new ArrayList<>(in);
        sorted.sort(null);
        List<Prefix> out = new ArrayList<>();
        for (Prefix p : sorted) {
            if (out.stream().noneMatch(q -> q.contains(p))) {
                out.removeIf(p::contains);
                out.add(p);
            }
        }
        return List.copyOf(out);
    }
}
