package dev.stockade.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PinsTest {

    static final String D = "sha256:" + "c".repeat(64);

    @Test
    void apply_replacesEachReferenceInPlace_fromTheEnd() {
        String text = "[Service]\nExecStart=docker run a:1\nExecStart=docker run \\\n  b\n";
        List<FoundImage> found = ImageScan.scan("u.service", text).images();
        assertEquals(2, found.size());
        List<Pins.Pin> pins = found.stream()
                .map(f -> new Pins.Pin(
                        f,
                        ImageChecks.mutable(f.reference())
                                .orElseThrow()
                                .withDigest(D)
                                .toString()))
                .toList();
        assertEquals(
                "[Service]\nExecStart=docker run a:1@" + D + "\nExecStart=docker run \\\n  b@" + D + "\n",
                Pins.apply(text, pins));
        assertEquals(text, Pins.apply(text, List.of()));
    }

    @Test
    void apply_refusesPlacesThatDoNotReadAsTheReference() {
        String text = "services: {a: {image: x:1}}\n";
        FoundImage f = ImageScan.scan("c.yaml", text).images().get(0);
        Pins.Pin ok = new Pins.Pin(f, "x:1@" + D);
        IllegalArgumentException changed =
                assertThrows(IllegalArgumentException.class, () -> Pins.apply(text.replace("x:1", "y:1"), List.of(ok)));
        assertTrue(changed.getMessage().contains("'x:1' is not written at c.yaml:1:23"), changed.getMessage());
        FoundImage encoded = new FoundImage("x:1", f.at(), -1, "a data URL");
        assertThrows(IllegalArgumentException.class, () -> Pins.apply(text, List.of(new Pins.Pin(encoded, "x"))));
    }

    @Test
    void mutable_onlyParsedUnpinnedReferences() {
        assertEquals(Optional.of("nginx"), ImageChecks.mutable("nginx").map(ImageRef::toString));
        assertEquals(Optional.empty(), ImageChecks.mutable("nginx@" + D));
        assertEquals(Optional.empty(), ImageChecks.mutable("${IMAGE}"));
        assertEquals(Optional.empty(), ImageChecks.mutable("Bad:1"));
    }
}
