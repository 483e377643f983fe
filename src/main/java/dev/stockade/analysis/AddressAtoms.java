package dev.stockade.analysis;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.PriorityQueue;

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
            BigInteger[] starts = new BigInteger[size];
            int k = 0;
            if (family == IpFamily.V4) {
                long[] v = Arrays.copyOf(lo, size);
                Arrays.sort(v);
                for (int i = 0; i < size; i++) {
                    if (i == 0 || v[i] != v[i - 1]) {
                        starts[k++] = BigInteger.valueOf(v[i]);
                    }
                }
            } else {
                BigInteger[] v = new BigInteger[size];
                for (int i = 0; i < size; i++) {
                    v[i] = unsigned(hi[i]).shiftLeft(64).or(unsigned(lo[i]));
                }
                Arrays.sort(v);
                for (int i = 0; i < size; i++) {
                    if (i == 0 || !v[i].equals(v[i - 1])) {
                        starts[k++] = v[i];
                    }
                }
            }
            return pad(family, Arrays.copyOf(starts, k));
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

    /** Halves the widest atoms until their number is a power of two (at least two). */
    private static AddressAtoms pad(IpFamily family, BigInteger[] starts) {
        int bits = 1;
        while ((1 << bits) < starts.length) {
            bits++;
        }
        int target = 1 << bits;
        BigInteger end = BigInteger.ONE.shiftLeft(family.bits());
        BigInteger[] all = Arrays.copyOf(starts, target);
        int k = starts.length;
        if (k < target) {
            // widest first, then lowest start: a deterministic choice, any one would be exact
            record Span(BigInteger start, BigInteger width) {}
            PriorityQueue<Span> widest = new PriorityQueue<>((a, b) -> {
                int c = b.width().compareTo(a.width());
                return c != 0 ? c : a.start().compareTo(b.start());
            });
            for (int i = 0; i < k; i++) {
                BigInteger next = i + 1 < k ? starts[i + 1] : end;
                widest.add(new Span(starts[i], next.subtract(starts[i])));
            }
            while (k < target) {
                Span s = widest.poll();
                if (s == null || s.width().compareTo(BigInteger.ONE) <= 0) {
                    throw new IllegalStateException("too many address atoms to pad");
                }
                BigInteger half = s.width().shiftRight(1);
                all[k++] = s.start().add(half);
                widest.add(new Span(s.start(), half));
                widest.add(new Span(s.start().add(half), s.width().subtract(half)));
            }
            Arrays.sort(all);
        }
        long[] hi = new long[target];
        long[] lo = new long[target];
        for (int i = 0; i < target; i++) {
            hi[i] = all[i].shiftRight(64).longValue();
            lo[i] = all[i].longValue();
        }
        return new AddressAtoms(family, hi, lo, bits);
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
        int c = Long.compareUnsigned(startHi[atom], hi);
        return c != 0 ? c : Long.compareUnsigned(startLo[atom], lo);
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
