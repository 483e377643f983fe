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
        assertEquals(BigInteger.ZERO, a.first(0));
        for (int i = 1; i < a.size(); i++) {
            assertEquals(a.last(i - 1).add(BigInteger.ONE), a.first(i));
        }
        assertEquals(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE), a.last(a.size() - 1));
        int host = a.atomOf(0, Prefix.parse("192.0.2.7").lo());
        assertEquals(a.first(host), a.last(host));
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
        assertEquals(2, a.size());
        assertEquals(1, a.bits());
        assertEquals(BigInteger.ONE.shiftLeft(127), a.first(1));
        assertEquals(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE), a.last(1));
    }

    @Test
    void build_v6Prefixes_endWhereThePrefixEnds() {
        AddressAtoms a = atoms(IpFamily.V6, "2001:db8::/32", "2001:db8::1", "2001:db8:0:1::/64");
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
