package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service matrix: which hosts may open a new TCP connection to which hosts on one port, as a
 * partition of the address space into classes of addresses with identical access (as source and
 * as destination) and the edges between classes, in the form of the Iptables_Semantics tool
 * (Diekmann et al., "Verified iptables Firewall Analysis", IFIP Networking 2016).
 *
 * <p>Design note. The accepted set is cut down to the probe (NEW, TCP SYN from source port 10000
 * to the port, not a fragment), projected onto source and destination address and moved into a
 * diagram with the source bits first. Each source then leads to a node below the source bits: its
 * "row" (the set of destinations it reaches), so sources with the same row node have the same
 * outgoing access. Destinations with the same incoming access are the atoms of the Boolean algebra
 * the rows generate (partition refinement by every row). A class is a non-empty intersection of a
 * row class and a column class; an edge (A, B) holds when A's row contains B's column class. All of
 * this is exact: no address is sampled.
 *
 * <p>In exact mode the matrix leaves out packets on the loopback interface ({@code loopbackLeftOut}):
 * a rule such as {@code -i lo -j ACCEPT} admits any source address on {@code lo}, which would join
 * every address into one class, although only the host itself can send there. (In fffuu mode the IP
 * assignment gives {@code lo} its addresses, as that tool does.)
 */
