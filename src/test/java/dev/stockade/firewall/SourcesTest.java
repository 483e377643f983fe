package dev.stockade.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SourcesTest {

    static List<Prefix> prefixes(String... texts) {
        return Arrays.stream(texts).map(Prefix::parse).toList();
    }

    static Sources v4(String... texts) {
        return new Sources(IpFamily.V4, prefixes(texts));
    }

    @Test
    void minimal_sortsAndDropsDuplicates() {
        assertEquals(
                prefixes("10.0.0.1", "10.0.0.2", "192.0.2.1"),
                v4("192.0.2.1", "10.0.0.2", "10.0.0.1", "10.0.0.2").prefixes());
    }

    @Test
    void minimal_dropsPrefixesInsideAnother_whateverTheOrder() {
        List<Prefix> in = new ArrayList<>(
                prefixes("10.1.2.3", "10.0.0.0/8", "192.0.2.0/25", "10.1.0.0/16", "192.0.2.0/24", "192.0.2.200"));
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            Collections.shuffle(in, random);
            assertEquals(prefixes("10.0.0.0/8", "192.0.2.0/24"), Sources.minimal(in), in::toString);
        }
    }

    @Test
    void minimal_joinsSiblingHalves_intoTheirParent() {
        assertEquals(
                prefixes("192.0.2.0/24"), v4("192.0.2.128/25", "192.0.2.0/25").prefixes());
        assertEquals(
                prefixes("10.250.0.0/30", "10.250.0.4"),
                v4("10.250.0.4", "10.250.0.3", "10.250.0.2", "10.250.0.1", "10.250.0.0")
                        .prefixes(),
                "consecutive node addresses become a few prefixes");
    }

    @Test
    void minimal_ipv6() {
        assertEquals(
                prefixes("2001:db8::/32", "2001:db9::1"),
                new Sources(IpFamily.V6, prefixes("2001:db9::1", "2001:db8:1::/48", "2001:db8::1", "2001:db8::/32"))
                        .prefixes());
    }

    @Test
    void constructor_rejectsPrefixesOfTheOtherFamily() {
        assertThrows(IllegalArgumentException.class, () -> new Sources(IpFamily.V6, prefixes("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> v4("192.0.2.1", "2001:db8::1"));
    }

    @Test
    void isAny_isEmpty_toString() {
        Sources any = v4("10.0.0.0/8", "0.0.0.0/0", "192.0.2.1");
        assertTrue(any.isAny());
        assertEquals(prefixes("0.0.0.0/0"), any.prefixes());
        assertEquals("any", any.toString());
        assertTrue(new Sources(IpFamily.V6, prefixes("::/0")).isAny());

        Sources none = v4();
        assertTrue(none.isEmpty());
        assertFalse(none.isAny());
        assertEquals("-", none.toString());

        Sources some = v4("192.0.2.1", "10.0.0.0/24", "10.0.0.7");
        assertFalse(some.isAny() || some.isEmpty());
        assertEquals("10.0.0.0/24 192.0.2.1", some.toString(), "hosts without /32, networks with their length");
    }

    @Test
    void prefixes_cannotBeChangedAfterwards() {
        List<Prefix> in = new ArrayList<>(prefixes("192.0.2.1"));
        Sources s = new Sources(IpFamily.V4, in);
        in.add(Prefix.parse("0.0.0.0/0"));
        assertEquals(prefixes("192.0.2.1"), s.prefixes());
        assertThrows(UnsupportedOperationException.class, () -> s.prefixes().add(Prefix.parse("10.0.0.0/8")));
    }
}
