package dev.stockade.firewall;

import dev.stockade.iptables.Ruleset;
import java.util.List;

/**
 * A node's compiled firewall: the IPv4 and IPv6 rulesets, the openings they implement, and what
 * is provisional because addresses were not yet known.
 */
public record NodeFirewall(String node, Ruleset v4, Ruleset v6, List<Opening> openings, List<String> provisional) {

    public NodeFirewall {
        openings = List.copyOf(openings);
        provisional = List.copyOf(provisional);
    }
}
