package dev.stockade.analysis.bdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class BddTest {

    static final int VARS = 10;

    /** A function as a BDD node and as the truth table it should have, over 10 variables. */
    record Fn(int node, IntPredicate truth) {}

    static boolean[] bits(int assignment) {
        boolean[] b = new boolean[VARS];
        for (int v = 0; v < VARS; v++) {
            b[v] = ((assignment >>> (VARS - 1 - v)) & 1) != 0;
        }
        return b;
    }

    static void assertSame(Bdd bdd, Fn f) {
        int count = 0;
        for (int a = 0; a < 1 << VARS; a++) {
            assertEquals(f.truth().test(a), bdd.evaluate(f.node(), bits(a)), "assignment " + a);
            count += f.truth().test(a) ? 1 : 0;
        }
        assertEquals(count, bdd.satCount(f.node()), 1e-9);
    }

    @Test
    void rangesAndPrefixes_matchTheirDefinition() {
        Bdd bdd = new Bdd(VARS);
        assertSame(bdd, new Fn(bdd.range(0, VARS, 100, 700), a -> a >= 100 && a <= 700));
        assertSame(bdd, new Fn(bdd.range(0, VARS, 0, 1023), a -> true));
        assertSame(bdd, new Fn(bdd.range(0, VARS, 5, 5), a -> a == 5));
        assertSame(bdd, new Fn(bdd.prefix(0, VARS, 0b1011000000, 4), a -> (a >>> 6) == 0b1011));
        assertSame(bdd, new Fn(bdd.prefix(0, VARS, 0, 0), a -> true));
        // a field in the middle: variables 3..7 hold a 5-bit number
        assertSame(bdd, new Fn(bdd.range(3, 5, 3, 17), a -> ((a >>> 2) & 31) >= 3 && ((a >>> 2) & 31) <= 17));
    }

    @Test
    void operations_agreeWithTruthTables_onRandomFunctions() {
        Random random = new Random(42);
        Bdd bdd = new Bdd(VARS);
        List<Fn> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int lo = random.nextInt(1 << VARS);
            int hi = lo + random.nextInt((1 << VARS) - lo);
            pool.add(new Fn(bdd.range(0, VARS, lo, hi), a -> a >= lo && a <= hi));
            int len = random.nextInt(VARS + 1);
            int value = random.nextInt(1 << VARS);
            int shift = VARS - len;
            pool.add(new Fn(bdd.prefix(0, VARS, value, len), a -> len == 0 || (a >>> shift) == (value >>> shift)));
        }
        for (int i = 0; i < 300; i++) {
            Fn x = pool.get(random.nextInt(pool.size()));
            Fn y = pool.get(random.nextInt(pool.size()));
            Fn r;
            switch (random.nextInt(4)) {
                case 0:
                    r = new Fn(
                            bdd.and(x.node(), y.node()),
                            a -> x.truth().test(a) && y.truth().test(a));
                    break;
                case 1:
                    r = new Fn(
                            bdd.or(x.node(), y.node()),
                            a -> x.truth().test(a) || y.truth().test(a));
                    break;
                case 2:
                    r = new Fn(
                            bdd.diff(x.node(), y.node()),
                            a -> x.truth().test(a) && !y.truth().test(a));
                    break;
                default:
                    r = new Fn(bdd.not(x.node()), a -> !x.truth().test(a));
            }
            if (i % 10 == 0) {
                assertSame(bdd, r);
            }
            pool.add(r);
        }
    }

    /** Random functions (ranges, prefixes and their combinations), with FALSE and TRUE among them. */
    static List<Fn> pool(Bdd bdd, Random random, int size) {
        List<Fn> pool = new ArrayList<>();
        pool.add(new Fn(Bdd.FALSE, a -> false));
        pool.add(new Fn(Bdd.TRUE, a -> true));
        while (pool.size() < size) {
            int lo = random.nextInt(1 << VARS);
            int hi = lo + random.nextInt((1 << VARS) - lo);
            Fn r = new Fn(bdd.range(0, VARS, lo, hi), a -> a >= lo && a <= hi);
            if (pool.size() > 4 && random.nextBoolean()) {
                Fn x = pool.get(random.nextInt(pool.size()));
                Fn y = r;
                r = random.nextBoolean()
                        ? new Fn(
                                bdd.or(x.node(), y.node()),
                                a -> x.truth().test(a) || y.truth().test(a))
                        : new Fn(
                                bdd.diff(x.node(), y.node()),
                                a -> x.truth().test(a) && !y.truth().test(a));
            }
            pool.add(r);
        }
        return pool;
    }

    @Test
    void intersectsOfSeveral_agreesWithTheBuiltProduct() {
        Random random = new Random(7);
        Bdd bdd = new Bdd(VARS);
        List<Fn> pool = pool(bdd, random, 40);
        for (int i = 0; i < 4000; i++) {
            Fn a = pool.get(random.nextInt(pool.size()));
            Fn b = pool.get(random.nextInt(pool.size()));
            Fn c = pool.get(random.nextInt(pool.size()));
            Fn d = i % 7 == 0 ? c : pool.get(random.nextInt(pool.size()));
            int abc = bdd.and(a.node(), bdd.and(b.node(), c.node()));
            assertEquals(abc != Bdd.FALSE, bdd.intersects(a.node(), b.node(), c.node()), "a∧b∧c at " + i);
            assertEquals(
                    bdd.and(abc, d.node()) != Bdd.FALSE,
                    bdd.intersects(a.node(), b.node(), c.node(), d.node()),
                    "a∧b∧c∧d at " + i);
            assertEquals(
                    bdd.diff(abc, d.node()) != Bdd.FALSE,
                    bdd.intersectsBut(a.node(), b.node(), c.node(), d.node()),
                    "a∧b∧c∧¬d at " + i);
            // and by the truth tables: the tests agree with the sets' meaning, not only with and()
            boolean some = false;
            for (int x = 0; x < 1 << VARS && !some; x++) {
                some = a.truth().test(x)
                        && b.truth().test(x)
                        && c.truth().test(x)
                        && !d.truth().test(x);
            }
            assertEquals(some, bdd.intersectsBut(a.node(), b.node(), c.node(), d.node()));
        }
    }

    @Test
    void intersectsOfSeveral_buildsNoNodes() {
        Bdd bdd = new Bdd(VARS);
        int a = bdd.range(0, VARS, 10, 900);
        int b = bdd.range(0, VARS, 300, 1000);
        int c = bdd.not(bdd.range(0, VARS, 400, 410));
        int d = bdd.range(0, VARS, 405, 405);
        int before = bdd.nodeCount();
        assertEquals(true, bdd.intersects(a, b, c));
        assertEquals(false, bdd.intersects(a, b, c, d));
        assertEquals(true, bdd.intersectsBut(a, b, Bdd.TRUE, c));
        assertEquals(false, bdd.intersectsBut(d, Bdd.TRUE, Bdd.TRUE, bdd.not(c)));
        assertEquals(before, bdd.nodeCount());
    }

    @Test
    void exists_repeatedAndAfterGrowth_quantifiesEachTime() {
        Bdd bdd = new Bdd(VARS, 16);
        boolean[] low5 = new boolean[VARS];
        java.util.Arrays.fill(low5, 5, VARS, true);
        int f = bdd.or(bdd.range(0, VARS, 0, 31), bdd.range(0, VARS, 512, 543));
        // the top five bits: 00000 and 10000, each with any low bits
        assertSame(bdd, new Fn(bdd.exists(f, low5), a -> (a >>> 5) == 0 || (a >>> 5) == 16));
        int g = Bdd.FALSE;
        for (int i = 0; i < 600; i += 3) {
            g = bdd.or(g, bdd.range(0, VARS, i, i)); // grows the table past its 16 nodes
        }
        int h = g;
        assertSame(bdd, new Fn(bdd.exists(h, low5), a -> (a >>> 5) < 19));
        assertSame(bdd, new Fn(bdd.exists(f, low5), a -> (a >>> 5) == 0 || (a >>> 5) == 16));
    }

    @Test
    void canonical_equalSetsAreTheSameNode() {
        Bdd bdd = new Bdd(VARS);
        int a = bdd.or(bdd.range(0, VARS, 0, 99), bdd.range(0, VARS, 100, 200));
        assertEquals(bdd.range(0, VARS, 0, 200), a);
        assertEquals(Bdd.FALSE, bdd.and(bdd.range(0, VARS, 0, 99), bdd.range(0, VARS, 100, 200)));
        assertEquals(Bdd.TRUE, bdd.or(a, bdd.not(a)));
        int ite = bdd.ite(bdd.variable(0), bdd.variable(1), bdd.variable(2));
        assertSame(bdd, new Fn(ite, x -> ((x >>> 9) & 1) == 1 ? ((x >>> 8) & 1) == 1 : ((x >>> 7) & 1) == 1));
    }

    @Test
    void grows_pastInitialCapacity() {
        Bdd bdd = new Bdd(64);
        int acc = Bdd.FALSE;
        for (long i = 0; i < 3000; i++) {
            acc = bdd.or(acc, bdd.range(0, 64, i * 7919, i * 7919));
        }
        assertEquals(3000, bdd.satCount(acc) / Math.pow(2, 0), 1e-6);
    }

    @Test
    void badFields_rejected() {
        Bdd bdd = new Bdd(8);
        assertThrows(IllegalArgumentException.class, () -> bdd.range(4, 8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> bdd.range(0, 8, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> bdd.range(0, 8, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> bdd.variable(8));
    }
}
