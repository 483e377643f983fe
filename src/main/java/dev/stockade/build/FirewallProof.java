package dev.stockade.build;

import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.Field;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.FilterAnalysis.Approximation;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketSet;
import dev.stockade.analysis.PacketSets;
import dev.stockade.intent.Allowance;
import dev.stockade.intent.Connection;
import dev.stockade.intent.SpecIntent;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.nftables.NftRuleset;
import dev.stockade.nftables.NftTextParser;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves a node's written firewall against the spec: the rules files (or the nftables file,
 * converted per family into the same model), read back by the parser as any other dump, are
 * analysed as packet sets and compared with {@link SpecIntent}, which reads the spec independently
 * of the compiler. For each family: the new TCP connections, UDP packets
 * and ICMP echo requests the INPUT chain accepts from outside loopback are exactly those the spec
 * allows (protocol, destination and source port or ICMP type, input interface, source address);
 * loopback accepts everything; FORWARD accepts no new connection; no result depends on a condition
 * the analysis cannot model. A proof that fails lists what the rules accept beyond the spec and
 * what the spec allows but the rules refuse.
 *
 * <p>Not proved here: packets that are not the first of a flow (replies and related packets are
 * accepted by design), ICMP other than echo requests, OUTPUT, and what the kernel does beyond the
 * filter table (rate limits, other tables, sysctls).
 */
public final class FirewallProof {

    /** The outcome for one family of one node; {@code entries} counts the spec entries proved. */
    public record Result(
            String node,
            IpFamily family,
            boolean holds,
            int entries,
            List<String> problems,
            Optional<Exposure> extra,
            Optional<Exposure> missing) {

        static Result failed(String node, IpFamily family, String problem) {
            return new Result(node, family, false, 0, List.of(problem), Optional.empty(), Optional.empty());
        }
    }

    private static final Field[] COMPARED = {
        Field.PROTOCOL, Field.DESTINATION_PORT, Field.SOURCE_PORT, Field.ICMP_TYPE, Field.IN_INTERFACE, Field.SOURCE
    };

    private FirewallProof() {}

    /** Proves the firewall written for {@code node}, both families. */
    public static List<Result> prove(SpecIntent intent, String node, FirewallFiles rules) {
        if (rules instanceof FirewallFiles.Nftables) {
            return proveNft(intent, node, ((FirewallFiles.Nftables) rules).ruleset());
        }
        FirewallFiles.Iptables ipt = (FirewallFiles.Iptables) rules;
        return List.of(prove(intent, node, IpFamily.V4, ipt.v4()), prove(intent, node, IpFamily.V6, ipt.v6()));
    }

