package dev.stockade.iptables;

import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import java.util.List;

/** Factories for the matches Stockade generates, in the exact form iptables-save prints them. */
public final class Matches {

    /** multiport takes at most 15 ports, a range counting twice. */
    public static final int MULTIPORT_SLOTS = 15;

    private Matches() {}

    public static Match source(Prefix p) {
        return new Match.Address(true, false, p);
    }

    public static Match in(String iface) {
        return new Match.Interface(true, false, iface);
    }

    public static Match protocol(String name) {
        return new Match.Protocol(false, name);
    }

    /** {@code -m tcp|udp [--sport P] [--dport P]}. */
    public static Match ports(String protocol, PortRange sport, PortRange dport) {
        List<Option> opts = new java.util.ArrayList<>();
        if (sport != null) {
            opts.add(Option.of("sport", sport.toIptables()));
        }
        if (dport != null) {
            opts.add(Option.of("dport", dport.toIptables()));
        }
        return new Match.Module(protocol, opts);
    }

    public static int slots(List<PortRange> ports) {
        return ports.stream().mapToInt(p -> p.isSingle() ? 1 : 2).sum();
    }

    public static Match multiport(List<PortRange> ports) {
        if (ports.isEmpty() || slots(ports) > MULTIPORT_SLOTS) {
            throw new IllegalArgumentException("multiport takes 1 to 15 port slots");
        }
        return Match.Module.of(
                "multiport",
                Option.of(
                        "dports",
                        String.join(
                                ",", ports.stream().map(PortRange::toIptables).toList())));
    }

    public static Match conntrack(String... states) {
        return Match.Module.of("conntrack", Option.of("ctstate", String.join(",", states)));
    }

    public static Match icmp(int type) {
        return Match.Module.of("icmp", Option.of("icmp-type", Integer.toString(type)));
    }

    public static Match icmp6(int type) {
        return Match.Module.of("icmp6", Option.of("icmpv6-type", Integer.toString(type)));
    }

    public static Match hopLimit(int equals) {
        return Match.Module.of("hl", Option.of("hl-eq", Integer.toString(equals)));
    }

    /** {@code -m comment --comment "TEXT"}: iptables-save always double-quotes comments. */
    public static Match comment(String text) {
        if (text.isEmpty() || text.length() > 255 || text.indexOf('\n') >= 0 || text.indexOf('"') >= 0) {
            throw new IllegalArgumentException("comment must be 1-255 characters without quotes or newlines");
        }
        return Match.Module.of("comment", Option.of("comment", text));
    }
}
