package dev.stockade.build;

import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.Field;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketSet;
import dev.stockade.analysis.PacketSets;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.firewall.Opening;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves a compiled firewall against the spec it came from: for each family, the new TCP and UDP
 * connections and ICMP echo requests the INPUT chain accepts from outside loopback are exactly those
 * of the node's openings (protocol, ports, interface, sources); loopback accepts everything; FORWARD
 * accepts no new connection; no result depends on a condition the analysis cannot model. A proof
 * that fails lists what the rules accept beyond the spec and what the spec wants but the rules refuse.
 */
public final class FirewallProof {

    /** The outcome for one family of one node. */
    public record Result(
            String node,
            IpFamily family,
            boolean holds,
            int openings,
            List<String> problems,
            Optional<Exposure> extra,
            Optional<Exposure> missing) {}

    private FirewallProof() {}

    public static List<Result> prove(NodeFirewall fw) {
        return List.of(prove(fw, IpFamily.V4), prove(fw, IpFamily.V6));
    }

    static Result prove(NodeFirewall fw, IpFamily family) {
        Ruleset rs = family == IpFamily.V4 ? fw.v4() : fw.v6();
        List<String> problems = new ArrayList<>();
        Optional<Table> filter = rs.table("filter");
        if (filter.isEmpty()) {
            return new Result(
                    fw.node(), family, false, 0, List.of("no filter table"), Optional.empty(), Optional.empty());
        }
        try {
            FilterAnalysis a = FilterAnalysis.of(family, filter.get());
            PacketSets p = a.packets();
            PacketSet lower = a.acceptedLower("INPUT");
            PacketSet upper = a.acceptedUpper("INPUT");
            PacketSet fresh = p.firstPackets("INPUT");
            PacketSet loopback = p.inInterface("lo");
            if (!fresh.and(loopback).within(lower)) {
                problems.add("loopback does not accept everything");
            }
            PacketSet echo =
                    p.protocol(family == IpFamily.V4 ? 1 : 58).and(p.icmpType(family == IpFamily.V4 ? 8 : 128));
            PacketSet syn = p.protocol(6).and(p.tcpFlags(0xFF, Packet.SYN));
            PacketSet slice = fresh.minus(loopback).and(syn.or(p.protocol(17)).or(echo));
            if (!upper.and(slice).equals(lower.and(slice))) {
                problems.add("the result depends on conditions the analysis does not model");
            }
            Field[] read = {Field.PROTOCOL, Field.DESTINATION_PORT, Field.ICMP_TYPE, Field.IN_INTERFACE, Field.SOURCE};
            PacketSet actual = lower.and(slice).keep(read);
            PacketSet intent =
                    intent(fw.openings(), family, p).and(p.all("INPUT").keep(read));
            PacketSet extra = actual.minus(intent);
            PacketSet missing = intent.minus(actual);
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
            long count = fw.openings().stream()
                    .filter(o -> !o.sources(family).isEmpty())
                    .count();
            return new Result(
                    fw.node(), family, problems.isEmpty(), (int) count, problems, extraExposure, missingExposure);
        } catch (InputException e) {
            return new Result(fw.node(), family, false, 0, List.of(e.getMessage()), Optional.empty(), Optional.empty());
        }
    }

    /** The projected set of (protocol, port or ICMP type, interface, source) the openings ask for. */
    private static PacketSet intent(List<Opening> openings, IpFamily family, PacketSets p) {
        PacketSet r = p.none();
        for (Opening o : openings) {
            PacketSet from = p.none();
            for (Prefix prefix : o.sources(family).prefixes()) {
                from = from.or(p.source(prefix));
            }
            if (from.isEmpty()) {
                continue;
            }
            PacketSet what;
            if (o.protocol().equals("icmp")) {
                what = p.protocol(family == IpFamily.V4 ? 1 : 58).and(p.icmpType(family == IpFamily.V4 ? 8 : 128));
            } else {
                PacketSet ports = p.none();
                for (PortRange range : o.ports()) {
                    ports = ports.or(p.destinationPorts(range.from(), range.to()));
                }
                what = p.protocol(o.protocol().equals("udp") ? 17 : 6).and(ports);
            }
            PacketSet iface = o.inInterface()
                    .map(p::inInterface)
                    .orElse(p.inInterface("lo").not());
            r = r.or(what.and(iface).and(from));
        }
        if (family == IpFamily.V6) {
            // the fixed part of every firewall: DHCPv6 replies from link-local servers
            PacketSet dhcp = p.protocol(17).and(p.destinationPorts(546, 546)).and(p.source(Prefix.parse("fe80::/10")));
            r = r.or(dhcp.minus(p.inInterface("lo")));
        }
        return r;
    }

    private static Exposure exposure(FilterAnalysis a, PacketSet projected, PacketSet fresh, PacketSet syn) {
        PacketSet set = projected.and(fresh).and(syn.or(a.packets().protocol(6).not()));
        return Exposure.of(a, "INPUT", set, set, false);
    }
}
