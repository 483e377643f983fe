package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceAtomsTest {

    private final InterfaceAtoms atoms = InterfaceAtoms.of(List.of("eth0", "eth+", "wg0", "+"));

    @Test
    void atoms_noneLiteralsWithLoPrefixesOther() {
        assertEquals(
                List.of("(none)", "eth0", "lo", "wg0", "eth+", "(other)"),
                atoms.atoms().stream().map(InterfaceAtoms.Atom::label).toList());
        assertEquals(6, atoms.size());
        assertEquals(3, atoms.bits());
        assertEquals(0, atoms.none());
    }

    @Test
    void matching_literalWildcardAndPlusAlone() {
        assertEquals(List.of(1), atoms.matching("eth0"));
        assertEquals(List.of(1, 4), atoms.matching("eth+"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), atoms.matching("+"), "as in the kernel, '+' compares no byte");
        assertEquals(List.of(), atoms.matching("ppp0"));
    }

    @Test
    void atomOf_concreteNames_longestPrefixElseOther() {
        assertEquals(1, atoms.atomOf("eth0"));
        assertEquals(4, atoms.atomOf("eth7"));
        assertEquals(2, atoms.atomOf("lo"));
        assertEquals(5, atoms.atomOf("ppp0"));
        InterfaceAtoms nested = InterfaceAtoms.of(List.of("e+", "eth+"));
        assertEquals("eth+", nested.atoms().get(nested.atomOf("eth1")).label());
        assertEquals("e+", nested.atoms().get(nested.atomOf("em1")).label());
    }

    @Test
    void bits_enoughToNumberEveryAtom() {
        assertEquals(2, InterfaceAtoms.of(List.of()).bits(), "(none), lo, (other)");
        assertEquals(
                4, InterfaceAtoms.of(List.of("a", "b", "c", "d", "e", "f", "g")).bits());
    }
}
