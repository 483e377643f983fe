package dev.stockade.build;

import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.PacketSpace;
import dev.stockade.analysis.bdd.Bdd;
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
            PacketSpace s = a.space();
            Bdd bdd = a.bdd();
            int lower = a.acceptedLower("INPUT");
            int upper = a.acceptedUpper("INPUT");
            int fresh = bdd.and(s.valid(), bdd.and(s.firstPacket(true), s.notFragment()));
            int loopback = s.inAtom(s.interfaces().atomOf("lo"));
            if (bdd.diff(bdd.and(fresh, loopback), lower) != Bdd.FALSE) {
                problems.add("loopback does not accept everything");
            }
            int echo = family == IpFamily.V4 ? s.icmp(8, 0, 255) : s.icmp(128, 0, 255);
            int icmp = s.protocol(family == IpFamily.V4 ? 1 : 58);
            int slice = bdd.and(
                    bdd.diff(fresh, loopback),
                    bdd.or(
                            bdd.or(bdd.and(s.protocol(6), s.tcpFlags(0xFF, 0b10)), s.protocol(17)),
                            bdd.and(icmp, echo)));
            if (bdd.and(upper, slice) != bdd.and(lower, slice)) {
                problems.add("the result depends on conditions the analysis does not model");
            }
            boolean[] q = s.allFieldsBut(s.proto, s.dport, s.icmpType, s.in, s.src);
            int actual = bdd.exists(bdd.and(lower, slice), q);
            int intent = bdd.and(intent(fw.openings(), family, s, bdd), bdd.exists(s.valid(), q));
            int extra = bdd.diff(actual, intent);
            int missing = bdd.diff(intent, actual);
            Optional<Exposure> extraExposure = Optional.empty();
            Optional<Exposure> missingExposure = Optional.empty();
            if (extra != Bdd.FALSE) {
                problems.add("the rules accept more than the spec says");
                extraExposure = Optional.of(exposure(a, s, bdd, extra, fresh));
            }
            if (missing != Bdd.FALSE) {
                problems.add("the rules refuse what the spec opens");
                missingExposure = Optional.of(exposure(a, s, bdd, missing, fresh));
            }
            int forward = bdd.and(a.acceptedUpper(0, "FORWARD"), fresh);
            if (forward != Bdd.FALSE) {
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
    private static int intent(List<Opening> openings, IpFamily family, PacketSpace s, Bdd bdd) {
        int r = Bdd.FALSE;
        for (Opening o : openings) {
            int from = Bdd.FALSE;
            for (Prefix p : o.sources(family).prefixes()) {
                from = bdd.or(from, s.source(p));
            }
            if (from == Bdd.FALSE) {
                continue;
            }
            int what;
            if (o.protocol().equals("icmp")) {
                what = bdd.and(
                        s.protocol(family == IpFamily.V4 ? 1 : 58),
                        bdd.range(s.icmpType, 8, family == IpFamily.V4 ? 8 : 128, family == IpFamily.V4 ? 8 : 128));
            } else {
                int ports = Bdd.FALSE;
                for (PortRange p : o.ports()) {
                    ports = bdd.or(ports, s.dport(p.from(), p.to()));
                }
                what = bdd.and(s.protocol(o.protocol().equals("udp") ? 17 : 6), ports);
            }
            int iface = o.inInterface()
                    .map(s::inInterface)
                    .orElse(bdd.not(s.inAtom(s.interfaces().atomOf("lo"))));
            r = bdd.or(r, bdd.and(what, bdd.and(iface, from)));
        }
        if (family == IpFamily.V6) {
            // the fixed part of every firewall: DHCPv6 replies from link-local servers
            int dhcp = bdd.and(s.protocol(17), bdd.and(s.dport(546, 546), s.source(Prefix.parse("fe80::/10"))));
            r = bdd.or(r, bdd.diff(dhcp, s.inAtom(s.interfaces().atomOf("lo"))));
        }
        return r;
    }

    private static Exposure exposure(FilterAnalysis a, PacketSpace s, Bdd bdd, int projected, int fresh) {
        int set = bdd.and(projected, fresh);
        int noFlags = bdd.or(bdd.not(s.protocol(6)), s.tcpFlags(0xFF, 0b10));
        set = bdd.and(set, noFlags);
        return Exposure.of(a, "INPUT", set, set, false);
    }
}
