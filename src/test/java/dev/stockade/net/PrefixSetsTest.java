package dev.stockade.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefixSetsTest {

    private static List<Prefix> prefixes(String... texts) {
        return Arrays.stream(texts).map(Prefix::parse).toList();
    }

    private static List<Prefix> aggregate(String... texts) {
        return PrefixSets.aggregate(prefixes(texts));
    }

    @Test
    void aggregate_emptyList_isEmpty() {
        assertEquals(List.of(), PrefixSets.aggregate(List.of()));
    }

    @Test
    void aggregate_everything_staysEverything_andSwallowsTheRest() {
        assertEquals(prefixes("0.0.0.0/0"), aggregate("0.0.0.0/0"));
        assertEquals(prefixes("0.0.0.0/0"), aggregate("192.0.2.1", "0.0.0.0/0", "10.0.0.0/8", "0.0.0.0/0"));
        assertEquals(prefixes("::/0"), aggregate("2001:db8::1", "::/0"));
        assertEquals(prefixes("0.0.0.0/0"), aggregate("128.0.0.0/1", "0.0.0.0/1"), "the two halves of everything");
        assertEquals(prefixes("::/0"), aggregate("8000::/1", "::/1"));
    }

    @Test
    void aggregate_hosts_keepTheirFullLength() {
        assertEquals(prefixes("192.0.2.1/32"), aggregate("192.0.2.1"));
        assertEquals(prefixes("2001:db8::1/128"), aggregate("2001:db8::1"));
        assertEquals(prefixes("255.255.255.254/31"), aggregate("255.255.255.255", "255.255.255.254"));
        assertEquals(prefixes("0.0.0.0/31"), aggregate("0.0.0.1", "0.0.0.0"));
        assertEquals(
                prefixes("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"),
                aggregate("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
    }

    @Test
    void aggregate_duplicatesAndNestedPrefixes_collapse() {
        assertEquals(prefixes("192.0.2.1"), aggregate("192.0.2.1", "192.0.2.1", "192.0.2.1/32"));
        assertEquals(
                prefixes("10.0.0.0/8", "192.0.2.0/24"),
                aggregate("10.1.2.3", "192.0.2.0/25", "10.0.0.0/8", "192.0.2.0/24", "10.1.0.0/16", "192.0.2.200"));
    }

    @Test
    void aggregate_siblingHalves_joinRepeatedly() {
        assertEquals(prefixes("192.0.2.0/24"), aggregate("192.0.2.128/25", "192.0.2.0/26", "192.0.2.64/26"));
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            hosts.add("198.51.100." + i);
        }
        Collections.shuffle(hosts, new Random(1));
        assertEquals(prefixes("198.51.100.0/24"), aggregate(hosts.toArray(String[]::new)));
    }

    @Test
    void aggregate_adjacentButNotSiblings_stayApart() {
        // .1 and .2 are neighbours, but no prefix holds exactly the two of them
        assertEquals(prefixes("192.0.2.1", "192.0.2.2"), aggregate("192.0.2.2", "192.0.2.1"));
        assertEquals(prefixes("192.0.2.64/26", "192.0.2.128/26"), aggregate("192.0.2.128/26", "192.0.2.64/26"));
    }

    @Test
    void aggregate_benchNodeAddresses_1to250_become13Prefixes() {
        List<Prefix> in = new ArrayList<>();
        for (int i = 250; i >= 1; i--) {
            in.add(Prefix.parse("10.250.3." + i));
        }
        assertEquals(
                prefixes(
                        "10.250.3.1",
                        "10.250.3.2/31",
                        "10.250.3.4/30",
                        "10.250.3.8/29",
                        "10.250.3.16/28",
                        "10.250.3.32/27",
                        "10.250.3.64/26",
                        "10.250.3.128/26",
                        "10.250.3.192/27",
                        "10.250.3.224/28",
                        "10.250.3.240/29",
                        "10.250.3.248/31",
                        "10.250.3.250"),
                PrefixSets.aggregate(in));
    }

    @ParameterizedTest
    @CsvSource({
        // the two /64 halves of a /63: the join crosses from the low to the high long
        "2001:db8::/64, 2001:db8:0:1::/64, 2001:db8::/63",
        "2001:db8::/33, 2001:db8:8000::/33, 2001:db8::/32",
        "2001:db8::, 2001:db8::1, 2001:db8::/127",
        "::, ::1, ::/127",
    })
    void aggregate_ipv6Siblings_join(String a, String b, String joined) {
        assertEquals(prefixes(joined), aggregate(b, a));
    }

    @Test
    void aggregate_ipv6_mixedLengths() {
        assertEquals(
                prefixes("2001:db8::/32", "2001:db9::1", "2001:db9::2/127"),
                aggregate("2001:db9::3", "2001:db8:1::/48", "2001:db9::1", "2001:db8::/32", "2001:db9::2"));
    }

    @Test
    void aggregate_mixedFamilies_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> aggregate("192.0.2.1", "2001:db8::1"));
    }

    @Test
    void aggregate_result_isUnmodifiable_andTheInputIsLeftAlone() {
        List<Prefix> in = new ArrayList<>(prefixes("192.0.2.1", "192.0.2.0"));
        List<Prefix> out = PrefixSets.aggregate(in);
        assertEquals(prefixes("192.0.2.1", "192.0.2.0"), in);
        assertThrows(UnsupportedOperationException.class, () -> out.add(Prefix.parse("10.0.0.1")));
    }

    /**
     * Random lists inside a small space (256 units: a /24 of IPv4 hosts, a /120 of IPv6 hosts, the /8s
     * of everything, or /68s straddling the two longs of an IPv6 address) against a brute-force
     * oracle: the set of units covered, and its decomposition into maximal prefixes found top down.
     */
    @ParameterizedTest
    @CsvSource({"10.0.0.0/24", "0.0.0.0/0", "2001:db8::/120", "2001:db8:0:10::/60", "::/0"})
    void aggregate_randomLists_matchTheBruteForceOracle(String spaceText) {
        Prefix space = Prefix.parse(spaceText);
        Prefix[] units = units(space);
        Random random = new Random(20261203L ^ spaceText.hashCode());
        for (int round = 0; round < 1000; round++) {
            List<Prefix> in = randomList(units, random);
            List<Prefix> out = PrefixSets.aggregate(in);
            String why = in + " -> " + out;

            boolean[] wanted = covered(units, in);
            assertTrue(Arrays.equals(wanted, covered(units, out)), "the same addresses: " + why);
            assertEquals(oracle(units, wanted), out, "the unique fewest prefixes: " + why);
            assertMinimalShape(out, why);

            List<Prefix> shuffled = new ArrayList<>(in);
            Collections.shuffle(shuffled, random);
            assertEquals(out, PrefixSets.aggregate(shuffled), "the order of the input does not matter: " + why);
            assertEquals(out, PrefixSets.aggregate(out), "aggregating again changes nothing: " + why);
        }
    }

    /** Sorted; no two overlap; no two are the halves of one prefix (they could be merged). */
    private static void assertMinimalShape(List<Prefix> out, String why) {
        List<Prefix> sorted = new ArrayList<>(out);
        Collections.sort(sorted);
        assertEquals(sorted, out, "sorted: " + why);
        for (int i = 0; i < out.size(); i++) {
            for (int j = 0; j < out.size(); j++) {
                if (i == j) {
                    continue;
                }
                Prefix a = out.get(i);
                Prefix b = out.get(j);
                assertFalse(a.contains(b), "overlap " + a + " " + b + ": " + why);
                boolean siblings = a.length() == b.length()
                        && a.length() > 0
                        && a.network(a.length() - 1).equals(b.network(b.length() - 1));
                assertFalse(siblings, "mergeable " + a + " " + b + ": " + why);
            }
        }
    }

    /** Up to 20 prefixes, mostly short runs of consecutive units (like node addresses), some wider. */
    private static List<Prefix> randomList(Prefix[] units, Random random) {
        int spaceLength = units[0].length() - 8;
        List<Prefix> in = new ArrayList<>();
        int n = random.nextInt(21);
        while (in.size() < n) {
            if (random.nextInt(3) == 0) {
                int start = random.nextInt(256);
                int run = 1 + random.nextInt(Math.min(40, 256 - start));
                for (int u = start; u < start + run && in.size() < n + 10; u++) {
                    in.add(units[u]);
                }
            } else {
                in.add(units[random.nextInt(256)].network(spaceLength + random.nextInt(9)));
            }
        }
        return in;
    }

    /** Unit {@code index} (0-255) of the space: the prefix of length {@code unitLength} at that offset. */
    private static Prefix unit(Prefix space, int index, int unitLength) {
        int bits = space.family().bits();
        BigInteger address = value(space).add(BigInteger.valueOf(index).shiftLeft(bits - unitLength));
        return new Prefix(
                space.family(), address.shiftRight(64).longValue(), address.longValue() & mask(space), unitLength);
    }

    private static long mask(Prefix space) {
        return space.family() == IpFamily.V4 ? 0xFFFF_FFFFL : -1L;
    }

    private static BigInteger value(Prefix p) {
        BigInteger hi = new BigInteger(Long.toUnsignedString(p.hi()));
        return hi.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(p.lo())));
    }

    /** Which of the 256 units of the space the prefixes cover, address by address. */
    private static boolean[] covered(Prefix[] units, List<Prefix> prefixes) {
        boolean[] in = new boolean[units.length];
        for (int u = 0; u < units.length; u++) {
            for (Prefix p : prefixes) {
                in[u] |= p.contains(units[u]);
            }
        }
        return in;
    }

    private static Prefix[] units(Prefix space) {
        Prefix[] units = new Prefix[256];
        for (int u = 0; u < 256; u++) {
            units[u] = unit(space, u, space.length() + 8);
        }
        return units;
    }

    /** The maximal prefixes inside the set, top down: a block fully in the set is taken whole. */
    private static List<Prefix> oracle(Prefix[] units, boolean[] set) {
        List<Prefix> out = new ArrayList<>();
        oracle(units, set, 0, 256, out);
        return out;
    }

    private static void oracle(Prefix[] units, boolean[] set, int from, int size, List<Prefix> out) {
        boolean all = true;
        boolean none = true;
        for (int u = from; u < from + size; u++) {
            all &= set[u];
            none &= !set[u];
        }
        if (none) {
            return;
        }
        if (all) {
            out.add(units[from].network(units[from].length() - Integer.numberOfTrailingZeros(size)));
            return;
        }
        oracle(units, set, from, size / 2, out);
        oracle(units, set, from + size / 2, size / 2, out);
    }

    @Test
    void ofRange_givesTheFewestAlignedPrefixes() {
        assertEquals(
                List.of("10.250.1.1/32", "10.250.1.2/31", "10.250.1.4/30", "10.250.1.8/31"),
                PrefixSets.ofRange(Prefix.parse("10.250.1.1"), Prefix.parse("10.250.1.9")).stream()
                        .map(Prefix::toCidr)
                        .toList());
        assertEquals(
                List.of("0.0.0.0/0"),
                PrefixSets.ofRange(Prefix.parse("0.0.0.0"), Prefix.parse("255.255.255.255")).stream()
                        .map(Prefix::toCidr)
                        .toList());
        assertEquals(
                List.of("::/0"),
                PrefixSets.ofRange(Prefix.parse("::"), Prefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).stream()
                        .map(Prefix::toCidr)
                        .toList());
        assertEquals(
                List.of("2001:db8::ffff/128", "2001:db8::1:0/128"),
                PrefixSets.ofRange(Prefix.parse("2001:db8::ffff"), Prefix.parse("2001:db8::1:0")).stream()
                        .map(Prefix::toCidr)
                        .toList());
        assertThrows(
                IllegalArgumentException.class,
                () -> PrefixSets.ofRange(Prefix.parse("10.0.0.2"), Prefix.parse("10.0.0.1")));
    }

    @Test
    void ofRange_randomRanges_coverExactlyTheRange() {
        Random random = new Random(7);
        for (int n = 0; n < 300; n++) {
            long a = random.nextInt(1 << 12);
            long b = a + random.nextInt(1 << 12);
            List<Prefix> got = PrefixSets.ofRange(v4(a), v4(b));
            long covered = 0;
            long expectNext = a;
            for (Prefix p : got) {
                assertEquals(expectNext, p.lo(), "prefixes are contiguous and sorted");
                long size = 1L << (32 - p.length());
                covered += size;
                expectNext += size;
            }
            assertEquals(b - a + 1, covered);
            assertEquals(got, PrefixSets.aggregate(got), "already the fewest");
        }
    }

    private static Prefix v4(long address) {
        return new Prefix(dev.stockade.net.IpFamily.V4, 0, address, 32);
    }
}
