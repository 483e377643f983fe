package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** A set of addresses read out of a diagram, as sorted disjoint ranges; printable as CIDRs or ranges. */
public record AddressSet(IpFamily family, List<Range> ranges) {

    /** Addresses {@code first} to {@code last}, both included, as unsigned numbers. */
    public record Range(BigInteger first, BigInteger last) {}

    public AddressSet {
        ranges = List.copyOf(ranges);
    }

    /**
     * The addresses of the field at {@code first} for which {@code node} is TRUE (nothing else may
     * remain below); the field holds numbers of {@code atoms}.
     */
    static AddressSet of(Bdd bdd, int node, int first, AddressAtoms atoms) {
        List<Range> out = new ArrayList<>();
        for (FieldWalk.Piece p : FieldWalk.decompose(bdd, node, first, atoms.bits())) {
            add(out, atoms.first(p.lo()), atoms.last(p.hi()));
        }
        return new AddressSet(atoms.family(), out);
    }

    private static void add(List<Range> out, BigInteger lo, BigInteger hi) {
        if (!out.isEmpty()) {
            Range last = out.get(out.size() - 1);
            if (last.last().add(BigInteger.ONE).equals(lo)) {
                out.set(out.size() - 1, new Range(last.first(), hi));
                return;
            }
        }
        out.add(new Range(lo, hi));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Every address of the family. */
    public boolean isAll() {
        return ranges.size() == 1
                && ranges.get(0).first().signum() == 0
                && ranges.get(0)
                        .last()
                        .equals(BigInteger.ONE.shiftLeft(family.bits()).subtract(BigInteger.ONE));
    }

    /** The fewest CIDR prefixes that cover exactly this set, in order. */
    public List<Prefix> prefixes() {
        List<Prefix> out = new ArrayList<>();
        int bits = family.bits();
        for (Range r : ranges) {
            BigInteger lo = r.first();
            BigInteger end = r.last().add(BigInteger.ONE);
            while (lo.compareTo(end) < 0) {
                int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
                while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).compareTo(end) > 0) {
                    size--;
                }
                out.add(prefix(lo, bits - size));
                lo = lo.add(BigInteger.ONE.shiftLeft(size));
            }
        }
        return out;
    }

    /** The set in the notation of the Iptables_Semantics tool: {@code {a .. b} u c u ...}. */
    public String toRangeText() {
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            if (sb.length() > 0) {
                sb.append(" u ");
            }
            if (r.first().equals(r.last())) {
                sb.append(address(r.first()));
            } else {
                sb.append('{')
                        .append(address(r.first()))
                        .append(" .. ")
                        .append(address(r.last()))
                        .append('}');
            }
        }
        return sb.length() == 0 ? "{}" : sb.toString();
    }

    /**
     * CIDRs separated by spaces, "any" for the whole space and "-" for none; a set that is shorter
     * to say by what it leaves out is written {@code any except 192.0.2.0/24}.
     */
    public String toCidrText() {
        if (isEmpty()) {
            return "-";
        }
        if (isAll()) {
            return "any";
        }
        List<Prefix> in = prefixes();
        List<Prefix> out = complement().prefixes();
        return out.size() < in.size() ? "any except " + join(out) : join(in);
    }

    private static String join(List<Prefix> prefixes) {
        StringBuilder sb = new StringBuilder();
        for (Prefix p : prefixes) {
            sb.append(sb.length() == 0 ? "" : " ").append(p);
        }
        return sb.toString();
    }

    /** The addresses of the family that are not in this set. */
    public AddressSet complement() {
        List<Range> out = new ArrayList<>();
        BigInteger next = BigInteger.ZERO;
        for (Range r : ranges) {
            if (r.first().compareTo(next) > 0) {
                out.add(new Range(next, r.first().subtract(BigInteger.ONE)));
            }
            next = r.last().add(BigInteger.ONE);
        }
        BigInteger end = BigInteger.ONE.shiftLeft(family.bits());
        if (next.compareTo(end) < 0) {
            out.add(new Range(next, end.subtract(BigInteger.ONE)));
        }
        return new AddressSet(family, out);
    }

    /** The first address in the set (sets are never empty when asked). */
    public BigInteger first() {
        return ranges.get(0).first();
    }

    public String address(BigInteger a) {
        return prefix(a, family.bits()).address();
    }

    private Prefix prefix(BigInteger a, int length) {
        if (family == IpFamily.V4) {
            return new Prefix(family, 0, a.longValue(), length);
        }
        return new Prefix(family, a.shiftRight(64).longValue(), a.longValue(), length);
    }
}
