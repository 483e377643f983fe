package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsagesTest {

    @Test
    void isKnown_cfsslWordsAnyCase() {
        assertTrue(Usages.isKnown("server auth"));
        assertTrue(Usages.isKnown("Client Auth"));
        assertTrue(Usages.isKnown("key encipherment"));
        assertTrue(Usages.isKnown("s/mime"));
        assertFalse(Usages.isKnown("serverauth"));
        assertFalse(Usages.isKnown(""));
    }

    @Test
    void all_sortedBasicAndExtended() {
        List<String> all = new ArrayList<>(Usages.all());
        assertEquals(all.stream().sorted().toList(), all);
        assertTrue(all.containsAll(List.of("signing", "cert sign", "server auth", "any")));
        assertEquals(Usages.BASIC.size() + Usages.EXTENDED.size(), all.size());
        assertTrue(all.stream().allMatch(Usages::isKnown));
    }
}
