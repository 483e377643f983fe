package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestTest {

    static final String EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void sha256_knownVectors() {
        assertEquals(EMPTY, Digest.sha256(new byte[0]).toString());
        assertEquals(
                "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Digest.sha256("abc").toString());
        assertTrue(Digest.sha256("abc").isSha256());
    }

    @Test
    void parse_validDigests() {
        assertEquals(Optional.of(Digest.sha256(new byte[0])), Digest.parse(EMPTY));
        assertEquals(Optional.of(Digest.sha256(new byte[0])), Digest.parse("  " + EMPTY + " "));
        Digest other = Digest.parse("sha512:abcdef").orElseThrow();
        assertEquals("sha512", other.algorithm());
        assertFalse(other.isSha256());
    }

    @Test
    void parse_notADigest_empty() {
        assertEquals(Optional.empty(), Digest.parse(null));
        assertEquals(Optional.empty(), Digest.parse(""));
        assertEquals(Optional.empty(), Digest.parse("sha256"));
        assertEquals(Optional.empty(), Digest.parse(":abc"));
        assertEquals(Optional.empty(), Digest.parse("sha256:abc"), "too short for sha256");
        assertEquals(Optional.empty(), Digest.parse(EMPTY.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(Optional.empty(), Digest.parse("sha256:" + "g".repeat(64)));
        assertEquals(Optional.empty(), Digest.parse("SHA256:x"));
    }

    @Test
    void constructor_malformed_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Digest("sha256", "00"));
        assertThrows(IllegalArgumentException.class, () -> new Digest("sha 256", "00"));
        assertThrows(IllegalArgumentException.class, () -> new Digest("x", "a b"));
    }
}
