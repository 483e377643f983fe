package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The entry point of the packet-set analysis: one {@link PacketSpace} for one or more filter tables
 * of one family (two for a diff, so their sets can be compared), their {@link TableSemantics}, and
 * the bounds and doubts of any result.
 */
public final class FilterAnalysis {

    /** How matches are read: exactly, or with the abstractions of the Iptables_Semantics tool. */
    public enum Approximation {
        EXACT,
        FFFUU
    }

    private final PacketSpace space;
    private final RuleEncoder encoder;
    private final List<TableSemantics> tables = new ArrayList<>();
    private final Approximation approximation;
    /** fffuu-mode summaries by table and chain (exact ones are kept by {@link TableSemantics}). */
    private final java.util.Map<String, TableSemantics.Summary> unfolded = new java.util.HashMap<>();

    private FilterAnalysis(
            IpFamily family,
            List<Table> tables,
            Collection<String> extraInterfaces,
            Collection<Prefix> extraAddresses,
            Approximation approximation,
            Ipassmt ipassmt) {
        this.approximation = approximation;
        Set<String> names = new LinkedHashSet<>();
        AddressAtoms.Builder sources = new AddressAtoms.Builder(family);
        AddressAtoms.Builder destinations = new AddressAtoms.Builder(family);
        for (Table t : tables) {
            for (Rule r : t.rules()) {
                RuleEncoder.addresses(r, approximation, ipassmt, sources, destinations);
                for (Match m : r.matches()) {
                    if (m instanceof Match.Interface) {
                        names.add(((Match.Interface) m).name());
                    }
                }
            }
        }
        Set<String> all = new LinkedHashSet<>(names);
        all.addAll(extraInterfaces);
        int rules = tables.stream().mapToInt(t -> t.rules().size()).sum();
        for (Prefix p : extraAddresses) {
            sources.add(p);
            destinations.add(p);
        }
        if (ipassmt != null) {
            // assume() reads the assignment's ranges as source addresses
            for (Ipassmt.Entry e : ipassmt.entries().values()) {
                for (Interval range : e.ranges()) {
                    sources.add(0, range.from(), 0, range.to());
                }
            }
        }
        this.space = new PacketSpace(family, all, sources.build(), destinations.build(), rules);
        this.encoder = new RuleEncoder(space, approximation, ipassmt, names);
        for (Table t : tables) {
            this.tables.add(new TableSemantics(encoder, t));
        }
    }

    /** An exact analysis of one filter table. */
    public static FilterAnalysis of(IpFamily family, Table filter) {
        return new FilterAnalysis(family, List.of(filter), List.of(), List.of(), Approximation.EXACT, null);
    }

    /** Several tables in one space (their interface names known to all), read as {@code approximation} says. */
    public static FilterAnalysis of(
            IpFamily family,
            List<Table> filters,
            Collection<String> extraInterfaces,
            Approximation approximation,
            Ipassmt ipassmt) {
        return new FilterAnalysis(family, filters, extraInterfaces, List.of(), approximation, ipassmt);
    }

    /**
     * As {@link #of(IpFamily, List, Collection, Approximation, Ipassmt)}, with prefixes the caller
     * will ask for as sources or destinations ({@link PacketSets#source}) besides those the rules
     * name: the space tells their addresses apart from the others.
     */
    public static FilterAnalysis of(
            IpFamily family,
            List<Table> filters,
            Collection<String> extraInterfaces,
            Collection<Prefix> extraAddresses,
            Approximation approximation,
            Ipassmt ipassmt) {
        return new FilterAnalysis(family, filters, extraInterfaces, extraAddresses, approximation, ipassmt);
    }

    public Approximation approximation() {
        return approximation;
    }

    /** Packets a builtin chain sees off the loopback interface: in (INPUT), out (OUTPUT), or both (FORWARD). */
    int outsideLoopback(String chain) {
        int lo = space.interfaces().atomOf("lo");
        int in = bdd().not(space.inAtom(lo));
        int out = bdd().not(space.outAtom(lo));
        return chain.equals("INPUT") ? in : chain.equals("OUTPUT") ? out : bdd().and(in, out);
    }

