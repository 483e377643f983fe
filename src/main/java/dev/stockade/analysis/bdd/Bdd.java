package dev.stockade.analysis.bdd;

import java.util.Arrays;

/**
 * Reduced ordered binary decision diagrams over a fixed number of boolean variables.
 *
 * <p>Design note. A set of packets is a boolean function over the header bits the firewall looks
 * at (addresses, ports, protocol, interface, state...). ROBDDs (Bryant, "Graph-Based Algorithms for
 * Boolean Function Manipulation", 1986) represent such functions canonically: equal sets are the
 * same node, emptiness is a comparison with {@link #FALSE}, and the usual operations cost time
 * proportional to the product of the operand sizes. Network verifiers (Batfish, Yang and Lam's
 * atomic predicates) use the same encoding for ACLs. Nodes live in three flat int arrays; a
 * hash-consing table keeps every (variable, low, high) triple unique, and a direct-mapped cache
 * memoises binary operations. There is no garbage collection: an analysis creates one {@code Bdd},
 * uses it, and drops it. Variable 0 is tested first; fields are laid out most significant bit first,
 * which keeps prefixes and ranges small (a prefix is a chain of length bits, a range at most two
 * chains per bit). Whether a conjunction of up to four sets (and one complement) is empty is
 * answered by one walk over the operands that builds no nodes and stops at the first witness
 * ({@link #intersects(int, int, int, int)}, {@link #intersectsBut}): a question about a product of
 * two large sets then costs no copy of it.
 *
 * <p>Cost model (measured with a profile of the 5,529-rule dump): the work is the creation of
 * nodes, and each creation is a probe of the unique table in memory the processor has not cached;
 * a set updated by one rule gets a new path from its root to the rule's last tested variable.
 *
 * <p>Not thread-safe: one instance per analysis thread.
 */
public final class Bdd {

    public static final int FALSE = 0;
    public static final int TRUE = 1;

    private static final int AND = 0;
    private static final int OR = 1;
    private static final int DIFF = 2;
    private static final int INTERSECTS = 3;

    /** Fewest and most entries of the operation cache (powers of two). */
    static final int CACHE_MIN = 1 << 12;

    static final int CACHE_MAX = 1 << 15;

    private final int variables;
    /** Node n is {@code nodes[4n..4n+3]}: variable, low child, high child, next node in its hash bucket. */
    private int[] nodes;

    private int size;

    /** Hash buckets of the unique table: the first node of each chain, 0 for none (node 0 is a terminal). */
    private int[] buckets;

    private int bucketMask;

    /** Operation cache, direct-mapped, entry i is {@code cache[4i..4i+3]}: a, b, op, result. */
    private int[] cache;

    private int cacheMask;

    /** Cache of {@link #orAnd}, entry i is {@code tri[4i..4i+3]}: a, b, c, result (a = 0 is never stored). */
    private int[] tri;

    private int triMask;

    /**
     * Cache of the emptiness test of {@code a ∧ b ∧ c ∧ d ∧ ¬e}, entry i is {@code quad[6i..6i+5]}:
     * a, b, c, d, e, answer (a = 0 is never stored).
     */
    private int[] quad;

    private int quadMask;

    /** Per-node memo of {@link #exists}, valid where {@code memoEpoch[n] == epoch}; reused across calls. */
    private int[] memoEpoch = new int[0];

    private int[] memoValue = new int[0];

    private int epoch;

    public Bdd(int variables) {
        this(variables, 1 << 12);
    }

    /** A diagram with room for {@code capacity} nodes before it grows (it grows as needed). */
    public Bdd(int variables, int capacity) {
        if (variables < 1 || variables > 1 << 16) {
            throw new IllegalArgumentException("variables: " + variables);
        }
        this.variables = variables;
        int c = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        nodes = new int[4 * c];
        nodes[0] = variables;
        nodes[4] = variables;
        size = 2;
        buckets = new int[c];
        bucketMask = c - 1;
        caches(c);
    }

