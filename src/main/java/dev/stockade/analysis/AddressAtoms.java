package dev.stockade.analysis;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The addresses an address field of a packet space can tell apart, as a finite set of atoms:
 * consecutive intervals of the family's address space cut at every boundary of every prefix and
 * range the sets of the space mention for that field. Every such prefix or range is then a
 * contiguous run of atoms, and the field holds the number of an atom instead of an address.
 *
 * <p>Design note. This is the decomposition into equivalence classes ("atomic predicates", Yang
 * and Lam, "Real-Time Verification of Network Properties Using Atomic Predicates", ICNP 2013)
 * restricted to one field, as {@link InterfaceAtoms} does for interface names: two addresses in
 * one atom are in exactly the same sets, so numbering the atoms loses nothing. A ruleset naming
 * K distinct intervals per field needs about log2(2K) bits instead of 32 or 128, which shortens
 * the path every rule's set update builds through the diagram. The number of atoms is padded to
 * a power of two by halving the widest atoms, so every value of the field is a real atom and no
 * validity condition is needed (a finer partition is still exact). The space must know every
 * boundary before it encodes any set: {@link FilterAnalysis} collects them from the rules, the IP
 * assignment and the caller's extra prefixes; asking for a prefix whose ends are not boundaries is
 * a programming error ({@link #firstAtom}, {@link #lastAtom} throw). A concrete address (a query)
 * needs no boundary: it falls into one atom, whose members all behave alike. Reports read atom
 * numbers back as the addresses they stand for ({@link #first}, {@link #last}).
 */
final class AddressAtoms {

    /** Where each atom starts (unsigned, high and low 64 bits; IPv4 in the low 32), ascending; atom 0 starts at 0. */
    private final long[] startHi;

    private final long[] startLo;

    private final IpFamily family;
    private final int bits;

    private AddressAtoms(IpFamily family, long[] startHi, long[] startLo, int bits) {
        this.family = family;
        this.startHi = startHi;
        this.startLo = startLo;
        this.bits = bits;
    }

    /** Collects the boundaries of the prefixes and ranges one field's sets mention. */
    static final class Builder {
        private final IpFamily family;
        private long[] hi = new long[64];
        private long[] lo = new long[64];
        private int size;

        Builder(IpFamily family) {
            this.family = family;
            point(0, 0);
        }

        IpFamily family() {
            return family;
        }

        /** The addresses of {@code p} (of this builder's family; others are ignored, as they never match). */
        Builder add(Prefix p) {
            if (p.family() != family) {
                return this;
            }
            long[] last = lastAddress(p);
            return add(p.hi(), p.lo(), last[0], last[1]);
        }

        /** Addresses from (loHi, loLo) to (hiHi, hiLo), both included, unsigned. */
        Builder add(long loHi, long loLo, long hiHi, long hiLo) {
            point(loHi, loLo);
            boolean top = family == IpFamily.V4 ? hiLo == 0xFFFF_FFFFL : hiHi == -1L && hiLo == -1L;
            if (!top) {
                long nextLo = hiLo + 1;
                point(nextLo == 0 ? hiHi + 1 : hiHi, nextLo);
            }
            return this;
        }

        private void point(long h, long l) {
            if (size == hi.length) {
                hi = Arrays.copyOf(hi, 2 * size);
                lo = Arrays.copyOf(lo, 2 * size);
            }
            hi[size] = h;
            lo[size] = l;
            size++;
        }

        AddressAtoms build() {
            int n = size;
            long[] h = new long[n];
            long[] l = new long[n];
            if (family == IpFamily.V4) {
                l = Arrays.copyOf(lo, n);
                Arrays.sort(l);
            } else {
                int[] order = sorted(n, (x, y) -> compare(hi[x], lo[x], hi[y], lo[y]));
                for (int i = 0; i < n; i++) {
                    h[i] = hi[order[i]];
                    l[i] = lo[order[i]];
                }
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (k == 0 || h[i] != h[k - 1] || l[i] != l[k - 1]) {
                    h[k] = h[i];
                    l[k] = l[i];
                    k++;
                }
            }
            return pad(family, Arrays.copyOf(h, k), Arrays.copyOf(l, k));
        }
    }

    /** The last address of a prefix, as {high, low} 64 bits (IPv4 in the low 32 of low). */
    static long[] lastAddress(Prefix p) {
        long lastHi = p.hi();
        long lastLo = p.lo();
        int hostBits = p.family().bits() - p.length();
        if (p.family() == IpFamily.V4) {
            lastLo |= hostBits == 0 ? 0 : (1L << hostBits) - 1;
        } else if (hostBits >= 64) {
            lastLo = -1L;
            lastHi |= hostBits == 128 ? -1L : hostBits == 64 ? 0 : (1L << (hostBits - 64)) - 1;
        } else if (hostBits > 0) {
            lastLo |= (1L << hostBits) - 1;
        }
        return new long[] {lastHi, lastLo};
    }

    /** Atoms of a space whose sets mention no address: the field still has one bit (two halves). */
    static AddressAtoms whole(IpFamily family) {
        return new Builder(family).build();
    }

    /**
     * Halves the widest atoms (ties: the lowest) until their number is a power of two, at least
     * two; in passes, as many atoms may hold one address each (a run of hosts).
     */
    private static AddressAtoms pad(IpFamily family, long[] startHi, long[] startLo) {
        int bits = 1;
        while ((1 << bits) < startLo.length) {
            bits++;
        }
        long[][] starts = {startHi, startLo};
        while (starts[1].length < 1 << bits) {
            starts = halve(family, starts[0], starts[1], (1 << bits) - starts[1].length);
        }
        return new AddressAtoms(family, starts[0], starts[1], bits);
    }

    /** One pass: halves up to {@code wanted} of the widest atoms that hold more than one address. */
    private static long[][] halve(IpFamily family, long[] startHi, long[] startLo, int wanted) {
        int k = startLo.length;
        // each atom's width (next start - start, modulo 2^128 for the last one: 0 stands for the
        // whole IPv6 space), exactly; as a double only to rank the atoms
        long[] wHi = new long[k];
        long[] wLo = new long[k];
        double[] width = new double[k];
        for (int i = 0; i < k; i++) {
            long nextHi = i + 1 < k ? startHi[i + 1] : 0;
            long nextLo = i + 1 < k ? startLo[i + 1] : family == IpFamily.V4 ? 1L << 32 : 0;
            wLo[i] = nextLo - startLo[i];
            wHi[i] = nextHi - startHi[i] - (Long.compareUnsigned(nextLo, startLo[i]) < 0 ? 1 : 0);
            width[i] = wHi[i] == 0 && wLo[i] == 0 ? 0x1p128 : toDouble(wHi[i], wLo[i]);
        }
        int[] widest = sorted(k, (x, y) -> width[x] != width[y] ? Double.compare(width[y], width[x]) : x - y);
        boolean[] halve = new boolean[k];
        int count = 0;
        while (count < Math.min(wanted, k) && !(wHi[widest[count]] == 0 && wLo[widest[count]] == 1)) {
            halve[widest[count++]] = true;
        }
        if (count == 0) {
            throw new IllegalStateException("more address atoms than addresses");
        }
        long[] hi = new long[k + count];
        long[] lo = new long[k + count];
        int j = 0;
        for (int i = 0; i < k; i++) {
            hi[j] = startHi[i];
            lo[j] = startLo[i];
            j++;
            if (halve[i]) {
                long halfLo;
                long halfHi;
                if (wHi[i] == 0 && wLo[i] == 0) {
                    halfHi = Long.MIN_VALUE; // half the whole IPv6 space: 2^127
                    halfLo = 0;
                } else {
                    halfLo = (wLo[i] >>> 1) | (wHi[i] << 63);
                    halfHi = wHi[i] >>> 1;
                }
                lo[j] = startLo[i] + halfLo;
                hi[j] = startHi[i] + halfHi + (Long.compareUnsigned(lo[j], startLo[i]) < 0 ? 1 : 0);
                j++;
            }
        }
        return new long[][] {hi, lo};
    }

    private static double toDouble(long hi, long lo) {
        double l = lo >= 0 ? lo : lo + 0x1p64;
        double h = hi >= 0 ? hi : hi + 0x1p64;
        return h * 0x1p64 + l;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** The indices 0..n-1 in the order {@code cmp} gives them (a stable merge sort without boxing). */
    private static int[] sorted(int n, java.util.function.IntBinaryOperator cmp) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] t = new int[n];
        for (int w = 1; w < n; w *= 2) {
            for (int from = 0; from < n - w; from += 2 * w) {
                int mid = from + w;
                int to = Math.min(from + 2 * w, n);
                int i = from;
                int j = mid;
                int o = from;
                while (i < mid && j < to) {
                    t[o++] = cmp.applyAsInt(a[i], a[j]) <= 0 ? a[i++] : a[j++];
                }
                while (i < mid) {
                    t[o++] = a[i++];
                }
                while (j < to) {
                    t[o++] = a[j++];
                }
                System.arraycopy(t, from, a, from, to - from);
            }
        }
        return a;
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b;
    }

    IpFamily family() {
        return family;
    }

    /** How many atoms (a power of two). */
    int size() {
        return startLo.length;
    }

    /** Bits of the field: log2 of {@link #size()}. */
    int bits() {
        return bits;
    }

    private int compare(int atom, long hi, long lo) {
        return compare(startHi[atom], startLo[atom], hi, lo);
    }

    /** The atom holding the address (hi, lo). */
    int atomOf(long hi, long lo) {
        int a = 0;
        int b = startLo.length - 1;
        while (a < b) {
            int m = (a + b + 1) >>> 1;
            if (compare(m, hi, lo) <= 0) {
                a = m;
            } else {
                b = m - 1;
            }
        }
        return a;
    }

    /** The atom that starts at (hi, lo); the address must be a boundary of the space. */
    int firstAtom(long hi, long lo) {
        int a = atomOf(hi, lo);
        if (compare(a, hi, lo) != 0) {
            throw new IllegalArgumentException(
                    "address " + text(hi, lo) + " is not an atom boundary of this packet space");
        }
        return a;
    }

    /** The atom that ends at (hi, lo); the address must be the last of an atom of the space. */
    int lastAtom(long hi, long lo) {
        int a = atomOf(hi, lo);
        boolean top = family == IpFamily.V4 ? lo == 0xFFFF_FFFFL : hi == -1L && lo == -1L;
        boolean endsHere;
        if (a + 1 == startLo.length) {
            endsHere = top;
        } else {
            long nextLo = lo + 1;
            long nextHi = nextLo == 0 ? hi + 1 : hi;
            endsHere = !top && compare(a + 1, nextHi, nextLo) == 0;
        }
        if (!endsHere) {
            throw new IllegalArgumentException(
                    "address " + text(hi, lo) + " does not end an atom of this packet space");
        }
        return a;
    }

    /** The first address of an atom, unsigned. */
    BigInteger first(long atom) {
        return unsigned(startHi[(int) atom]).shiftLeft(64).or(unsigned(startLo[(int) atom]));
    }

    /** The last address of an atom, unsigned. */
    BigInteger last(long atom) {
        int next = (int) atom + 1;
        if (next == startLo.length) {
            return BigInteger.ONE.shiftLeft(family.bits()).subtract(BigInteger.ONE);
        }
        return first(next).subtract(BigInteger.ONE);
    }

    private String text(long hi, long lo) {
        return new Prefix(family, hi, lo, family.bits()).address();
    }

    @Override
    public String toString() {
        return "AddressAtoms(" + family + ", " + size() + " atoms)";
    }
}
