package dev.stockade.iptables;

import dev.stockade.net.IpFamily;
import java.util.List;
import java.util.Optional;

/** What one {@code iptables-save} (or {@code ip6tables-save}) file holds. */
public record Ruleset(IpFamily family, List<Table> tables) {

    public Ruleset {
        tables = List.copyOf(tables);
    }

    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
