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
        return new AddressSet(e.family(), merged).prefixes();
    }

    /** Whether any new TCP connection to {@code port} is accepted, from anywhere, on any interface. */
    static boolean tcpOpen(Exposure e, int port) {
        return !tcp(e, port).isEmpty();
    }

    static List<Prefix> prefixes(String... texts) {
        return java.util.Arrays.stream(texts).map(Prefix::parse).sorted().toList();
    }
}