    /**
     * The nftables file is read back by the parser {@code fw} uses for nft text, and each family's
     * share of it converted into the iptables model the analysis reads; from there the proof is the
     * same. Anything the conversion could not model is a doubt, which the proof refuses.
     */
    private static List<Result> proveNft(SpecIntent intent, String node, String text) {
        String file = node + "/" + ClusterBuilder.NFTABLES;
        NftRuleset rs;
        try {
            rs = NftTextParser.parse(file, text).ruleset();
        } catch (InputException e) {
            String problem = "the written ruleset does not parse: " + e.getMessage();
            return List.of(Result.failed(node, IpFamily.V4, problem), Result.failed(node, IpFamily.V6, problem));
        }
        List<Result> out = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            out.add(prove(
                    intent,
                    node,
                    family,
                    NftablesToRulesets.convert(file, rs, family).ruleset()));
        }
        return out;
    }

    private static Result prove(SpecIntent intent, String node, IpFamily family, String text) {
        String file = node + "/" + (family == IpFamily.V4 ? ClusterBuilder.RULES_V4 : ClusterBuilder.RULES_V6);
        try {
            Ruleset rs = IptablesSaveParser.parse(file, text, family).ruleset();
            return prove(intent, node, family, rs);
        } catch (InputException e) {
            return Result.failed(node, family, "the written rules do not parse: " + e.getMessage());
        }
    }

    static Result prove(SpecIntent intent, String node, IpFamily family, Ruleset rs) {
        Optional<Table> filter = rs.table("filter");
        if (filter.isEmpty()) {
            return Result.failed(node, family, "no filter table");
        }
        try {
            List<Allowance> allowances = intent.allowances(node, family);
            // the spec's interface names join the space even where no rule names them: a rule on the
            // wrong interface must not make the spec's own interface vanish from the comparison
            List<String> named = allowances.stream()
                    .flatMap(a -> a.inInterface().stream())
                    .distinct()
                    .toList();
            // and so do its source prefixes: the space tells their addresses apart from the others
            List<Prefix> sources = allowances.stream()
                    .flatMap(a -> a.sources().stream())
                    .distinct()
                    .toList();
            FilterAnalysis a =
                    FilterAnalysis.of(family, List.of(filter.get()), named, sources, Approximation.EXACT, null);
            return prove(node, family, a, allowances);
        } catch (InputException e) {
            return Result.failed(node, family, e.getMessage());
        }
    }

    private static Result prove(String node, IpFamily family, FilterAnalysis a, List<Allowance> allowances)
            throws InputException {
        List<String> problems = new ArrayList<>();
        PacketSets p = a.packets();
        PacketSet lower = a.acceptedLower("INPUT");
        PacketSet upper = a.acceptedUpper("INPUT");
        PacketSet fresh = p.firstPackets("INPUT");
        PacketSet loopback = p.inInterface(SpecIntent.LOOPBACK);
        if (!fresh.and(loopback).within(lower)) {
            problems.add("loopback does not accept everything");
        }
        PacketSet syn = p.protocol(6).and(p.tcpFlags(0xFF, Packet.SYN));
        PacketSet slice = fresh.minus(loopback).and(syn.or(p.protocol(17)).or(echo(family, p)));
        if (!upper.and(slice).equals(lower.and(slice))) {
            problems.add("the result depends on conditions the analysis does not model");
        }
        PacketSet actual = lower.and(slice).keep(COMPARED);
        PacketSet wanted = intent(allowances, family, p).and(p.all("INPUT").keep(COMPARED));
        PacketSet extra = actual.minus(wanted);
        PacketSet missing = wanted.minus(actual);
        Optional<Exposure> extraExposure = Optional.empty();
        Optional<Exposure> missingExposure = Optional.empty();
        if (!extra.isEmpty()) {
            problems.add("the rules accept more than the spec says");
            extraExposure = Optional.of(exposure(a, extra, fresh, syn));
        }
        if (!missing.isEmpty()) {
            problems.add("the rules refuse what the spec opens");
            missingExposure = Optional.of(exposure(a, missing, fresh, syn));
        }
        if (a.acceptedUpper(0, "FORWARD").intersects(p.firstPackets("FORWARD"))) {
            problems.add("FORWARD accepts new connections");
        }
        return new Result(
                node, family, problems.isEmpty(), allowances.size(), problems, extraExposure, missingExposure);
    }

    private static PacketSet echo(IpFamily family, PacketSets p) {
        return family == IpFamily.V4
                ? p.protocol(1).and(p.icmpType(8))
                : p.protocol(58).and(p.icmpType(128));
    }

    /** The spec's allowances as one set of (protocol, ports or ICMP type, interface, source). */
    private static PacketSet intent(List<Allowance> allowances, IpFamily family, PacketSets p) {
        PacketSet r = p.none();
        for (Allowance a : allowances) {
            PacketSet from = p.sources(a.sources());
            PacketSet what;
            if (a.kind() == Connection.Kind.PING) {
                what = echo(family, p);
            } else {
                what = p.protocol(a.kind() == Connection.Kind.UDP ? 17 : 6)
                        .and(ranges(a.ports(), p, false))
                        .and(a.sourcePorts().isEmpty() ? p.none().not() : ranges(a.sourcePorts(), p, true));
            }
            // loopback is proved on its own above: an entry's pattern that also names lo ("+") counts
            // here only for the other interfaces
            PacketSet iface = a.inInterface()
                    .map(p::inInterface)
                    .orElse(p.none().not())
                    .minus(p.inInterface(SpecIntent.LOOPBACK));
            r = r.or(what.and(iface).and(from));
        }
        return r;
    }

    private static PacketSet ranges(List<PortRange> ranges, PacketSets p, boolean source) {
        PacketSet r = p.none();
        for (PortRange range : ranges) {
            r = r.or(source ? p.sourcePorts(range.from(), range.to()) : p.destinationPorts(range.from(), range.to()));
        }
        return r;
    }

    private static Exposure exposure(FilterAnalysis a, PacketSet projected, PacketSet fresh, PacketSet syn)
            throws InputException {
        PacketSet set = projected.and(fresh).and(syn.or(a.packets().protocol(6).not()));
        return Exposure.of(a, "INPUT", set, set, false);
    }
}
