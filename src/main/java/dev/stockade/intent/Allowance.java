package dev.stockade.intent;

import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the spec as a finite description of the new connections it lets in on one node and
 * one family: a connection is admitted when every part below holds.
 *
 * @param entry the spec entry it comes from, e.g. {@code admin.ssh} or {@code services.web}
 * @param kind what the first packet is
 * @param ports destination ports (empty for {@code PING})
 * @param sourcePorts source ports; empty means any
 * @param inInterface the input interface as the spec names it (a trailing {@code +} matches every
 *     name that starts with the rest, as in iptables); empty means any interface
 * @param sources the senders, as written or expanded from the spec; empty means nobody
 */
public record Allowance(
        String entry,
        IpFamily family,
        Connection.Kind kind,
        List<PortRange> ports,
        List<PortRange> sourcePorts,
        Optional<String> inInterface,
        List<Prefix> sources) {

    public Allowance {
        ports = List.copyOf(ports);
        sourcePorts = List.copyOf(sourcePorts);
        sources = List.copyOf(sources);
        if (sources.stream().anyMatch(p -> p.family() != family)) {
            throw new IllegalArgumentException(entry + ": a source is not " + family + ": " + sources);
        }
    }

    /** Whether this entry lets {@code c} in. */
    public boolean admits(Connection c) {
        return c.family() == family
                && c.kind() == kind
                && (kind == Connection.Kind.PING || inRanges(ports, c.port()))
                && (kind == Connection.Kind.PING || sourcePorts.isEmpty() || inRanges(sourcePorts, c.sourcePort()))
                && inInterface
                        .map(name -> interfaceMatches(name, c.inInterface()))
                        .orElse(true)
                && sources.stream().anyMatch(p -> p.contains(c.source()));
    }

    /** Whether an interface pattern of the spec names {@code actual}, as the kernel compares names. */
    public static boolean interfaceMatches(String pattern, String actual) {
        return pattern.endsWith("+")
                ? actual.startsWith(pattern.substring(0, pattern.length() - 1))
                : actual.equals(pattern);
    }

    private static boolean inRanges(List<PortRange> ranges, int port) {
        return ranges.stream().anyMatch(r -> r.from() <= port && port <= r.to());
    }
}