    /**
     * (Re)allocates the operation caches for a node table of {@code capacity} nodes: a quarter of
     * an entry per node, between {@link #CACHE_MIN} and {@link #CACHE_MAX} entries, so a small
     * analysis allocates and fills a few hundred kilobytes, not the 24 MB that fixed 1M-entry
     * caches took. On the 5,529-rule dump, paired CPU-time runs found the operations themselves as
     * fast with these caches as with the large ones.
     */
    private void caches(int capacity) {
        int entries = Math.max(CACHE_MIN, Math.min(CACHE_MAX, capacity / 4));
        if (cache != null && cacheMask + 1 == entries) {
            return;
        }
        cache = new int[4 * entries];
        for (int i = 2; i < cache.length; i += 4) {
            cache[i] = -1;
        }
        cacheMask = entries - 1;
        tri = new int[4 * (entries / 2)];
        triMask = entries / 2 - 1;
        quad = new int[6 * (entries / 2)];
        quadMask = entries / 2 - 1;
    }

    public int variables() {
        return variables;
    }

    /** Nodes allocated so far (a measure of the work done). */
    public int nodeCount() {
        return size;
    }

    /** The function that is true when variable {@code v} is 1. */
    public int variable(int v) {
        checkVar(v);
        return mk(v, FALSE, TRUE);
    }

    public int not(int a) {
        return apply(DIFF, TRUE, a);
    }

    public int and(int a, int b) {
        return apply(AND, a, b);
    }

    public int or(int a, int b) {
        return apply(OR, a, b);
    }

    /** {@code a} and not {@code b}. */
    public int diff(int a, int b) {
        return apply(DIFF, a, b);
    }

    /** If {@code c} then {@code t} else {@code e}. */
    public int ite(int c, int t, int e) {
        return or(and(c, t), diff(e, c));
    }

    /** Unsigned value of the field {@code [first, first + bits)} (MSB first) lies in {@code [lo, hi]}. */
    public int range(int first, int bits, long lo, long hi) {
        checkField(first, bits);
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        if (Long.compareUnsigned(lo, hi) > 0 || Long.compareUnsigned(hi, max) > 0) {
            throw new IllegalArgumentException("range " + lo + ".." + hi + " does not fit " + bits + " bits");
        }
        int geq = TRUE;
        int leq = TRUE;
        for (int i = bits - 1; i >= 0; i--) {
            int v = first + i;
            long bit = 1L << (bits - 1 - i);
            geq = (lo & bit) != 0 ? mk(v, FALSE, geq) : mk(v, geq, TRUE);
            leq = (hi & bit) != 0 ? mk(v, TRUE, leq) : mk(v, leq, FALSE);
        }
        return and(geq, leq);
    }

