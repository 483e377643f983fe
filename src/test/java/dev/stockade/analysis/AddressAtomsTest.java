package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressAtomsTest {

    private static AddressAtoms atoms(IpFamily family, String... prefixes) {
        AddressAtoms.Builder b = new AddressAtoms.Builder(family);
        for (String p : prefixes) {
            b.add(Prefix.parse(p));
        }
        return b.build();
    }

    private static BigInteger v4(String address) {
        return BigInteger.valueOf(Prefix.parse(address).lo());
    }

    @Test
    void build_nestedPrefixes_cutAtEveryEndAndPadToAPowerOfTwo() {
        // cuts: 0, 10.0.0.0, 10.1.0.0, 10.2.0.0, 11.0.0.0: five intervals, padded to eight
        AddressAtoms a = atoms(IpFamily.V4, "10.0.0.0/8", "10.1.0.0/16");
        assertEquals(8, a.size());
        assertEquals(3, a.bits());
        int first = a.firstAtom(0, Prefix.parse("10.0.0.0").lo());
        int last = a.lastAtom(0, Prefix.parse("10.255.255.255").lo());
        assertEquals(v4("10.0.0.0"), a.first(first));
        assertEquals(v4("10.255.255.255"), a.last(last));
        int inner = a.atomOf(0, Prefix.parse("10.1.2.3").lo());
        assertEquals(v4("10.1.0.0"), a.first(inner));
        assertEquals(v4("10.1.255.255"), a.last(inner));
        assertTrue(first < inner && inner < last);
    }

    @Test
    void atoms_coverTheSpaceInOrderWithoutGaps() {
        AddressAtoms a = atoms(IpFamily.V4, "192.0.2.7", "0.0.0.0/1", "255.255.255.255");
        assertPartition(a);
        int host = a.atomOf(0, Prefix.parse("192.0.2.7").lo());
        assertEquals(a.first(host), a.last(host));
    }

    /** Atoms from 0 to the family's last address, each starting where the one before ends. */
    private static void assertPartition(AddressAtoms a) {
        assertEquals(1 << a.bits(), a.size());
        assertEquals(BigInteger.ZERO, a.first(0));
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.first(i).compareTo(a.last(i)) <= 0);
            assertEquals(a.last(i - 1).add(BigInteger.ONE), a.first(i));
        }
        assertEquals(BigInteger.ONE.shiftLeft(a.family().bits()).subtract(BigInteger.ONE), a.last(a.size() - 1));
    }

    @Test
    void build_randomPrefixes_everyEndIsABoundaryOfAPartition() {
        java.util.Random r = new java.util.Random(15);
        for (IpFamily f : IpFamily.values()) {
            for (int round = 0; round < 20; round++) {
                AddressAtoms.Builder b = new AddressAtoms.Builder(f);
                List<Prefix> prefixes = new java.util.ArrayList<>();
                for (int i = 0; i < 1 + r.nextInt(300); i++) {
                    int length = r.nextInt(f.bits() + 1);
                    long hi = f == IpFamily.V4 ? 0 : r.nextLong();
                    long lo = f == IpFamily.V4 ? r.nextLong() & 0xFFFF_FFFFL : r.nextLong();
                    Prefix p = new Prefix(f, hi, lo, f.bits()).network(length);
                    prefixes.add(p);
                    b.add(p);
                }
                AddressAtoms a = b.build();
                assertPartition(a);
                for (Prefix p : prefixes) {
                    long[] end = AddressAtoms.lastAddress(p);
                    assertTrue(a.firstAtom(p.hi(), p.lo()) <= a.lastAtom(end[0], end[1]));
                }
            }
        }
    }

    @Test
    void build_runOfHosts_padsInPassesAroundThem() {
        // 100 one-address atoms and two wide ones: 102 atoms, padded to 128 by halving the wide ones again and again
        AddressAtoms.Builder b = new AddressAtoms.Builder(IpFamily.V4);
        for (int i = 0; i < 100; i++) {
            b.add(Prefix.parse("10.0.0." + i));
        }
        AddressAtoms a = b.build();
        assertEquals(128, a.size());
        assertPartition(a);
        int first = a.atomOf(0, Prefix.parse("10.0.0.0").lo());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.first(first + i), a.last(first + i));
        }
    }

    @Test
    void firstAtomAndLastAtom_notABoundary_throw() {
        AddressAtoms a = atoms(IpFamily.V4, "192.0.2.0/24");
        assertThrows(
                IllegalArgumentException.class,
                () -> a.firstAtom(0, Prefix.parse("192.0.2.1").lo()));
        assertThrows(
                IllegalArgumentException.class,
                () -> a.lastAtom(0, Prefix.parse("192.0.2.254").lo()));
    }

    @Test
    void whole_v6_isTwoHalves() {
        AddressAtoms a = AddressAtoms.whole(IpFamily.V6);
        assertPartition(a);
        assertEquals(2, a.size());
        assertEquals(1, a.bits());
        assertEquals(BigInteger.ONE.shiftLeft(127), a.first(1));
        assertEquals(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE), a.last(1));
    }

    @Test
    void build_v6Prefixes_endWhereThePrefixEnds() {
        AddressAtoms a = atoms(IpFamily.V6, "2001:db8::/32", "2001:db8::1", "2001:db8:0:1::/64");
        assertPartition(a);
        assertPartition(atoms(IpFamily.V6, "ffff::/16"));
        assertPartition(atoms(IpFamily.V6, "2001:db8::/32"));
        assertPartition(atoms(IpFamily.V4, "255.255.255.255", "0.0.0.0"));
        Prefix net = Prefix.parse("2001:db8::/32");
        long[] end = AddressAtoms.lastAddress(net);
        int first = a.firstAtom(net.hi(), net.lo());
        int last = a.lastAtom(end[0], end[1]);
        assertEquals(BigInteger.valueOf(0x20010db8L).shiftLeft(96), a.first(first));
        assertEquals(BigInteger.valueOf(0x20010db9L).shiftLeft(96).subtract(BigInteger.ONE), a.last(last));
        Prefix one = Prefix.parse("2001:db8::1");
        int host = a.firstAtom(one.hi(), one.lo());
        assertEquals(host, a.lastAtom(one.hi(), one.lo()));
        long[] subnetEnd = AddressAtoms.lastAddress(Prefix.parse("2001:db8:0:1::/64"));
        assertEquals(-1L, subnetEnd[1]);
    }

    @Test
    void source_prefixTheRulesDoNotName_isRefusedNotApproximated() throws Exception {
        Table t = PacketSetAnalysisTest.table("-A INPUT -s 203.0.113.0/24 -j ACCEPT");
        FilterAnalysis plain = FilterAnalysis.of(IpFamily.V4, t);
        assertThrows(IllegalArgumentException.class, () -> plain.packets().source(Prefix.parse("198.51.100.0/24")));
        Prefix extra = Prefix.parse("198.51.100.0/24");
        FilterAnalysis known = FilterAnalysis.of(
                IpFamily.V4, List.of(t), List.of(), List.of(extra), FilterAnalysis.Approximation.EXACT, null);
        PacketSets p = known.packets();
        assertTrue(p.source(extra).intersects(known.acceptedUpper("INPUT").not()));
        assertTrue(p.source(Prefix.parse("203.0.113.0/24")).and(p.all("INPUT")).within(known.acceptedLower("INPUT")));
    }
}