public record ServiceMatrix(
        IpFamily family, int port, List<AddressSet> classes, List<Edge> edges, boolean loopbackLeftOut) {

    /** Class {@code from} may open connections to class {@code to} (indices into {@code classes}). */
    public record Edge(int from, int to) {}

    public ServiceMatrix {
        classes = List.copyOf(classes);
        edges = List.copyOf(edges);
    }

    /**
     * The matrix of a builtin chain of the analysis's first table: {@code upper} reads unmodelled
     * conditions as "may hold" (what may connect), otherwise as "do not hold" (what certainly can).
     * {@code assumption} restricts the packets considered (e.g. addresses per interface).
     */
    public static ServiceMatrix of(
            FilterAnalysis a, String chain, int port, int sourcePort, boolean upper, PacketSet assumption)
            throws InputException {
        return of(a, chain, port, sourcePort, upper, assumption.node());
    }

    /** As {@link #of(FilterAnalysis, String, int, int, boolean, PacketSet)}, with no assumption. */
    public static ServiceMatrix of(FilterAnalysis a, String chain, int port, int sourcePort, boolean upper)
            throws InputException {
        return of(a, chain, port, sourcePort, upper, Bdd.TRUE);
    }

    private static ServiceMatrix of(
            FilterAnalysis a, String chain, int port, int sourcePort, boolean upper, int assumption)
            throws InputException {
        PacketSpace s = a.space();
        Bdd big = a.bdd();
        int accepted = upper ? a.upper(0, chain) : a.lower(0, chain);
        int probe = big.and(
                s.state(PacketSpace.State.NEW),
                big.and(
                        s.protocol(6),
                        big.and(
                                s.tcpFlags(0xFF, 0b10),
                                big.and(
                                        s.notFragment(),
                                        big.and(s.dport(port, port), s.sport(sourcePort, sourcePort))))));
        boolean leaveOutLoopback = a.approximation() == FilterAnalysis.Approximation.EXACT;
        if (leaveOutLoopback) {
            probe = big.and(probe, a.outsideLoopback(chain));
        }
        int set = big.and(big.and(accepted, assumption), probe);
        boolean[] q = s.allFieldsBut(s.src, s.dst);
        AddressAtoms sources = s.atomsAt(s.src);
        AddressAtoms destinations = s.atomsAt(s.dst);
        int srcBits = sources.bits();
        int[] map = new int[big.variables()];
        for (int i = 0; i < srcBits; i++) {
            map[s.src + i] = i;
        }
        for (int i = 0; i < destinations.bits(); i++) {
            map[s.dst + i] = srcBits + i;
        }
        int projected = big.exists(set, q);
        Bdd bdd = new Bdd(srcBits + destinations.bits());
        int f = big.transfer(projected, bdd, map);
        return of(bdd, f, sources, destinations, port, leaveOutLoopback);
    }

    private static ServiceMatrix of(
            Bdd bdd, int f, AddressAtoms sources, AddressAtoms destinations, int port, boolean loopbackLeftOut) {
        IpFamily family = sources.family();
        Map<Integer, List<AddressSet.Range>> rows = rows(bdd, f, sources);
        List<Integer> columns = new ArrayList<>();
        columns.add(Bdd.TRUE);
        for (int row : rows.keySet()) {
            List<Integer> next = new ArrayList<>();
            for (int c : columns) {
                int in = bdd.and(c, row);
                int out = bdd.diff(c, row);
                if (in != Bdd.FALSE) {
                    next.add(in);
                }
                if (out != Bdd.FALSE) {
                    next.add(out);
                }
            }
            columns = next;
        }
        List<List<AddressSet.Range>> columnRanges = new ArrayList<>();
        for (int c : columns) {
            columnRanges.add(AddressSet.of(bdd, c, sources.bits(), destinations).ranges());
        }
        record Cls(AddressSet set, int row, int column) {}
        List<Cls> classes = new ArrayList<>();
        for (Map.Entry<Integer, List<AddressSet.Range>> r : rows.entrySet()) {
            for (int c = 0; c < columns.size(); c++) {
                List<AddressSet.Range> both = intersect(r.getValue(), columnRanges.get(c));
                if (!both.isEmpty()) {
                    classes.add(new Cls(new AddressSet(family, both), r.getKey(), columns.get(c)));
                }
            }
        }
        classes.sort(Comparator.comparing(x -> x.set().first()));
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            for (int j = 0; j < classes.size(); j++) {
                if (bdd.intersects(classes.get(i).row(), classes.get(j).column())) {
                    edges.add(new Edge(i, j));
                }
            }
        }
        return new ServiceMatrix(family, port, classes.stream().map(Cls::set).toList(), edges, loopbackLeftOut);
    }

    /** Source ranges grouped by the node they lead to (their row of destinations), in address order. */
    private static Map<Integer, List<AddressSet.Range>> rows(Bdd bdd, int f, AddressAtoms sources) {
        Map<Integer, List<AddressSet.Range>> rows = new LinkedHashMap<>();
        for (FieldWalk.Piece p : FieldWalk.decompose(bdd, f, 0, sources.bits(), true)) {
            add(rows, p.rest(), sources.first(p.lo()), sources.last(p.hi()));
        }
        return rows;
    }

    private static void add(Map<Integer, List<AddressSet.Range>> rows, int row, BigInteger lo, BigInteger hi) {
        List<AddressSet.Range> list = rows.computeIfAbsent(row, k -> new ArrayList<>());
        if (!list.isEmpty()
                && list.get(list.size() - 1).last().add(BigInteger.ONE).equals(lo)) {
            list.set(
                    list.size() - 1,
                    new AddressSet.Range(list.get(list.size() - 1).first(), hi));
        } else {
            list.add(new AddressSet.Range(lo, hi));
        }
    }

    private static List<AddressSet.Range> intersect(List<AddressSet.Range> a, List<AddressSet.Range> b) {
        List<AddressSet.Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            BigInteger lo = a.get(i).first().max(b.get(j).first());
            BigInteger hi = a.get(i).last().min(b.get(j).last());
            if (lo.compareTo(hi) <= 0) {
                out.add(new AddressSet.Range(lo, hi));
            }
            if (a.get(i).last().compareTo(b.get(j).last()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** Class names as the Iptables_Semantics tool writes them: a..z, then aa, ab, ... */
    public static String name(int i) {
        StringBuilder sb = new StringBuilder();
        int n = i;
        do {
            sb.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return sb.toString();
    }

    /** The matrix in the text form of the Iptables_Semantics tool. */
    public String toFffuuText(int sourcePort) {
        StringBuilder sb = new StringBuilder();
        sb.append("=========== TCP port ")
                .append(sourcePort)
                .append("->")
                .append(port)
                .append(" =========\n");
        for (int i = 0; i < classes.size(); i++) {
            sb.append(name(i))
                    .append(" |-> ")
                    .append(classes.get(i).toRangeText())
                    .append('\n');
        }
        sb.append('\n');
        for (Edge e : edges) {
            sb.append('(')
                    .append(name(e.from()))
                    .append(',')
                    .append(name(e.to()))
                    .append(")\n");
        }
        return sb.append('\n').toString();
    }
}