    /** The top {@code length} bits of the field equal the top {@code length} bits of {@code value}. */
    public int prefix(int first, int bits, long value, int length) {
        checkField(first, bits);
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length " + length);
        }
        int r = TRUE;
        for (int i = length - 1; i >= 0; i--) {
            boolean one = ((value >>> (bits - 1 - i)) & 1) != 0;
            r = one ? mk(first + i, FALSE, r) : mk(first + i, r, FALSE);
        }
        return r;
    }

    /** Number of assignments of all variables that satisfy {@code a}. */
    public double satCount(int a) {
        double[] memo = new double[size];
        Arrays.fill(memo, -1);
        return count(a, memo) * Math.pow(2, nodes[4 * (a)] == variables ? variables : nodes[4 * (a)]);
    }

    private double count(int n, double[] memo) {
        if (n == FALSE) {
            return 0;
        }
        if (n == TRUE) {
            return 1;
        }
        if (memo[n] >= 0) {
            return memo[n];
        }
        double l = count(nodes[4 * (n) + 1], memo) * Math.pow(2, level(nodes[4 * (n) + 1]) - nodes[4 * (n)] - 1);
        double h = count(nodes[4 * (n) + 2], memo) * Math.pow(2, level(nodes[4 * (n) + 2]) - nodes[4 * (n)] - 1);
        memo[n] = l + h;
        return memo[n];
    }

    private int level(int n) {
        return n <= TRUE ? variables : nodes[4 * (n)];
    }

    /** Evaluates {@code a} for one assignment ({@code bits[v]} is variable v). */
    public boolean evaluate(int a, boolean[] bits) {
        int n = a;
        while (n > TRUE) {
            n = bits[nodes[4 * (n)]] ? nodes[4 * (n) + 2] : nodes[4 * (n) + 1];
        }
        return n == TRUE;
    }

    /** The variable a node tests, its low (0) and high (1) children: for walking a diagram. */
    public int var(int n) {
        return level(n);
    }

    public int low(int n) {
        return nodes[4 * (n) + 1];
    }

    public int high(int n) {
        return nodes[4 * (n) + 2];
    }

    /** Whether {@code a} and {@code b} share an assignment; builds no nodes. */
    public boolean intersects(int a, int b) {
        if (a == FALSE || b == FALSE) {
            return false;
        }
        if (a == TRUE || b == TRUE || a == b) {
            return true;
        }
        int slot = 4 * (int) (((a * 0x9E3779B1L) ^ (b * 0x85EBCA77L) ^ (INTERSECTS * 0xC2B2AE3DL)) & cacheMask);
        if (cache[slot + 2] == INTERSECTS && cache[slot] == a && cache[slot + 1] == b) {
            return cache[slot + 3] == TRUE;
        }
        int va = level(a);
        int vb = level(b);
        int v = Math.min(va, vb);
        boolean r = intersects(va == v ? nodes[4 * (a) + 1] : a, vb == v ? nodes[4 * (b) + 1] : b)
                || intersects(va == v ? nodes[4 * (a) + 2] : a, vb == v ? nodes[4 * (b) + 2] : b);
        cache[slot] = a;
        cache[slot + 1] = b;
        cache[slot + 2] = INTERSECTS;
        cache[slot + 3] = r ? TRUE : FALSE;
        return r;
    }

    /** Whether {@code a ∧ b ∧ c} is not empty; builds no nodes. */
    public boolean intersects(int a, int b, int c) {
        return meets(a, b, c, TRUE, FALSE);
    }

    /** Whether {@code a ∧ b ∧ c ∧ d} is not empty; builds no nodes. */
    public boolean intersects(int a, int b, int c, int d) {
        return meets(a, b, c, d, FALSE);
    }

    /** Whether {@code a ∧ b ∧ c ∧ ¬d} is not empty; builds no nodes. */
    public boolean intersectsBut(int a, int b, int c, int d) {
        return meets(a, b, c, TRUE, d);
    }

    /**
     * {@code a ∧ b ∧ c ∧ d ∧ ¬e ≠ ∅}, by one walk over the five diagrams together that stops at the
     * first common path to TRUE (and e's to FALSE). Asks what {@code and} would answer without
     * creating the product's nodes.
     */
    private boolean meets(int a, int b, int c, int d, int e) {
        if (a == FALSE || b == FALSE || c == FALSE || d == FALSE || e == TRUE) {
            return false;
        }
        // the conjuncts commute: sort them (TRUE, 1, first) so that equal questions share an entry
        int t;
        if (a > b) {
            t = a;
            a = b;
            b = t;
        }
        if (c > d) {
            t = c;
            c = d;
            d = t;
        }
        if (a > c) {
            t = a;
            a = c;
            c = t;
        }
        if (b > d) {
            t = b;
            b = d;
            d = t;
        }
        if (b > c) {
            t = b;
            b = c;
            c = t;
        }
        if (e == FALSE) {
            if (c == TRUE) {
                return true; // only d is left, and it is not FALSE
            }
            if (b == TRUE) {
                return intersects(c, d);
            }
        } else if (d == TRUE) {
            return true; // ¬e alone, and e is not TRUE
        }
        int slot = 6
                * (int) ((a * 0x9E3779B1L ^ b * 0x85EBCA77L ^ c * 0xC2B2AE3DL ^ d * 0x27D4EB2FL ^ e * 0x165667B1L)
                        & quadMask);
        if (quad[slot] == a
                && quad[slot + 1] == b
                && quad[slot + 2] == c
                && quad[slot + 3] == d
                && quad[slot + 4] == e) {
            return quad[slot + 5] == TRUE;
        }
        int va = level(a);
        int vb = level(b);
        int vc = level(c);
        int vd = level(d);
        int ve = level(e);
        int v = Math.min(Math.min(Math.min(va, vb), Math.min(vc, vd)), ve);
        boolean r = meets(
                        va == v ? nodes[4 * a + 1] : a,
                        vb == v ? nodes[4 * b + 1] : b,
                        vc == v ? nodes[4 * c + 1] : c,
                        vd == v ? nodes[4 * d + 1] : d,
                        ve == v ? nodes[4 * e + 1] : e)
                || meets(
                        va == v ? nodes[4 * a + 2] : a,
                        vb == v ? nodes[4 * b + 2] : b,
                        vc == v ? nodes[4 * c + 2] : c,
                        vd == v ? nodes[4 * d + 2] : d,
                        ve == v ? nodes[4 * e + 2] : e);
        quad[slot] = a;
        quad[slot + 1] = b;
        quad[slot + 2] = c;
        quad[slot + 3] = d;
        quad[slot + 4] = e;
        quad[slot + 5] = r ? TRUE : FALSE;
        return r;
    }

    /** {@code a} with every variable marked in {@code quantified} existentially quantified away. */
    public int exists(int a, boolean[] quantified) {
        if (memoEpoch.length < size) {
            memoEpoch = new int[nodes.length / 4];
            memoValue = new int[nodes.length / 4];
            epoch = 0;
        }
        if (++epoch == Integer.MAX_VALUE) {
            Arrays.fill(memoEpoch, 0);
            epoch = 1;
        }
        return exists(a, quantified, epoch);
    }

    /** Nodes of the argument are older than any node this creates, so the memo stays within its length. */
    private int exists(int n, boolean[] q, int stamp) {
        if (n <= TRUE) {
            return n;
        }
        if (memoEpoch[n] == stamp) {
            return memoValue[n];
        }
        int l = exists(nodes[4 * (n) + 1], q, stamp);
        int r;
        if (q[nodes[4 * (n)]]) {
            r = l == TRUE ? TRUE : or(l, exists(nodes[4 * (n) + 2], q, stamp));
        } else {
            r = mk(nodes[4 * (n)], l, exists(nodes[4 * (n) + 2], q, stamp));
        }
        memoEpoch[n] = stamp;
        memoValue[n] = r;
        return r;
    }

    /**
     * The same function in another diagram, variable v becoming {@code map[v]} there (any order):
     * for reading a small result in the variable order a report needs.
     */
    public int transfer(int a, Bdd target, int[] map) {
        java.util.HashMap<Integer, Integer> memo = new java.util.HashMap<>();
        return transfer(a, target, map, memo);
    }

    private int transfer(int n, Bdd target, int[] map, java.util.HashMap<Integer, Integer> memo) {
        if (n <= TRUE) {
            return n;
        }
        Integer done = memo.get(n);
        if (done != null) {
            return done;
        }
        int l = transfer(nodes[4 * (n) + 1], target, map, memo);
        int h = transfer(nodes[4 * (n) + 2], target, map, memo);
        int x = target.variable(map[nodes[4 * (n)]]);
        int r = target.or(target.and(x, h), target.diff(l, x));
        memo.put(n, r);
        return r;
    }

    private int apply(int op, int a, int b) {
        int terminal = terminal(op, a, b);
        if (terminal >= 0) {
            return terminal;
        }
        int slot = 4 * (int) (((a * 0x9E3779B1L) ^ (b * 0x85EBCA77L) ^ (op * 0xC2B2AE3DL)) & cacheMask);
        if (cache[slot + 2] == op && cache[slot] == a && cache[slot + 1] == b) {
            return cache[slot + 3];
        }
        int va = level(a);
        int vb = level(b);
        int v = Math.min(va, vb);
        int l = apply(op, va == v ? nodes[4 * (a) + 1] : a, vb == v ? nodes[4 * (b) + 1] : b);
        int h = apply(op, va == v ? nodes[4 * (a) + 2] : a, vb == v ? nodes[4 * (b) + 2] : b);
        int r = mk(v, l, h);
        cache[slot] = a;
        cache[slot + 1] = b;
        cache[slot + 2] = op;
        cache[slot + 3] = r;
        return r;
    }

    /** {@code a ∨ (b ∧ c)} in one pass, without building {@code b ∧ c}. */
    public int orAnd(int a, int b, int c) {
        if (a == TRUE || (b == TRUE && c == TRUE)) {
            return TRUE;
        }
        if (b == FALSE || c == FALSE) {
            return a;
        }
        if (b == TRUE) {
            return or(a, c);
        }
        if (c == TRUE || b == c) {
            return or(a, b);
        }
        if (a == FALSE) {
            return and(b, c);
        }
        if (b > c) {
            int t = b;
            b = c;
            c = t;
        }
        int slot = 4 * (int) (((a * 0x9E3779B1L) ^ (b * 0x85EBCA77L) ^ (c * 0xC2B2AE3DL)) & triMask);
        if (tri[slot] == a && tri[slot + 1] == b && tri[slot + 2] == c) {
            return tri[slot + 3];
        }
        int va = level(a);
        int vb = level(b);
        int vc = level(c);
        int v = Math.min(va, Math.min(vb, vc));
        int l = orAnd(va == v ? nodes[4 * a + 1] : a, vb == v ? nodes[4 * b + 1] : b, vc == v ? nodes[4 * c + 1] : c);
        int h = orAnd(va == v ? nodes[4 * a + 2] : a, vb == v ? nodes[4 * b + 2] : b, vc == v ? nodes[4 * c + 2] : c);
        int r = mk(v, l, h);
        tri[slot] = a;
        tri[slot + 1] = b;
        tri[slot + 2] = c;
        tri[slot + 3] = r;
        return r;
    }

    private static int terminal(int op, int a, int b) {
        switch (op) {
            case AND:
                if (a == FALSE || b == FALSE) {
                    return FALSE;
                }
                if (a == TRUE) {
                    return b;
                }
                return b == TRUE || a == b ? a : -1;
            case OR:
                if (a == TRUE || b == TRUE) {
                    return TRUE;
                }
                if (a == FALSE) {
                    return b;
                }
                return b == FALSE || a == b ? a : -1;
            default:
                if (a == FALSE || b == TRUE || a == b) {
                    return FALSE;
                }
                return b == FALSE ? a : -1;
        }
    }

    private int mk(int v, int l, int h) {
        if (l == h) {
            return l;
        }
        int bucket = hash(v, l, h) & bucketMask;
        for (int n = buckets[bucket]; n != 0; n = nodes[4 * n + 3]) {
            int at = 4 * n;
            if (nodes[at] == v && nodes[at + 1] == l && nodes[at + 2] == h) {
                return n;
            }
        }
        if (4 * size == nodes.length) {
            grow();
            bucket = hash(v, l, h) & bucketMask;
        }
        int n = size++;
        int at = 4 * n;
        nodes[at] = v;
        nodes[at + 1] = l;
        nodes[at + 2] = h;
        nodes[at + 3] = buckets[bucket];
        buckets[bucket] = n;
        return n;
    }

    private static int hash(int v, int l, int h) {
        int x = v * 0x27D4EB2D + l * 0x165667B1 + h * 0x9E3779B9;
        return x ^ (x >>> 15);
    }

    /** Doubles the node array and rebuilds the buckets (one bucket per node slot). */
    private void grow() {
        int capacity = nodes.length / 2;
        nodes = Arrays.copyOf(nodes, nodes.length * 2);
        buckets = new int[capacity];
        bucketMask = capacity - 1;
        for (int n = 2; n < size; n++) {
            int at = 4 * n;
            int bucket = hash(nodes[at], nodes[at + 1], nodes[at + 2]) & bucketMask;
            nodes[at + 3] = buckets[bucket];
            buckets[bucket] = n;
        }
        caches(capacity);
    }

    private void checkVar(int v) {
        if (v < 0 || v >= variables) {
            throw new IllegalArgumentException("variable " + v + " not in 0.." + (variables - 1));
        }
    }

    private void checkField(int first, int bits) {
        if (bits < 1 || bits > 64 || first < 0 || first + bits > variables) {
            throw new IllegalArgumentException("field " + first + "+" + bits + " outside " + variables + " variables");
        }
    }
}
