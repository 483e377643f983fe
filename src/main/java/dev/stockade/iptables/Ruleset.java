package dev.stockade.iptables;

import dev.stockade.net.IpFamily;
import java.util.List;

/** What one {@code iptables-save} (or {@code ip6tables-save}) file holds. */
public record Ruleset(IpFamily family, List<Table> tables) {

    public Ruleset {
        tables = List.copyOf(tables);
    }
}
