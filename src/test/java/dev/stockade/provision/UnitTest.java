package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitTest {

    @Test
    void factories_enableDefineMaskDropin() {
        Unit enabled = Unit.enable("a.service");
        assertTrue(enabled.enable() && enabled.start() && !enabled.mask());
        assertEquals(Optional.empty(), enabled.contents());

        Unit defined = Unit.define("b.service", "[Unit]\n");
        assertTrue(defined.enable() && defined.start());
        assertEquals(Optional.of("[Unit]\n"), defined.contents());

        Unit masked = Unit.mask("sshd.socket");
        assertTrue(masked.mask());
        assertFalse(masked.enable() || masked.start(), "a masked unit is neither enabled nor started");

        Unit quiet = Unit.dropin("c.service", false, new Unit.Dropin("10.conf", "x"));
        assertFalse(quiet.enable() || quiet.start());
        assertEquals(List.of(new Unit.Dropin("10.conf", "x")), quiet.dropins());
        assertTrue(
                Unit.dropin("c.service", true, new Unit.Dropin("10.conf", "x")).start());
    }

    @Test
    void dropins_copied() {
        List<Unit.Dropin> list = new java.util.ArrayList<>(List.of(new Unit.Dropin("a", "b")));
        Unit u = new Unit("x", true, false, true, Optional.empty(), list);
        list.clear();
        assertEquals(1, u.dropins().size());
        assertThrows(UnsupportedOperationException.class, () -> u.dropins().clear());
    }
}
