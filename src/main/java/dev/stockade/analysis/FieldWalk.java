package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a field out of a diagram: the maximal intervals of the field's values that lead to the
 * same rest of the diagram. With the field at the top of what is left (the fields above it
 * quantified or fixed), this is a walk over its bits, skipped variables standing for both values.
 */
final class FieldWalk {

    /** Values [lo, hi] (unsigned) of the field lead to {@code rest}. */
    record Piece(long lo, long hi, int rest) {}

    /** More intervals than anyone can read: the set is reported as too scattered. */
    static final int MAX_PIECES = 200_000;

    static final class TooScattered extends RuntimeException {
        TooScattered() {
            super("set too scattered to list", null, false, false);
        }
    }

    private FieldWalk() {}

    /** The pieces of {@code node} over the field {@code [first, first + bits)}, FALSE pieces left out. */
    static List<Piece> decompose(Bdd bdd, int node, int first, int bits) {
        return decompose(bdd, node, first, bits, false);
    }

    /** As {@link #decompose(Bdd, int, int, int)}, with the pieces leading to FALSE when {@code keepFalse}. */
    static List<Piece> decompose(Bdd bdd, int node, int first, int bits, boolean keepFalse) {
        List<Piece> out = new ArrayList<>();
        walk(bdd, node, first, bits, 0, 0L, out, keepFalse);
        return out;
    }

    private static void walk(
            Bdd bdd, int n, int first, int bits, int depth, long value, List<Piece> out, boolean keepFalse) {
        if (n == Bdd.FALSE && !keepFalse) {
            return;
        }
        int v = bdd.var(n);
        if (v >= first + bits || depth == bits) {
            int rest = bits - depth;
            long lo = rest == 64 ? 0 : value << rest;
            long hi = rest == 64 ? -1L : lo | ((1L << rest) - 1);
            add(out, lo, hi, n);
            return;
        }
        if (v < first) {
            throw new IllegalArgumentException("variable " + v + " lies above the field at " + first);
        }
        if (v == first + depth) {
            walk(bdd, bdd.low(n), first, bits, depth + 1, value << 1, out, keepFalse);
            walk(bdd, bdd.high(n), first, bits, depth + 1, (value << 1) | 1, out, keepFalse);
        } else {
            walk(bdd, n, first, bits, depth + 1, value << 1, out, keepFalse);
            walk(bdd, n, first, bits, depth + 1, (value << 1) | 1, out, keepFalse);
        }
    }

    private static void add(List<Piece> out, long lo, long hi, int rest) {
        if (!out.isEmpty()) {
            Piece last = out.get(out.size() - 1);
            if (last.rest() == rest && last.hi() + 1 == lo) {
                out.set(out.size() - 1, new Piece(last.lo(), hi, rest));
                return;
            }
        }
        if (out.size() >= MAX_PIECES) {
            throw new TooScattered();
        }
        out.add(new Piece(lo, hi, rest));
    }
}
