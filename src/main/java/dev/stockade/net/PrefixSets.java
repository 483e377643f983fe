package dev.stockade.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets of addresses written as lists of prefixes.
 *
 * <p>Design note: {@link #aggregate} rewrites a list of prefixes of one family as the fewest
 * prefixes whose union is exactly the same set of addresses, sorted. It works on the prefixes
 * themselves, never on address arithmetic, so IPv4 and IPv6 take the same path:
 *
 * <ol>
 *   <li>Sort by address, shorter prefix first at equal address ({@link Prefix}'s natural order).
 *   <li>One pass drops every prefix inside the last one kept. Two prefixes are either nested or
 *       disjoint, and a prefix sorts before everything inside it, so only the last kept prefix can
 *       contain the next one: what is kept is disjoint and still sorted.
 *   <li>One more pass pushes the kept prefixes on a stack and, after each push, while the two
 *       prefixes on top are the two halves of one prefix (siblings: the same length, the same
 *       prefix one bit shorter), replaces them by that parent. A merge changes only the top, so
 *       when the pass ends no two prefixes on the stack are siblings; siblings are adjacent in
 *       sorted order, so no two prefixes of the result are.
 * </ol>
 *
 * <p>Why the result is the minimum, and unique. Call a prefix inside the set S <em>maximal</em> when
 * its parent is not inside S. The maximal prefixes are disjoint (nested prefixes cannot both be
 * maximal) and cover S, and every exact cover of S by prefixes needs at least one prefix inside each
 * maximal prefix M (a prefix that meets M and lies inside S is nested with M, and cannot contain it
 * without contradicting M's maximality), so no cover has fewer prefixes than there are maximal
 * prefixes. The result is exactly the maximal prefixes: if a prefix B of the result had a parent
 * inside S, B's sibling would be covered by prefixes of the result inside it, not by the sibling
 * itself (no siblings remain); the longest of those has its own sibling inside B's sibling, covered
 * only by that sibling (nothing longer is there), so the result would hold a sibling pair. Hence
 * the decomposition of a set of addresses into the fewest prefixes is unique, and this is it. It
 * takes O(n log n) for n prefixes (the sort; both passes are linear).
 */
public final class PrefixSets {

    private PrefixSets() {}

    /**
     * The fewest prefixes that cover exactly the addresses of {@code prefixes}, sorted: overlaps
     * and duplicates merged, prefixes inside others dropped, sibling halves joined, repeatedly.
     * An empty list gives an empty list; a list holding {@code 0.0.0.0/0} gives just that.
     *
     * @throws IllegalArgumentException when the list mixes IPv4 and IPv6 prefixes
     */
    public static List<Prefix> aggregate(List<Prefix> prefixes) {
        if (prefixes.isEmpty()) {
            return List.of();
        }
        IpFamily family = prefixes.get(0).family();
        List<Prefix> sorted = new ArrayList<>(prefixes);
        for (Prefix p : sorted) {
            if (p.family() != family) {
                throw new IllegalArgumentException(
                        "cannot aggregate " + family + " and " + p.family() + " prefixes together");
            }
        }
        sorted.sort(null);
        List<Prefix> stack = new ArrayList<>(sorted.size());
        Prefix kept = null;
        for (Prefix p : sorted) {
            if (kept != null && kept.contains(p)) {
                continue;
            }
            kept = p;
            push(stack, p);
        }
        return List.copyOf(stack);
    }

    /** Pushes {@code p} and joins the two prefixes on top while they are sibling halves. */
    private static void push(List<Prefix> stack, Prefix p) {
        Prefix top = p;
        while (!stack.isEmpty()) {
            Prefix below = stack.get(stack.size() - 1);
            if (below.length() != top.length() || top.length() == 0) {
                break;
            }
            Prefix parent = below.network(top.length() - 1);
            if (!parent.equals(top.network(top.length() - 1))) {
                break;
            }
            stack.remove(stack.size() - 1);
            top = parent;
        }
        stack.add(top);
    }

    /**
     * The fewest prefixes that cover exactly the addresses from {@code first} to {@code last}, both
     * included, sorted: from the low end, each step takes the largest prefix that starts there
     * (aligned) and does not pass {@code last}. At most two prefixes per bit of the address.
     *
     * @throws IllegalArgumentException when the two are not single addresses of one family, or
     *     {@code first} comes after {@code last}
     */
    public static List<Prefix> ofRange(Prefix first, Prefix last) {
        IpFamily family = first.family();
        if (last.family() != family || !first.isHost() || !last.isHost()) {
            throw new IllegalArgumentException("a range runs between two addresses of one family");
        }
        BigInteger lo = value(first);
        BigInteger hi = value(last);
        if (lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException(first.address() + " comes after " + last.address());
        }
        int bits = family.bits();
        List<Prefix> out = new ArrayList<>();
        while (lo.compareTo(hi) <= 0) {
            int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
            while (size > 0
                    && lo.add(BigInteger.ONE.shiftLeft(size))
                                    .subtract(BigInteger.ONE)
                                    .compareTo(hi)
                            > 0) {
                size--;
            }
            out.add(prefix(family, lo, bits - size));
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return List.copyOf(out);
    }

    private static BigInteger value(Prefix p) {
        return BigInteger.valueOf(p.hi() >>> 1)
                .shiftLeft(1)
                .or(BigInteger.valueOf(p.hi() & 1))
                .shiftLeft(64)
                .or(BigInteger.valueOf(p.lo() >>> 1).shiftLeft(1).or(BigInteger.valueOf(p.lo() & 1)));
    }

    private static Prefix prefix(IpFamily family, BigInteger v, int length) {
        return new Prefix(family, v.shiftRight(64).longValue(), v.longValue(), length);
    }
}
