package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IcmpTypesTest {

    @Test
    void lookup_namesPerFamily() {
        assertEquals(Optional.of(IcmpType.of(8)), IcmpTypes.lookup("echo-request", IpFamily.V4));
        assertEquals(Optional.of(IcmpType.of(128)), IcmpTypes.lookup("echo-request", IpFamily.V6));
        assertEquals(Optional.of(IcmpType.of(3, 3)), IcmpTypes.lookup("port-unreachable", IpFamily.V4));
        assertEquals(Optional.of(IcmpType.of(1, 4)), IcmpTypes.lookup("port-unreachable", IpFamily.V6));
        assertEquals(Optional.of(IcmpType.of(135)), IcmpTypes.lookup("neighbour-solicitation", IpFamily.V6));
        assertEquals(Optional.empty(), IcmpTypes.lookup("neighbour-solicitation", IpFamily.V4));
    }

    @Test
    void lookup_numbers_typeOrTypeAndCode() {
        assertEquals(Optional.of(IcmpType.of(3)), IcmpTypes.lookup("3", IpFamily.V4));
        assertTrue(IcmpTypes.lookup("3", IpFamily.V4).orElseThrow().everyCode());
        assertEquals(Optional.of(IcmpType.of(3, 4)), IcmpTypes.lookup("3/4", IpFamily.V4));
        assertEquals(Optional.empty(), IcmpTypes.lookup("256", IpFamily.V4));
        assertEquals(Optional.empty(), IcmpTypes.lookup("3/256", IpFamily.V4));
        assertEquals(Optional.empty(), IcmpTypes.lookup("3/", IpFamily.V4));
        assertEquals(Optional.empty(), IcmpTypes.lookup("99999999999", IpFamily.V4));
        assertEquals(Optional.empty(), IcmpTypes.lookup("any", IpFamily.V4));
        assertTrue(IcmpTypes.isAny("any"));
    }

    @Test
    void icmpType_validated() {
        assertThrows(IllegalArgumentException.class, () -> new IcmpType(256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IcmpType(3, 5, 4));
    }

    @Test
    void builtinChains_perTable() {
        assertEquals(java.util.List.of("INPUT", "FORWARD", "OUTPUT"), BuiltinChains.of("filter"));
        assertTrue(BuiltinChains.isBuiltin("nat", "POSTROUTING"));
        assertTrue(!BuiltinChains.isBuiltin("filter", "PREROUTING"));
        assertEquals(java.util.List.of(), BuiltinChains.of("nope"));
    }
}
