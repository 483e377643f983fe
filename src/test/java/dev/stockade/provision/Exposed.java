package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.AddressSet;
import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a rules file placed on a node lets in, read by Stockade's packet-set analysis (the engine
 * the kernel differential tests check): new TCP connections per destination port, from which
 * sources and on which input interfaces.
 */
final class Exposed {

    private Exposed() {}

    /** The INPUT exposure of {@code rules}, read as {@code family}; fails unless the analysis is exact. */
    static Exposure input(String rules, IpFamily family) throws Exception {
        FilterAnalysis a = FilterAnalysis.of(
                family,
                IptablesSaveParser.parse("rules-save", rules, family)
                        .ruleset()
                        .table("filter")
                        .orElseThrow(() -> new AssertionError("no filter table")));
        Exposure e = Exposure.of(a, "INPUT");
        assertTrue(e.exact(), "the analysis of a generated ruleset is exact");
        return e;
    }

    /** Every entry that accepts new TCP connections to {@code port}. */
    static List<Exposure.Entry> tcp(Exposure e, int port) {
        return e.accepted().stream()
                .filter(x -> x.protocol().equals("tcp"))
                .filter(x -> x.keys().stream().anyMatch(k -> k.contains(port)))
                .toList();
    }

    /** The sources, as the fewest prefixes, from which a new TCP connection to {@code port} is accepted on any interface. */
    static List<Prefix> tcpSources(Exposure e, int port) {
        List<AddressSet.Range> ranges = new ArrayList<>();
        for (Exposure.Entry x : tcp(e, port)) {
            ranges.addAll(x.addresses().ranges());
        }
        return fewest(e.family(), ranges);
    }

    /** The fewest prefixes covering exactly the addresses of {@code texts}: how {@link #tcpSources} reports a set. */
    static List<Prefix> cover(String... texts) {
        List<AddressSet.Range> ranges = new ArrayList<>();
        IpFamily family = null;
        for (String t : texts) {
            Prefix p = Prefix.parse(t);
            family = p.family();
            BigInteger first = p.family() == IpFamily.V4
                    ? BigInteger.valueOf(p.lo())
                    : unsigned(p.hi()).shiftLeft(64).or(unsigned(p.lo()));
            BigInteger size = BigInteger.ONE.shiftLeft(p.family().bits() - p.length());
            ranges.add(new AddressSet.Range(first, first.add(size).subtract(BigInteger.ONE)));
        }
        return family == null ? List.of() : fewest(family, ranges);
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b;
    }

    private static List<Prefix> fewest(IpFamily family, List<AddressSet.Range> in) {
        List<AddressSet.Range> ranges = new ArrayList<>(in);
        ranges.sort(Comparator.comparing(AddressSet.Range::first));
        List<AddressSet.Range> merged = new ArrayList<>();
        for (AddressSet.Range r : ranges) {
            if (!merged.isEmpty()
                    && merged.get(merged.size() - 1).last().add(BigInteger.ONE).compareTo(r.first()) >= 0) {
                AddressSet.Range last = merged.remove(merged.size() - 1);
                merged.add(new AddressSet.Range(last.first(), last.last().max(r.last())));
            } else {
                merged.add(r);
            }
        }
        return new AddressSet(family, merged).prefixes();
    }

    /** Whether any new TCP connection to {@code port} is accepted, from anywhere, on any interface. */
    static boolean tcpOpen(Exposure e, int port) {
        return !tcp(e, port).isEmpty();
    }
}