    PacketSpace space() {
        return space;
    }

    Bdd bdd() {
        return space.bdd();
    }

    /** The sets single conditions describe, in this analysis's space. */
    public PacketSets packets() {
        return new PacketSets(space);
    }

    public IpFamily family() {
        return space.family();
    }

    TableSemantics table(int i) {
        return tables.get(i);
    }

    /** Verdict sets of a builtin chain of the first table (unfolded as that tool does in fffuu mode). */
    TableSemantics.Summary chain(String chain) throws InputException {
        return chain(0, chain);
    }

    /** Verdict sets of a builtin chain of table {@code i}. */
    TableSemantics.Summary chain(int i, String chain) throws InputException {
        if (approximation == Approximation.EXACT) {
            return tables.get(i).builtin(chain);
        }
        String key = i + "/" + chain;
        TableSemantics.Summary s = unfolded.get(key);
        if (s == null) {
            s = tables.get(i).unfolded(chain);
            unfolded.put(key, s);
        }
        return s;
    }

    /** The packets a builtin chain of the first table certainly accepts: accepting is their only outcome. */
    public PacketSet acceptedLower(String chain) throws InputException {
        return acceptedLower(0, chain);
    }

    /** The packets a builtin chain of the first table may accept. */
    public PacketSet acceptedUpper(String chain) throws InputException {
        return acceptedUpper(0, chain);
    }

    /** The packets a builtin chain of table {@code i} certainly accepts. */
    public PacketSet acceptedLower(int i, String chain) throws InputException {
        return new PacketSet(space, lower(i, chain));
    }

    /** The packets a builtin chain of table {@code i} may accept. */
    public PacketSet acceptedUpper(int i, String chain) throws InputException {
        return new PacketSet(space, upper(i, chain));
    }

    int lower(int i, String chain) throws InputException {
        TableSemantics.Summary s = chain(i, chain);
        return bdd().diff(s.accept(), bdd().or(s.drop(), s.reject()));
    }

    int upper(int i, String chain) throws InputException {
        return chain(i, chain).accept();
    }

    /**
     * What a builtin chain of the first table does with {@code p} (a state it leaves open is the
     * one conntrack gives the first packet of a flow): the only verdict possible for it, or
     * {@code UNDETERMINED} when unmodelled conditions or open fields leave more than one.
     * {@link PacketQuery} also gives the rules that decided.
     */
    public Verdict verdict(String chain, Packet p) throws InputException {
        int point = bdd().and(space.point(p), space.valid(chain));
        if (p.state().isEmpty()) {
            point = bdd().and(point, space.firstPacket(true));
        }
        return PacketQuery.verdict(bdd(), point, chain(chain));
    }

    /**
     * The packets that respect an IP assignment: a packet arriving on an assigned interface comes
     * from one of its addresses (IPv4; interfaces the ruleset never names are not constrained).
     */
    public PacketSet assume(Ipassmt assignment) {
        Bdd bdd = bdd();
        int r = Bdd.TRUE;
        for (java.util.Map.Entry<String, Ipassmt.Entry> e : assignment.entries().entrySet()) {
            if (space.family() != IpFamily.V4
                    || space.interfaces().matching(e.getKey()).isEmpty()) {
                continue;
            }
            int from = Bdd.FALSE;
            for (Interval range : e.getValue().ranges()) {
                from = bdd.or(from, space.sourceRange(0, range.from(), 0, range.to()));
            }
            if (e.getValue().complement()) {
                from = bdd.not(from);
            }
            r = bdd.and(r, bdd.or(bdd.not(space.inInterface(e.getKey())), from));
        }
        return new PacketSet(space, r);
    }

    /** The unmodelled conditions that decide something for packets of {@code region} (entering the first table). */
    List<Doubt> doubtsIn(int region) {
        return tables.get(0).doubtsIn(region);
    }
}
