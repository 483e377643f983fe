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
    void resolve_eachDistinctTagAskedOnce_everyReferencePinnedOrNamed() throws Exception {
        String text = "services:\n"
                + "  a: {image: nginx:1.27}\n"
                + "  b: {image: docker.io/library/nginx:1.27}\n"
                + "  c: {image: quay.io/x/y}\n"
                + "  d: {image: quay.io/x/gone:1}\n"
                + "  e: {image: quay.io/x/gone:1}\n"
                + "  f: {image: \"quay.io/x/z@" + D + "\"}\n"
                + "  g: {image: $IMAGE}\n";
        List<FoundImage> found = ImageScan.scan("c.yaml", text).images();
        List<String> asked = new java.util.ArrayList<>();
        Pins.Resolved r = Pins.resolve(found, ref -> {
            asked.add(ref.registryHost() + "/" + ref.registryRepository() + ":" + ref.effectiveTag());
            if (ref.repository().equals("x/gone")) {
                throw new Pins.Unresolved("tag '1' not found", "REG-NOT-FOUND", "check the tag");
            }
            return D;
        });
        assertEquals(List.of("docker.io/library/nginx:1.27", "quay.io/x/y:latest", "quay.io/x/gone:1"), asked);
        assertEquals(
                List.of("nginx:1.27@" + D, "docker.io/library/nginx:1.27@" + D, "quay.io/x/y@" + D),
                r.pins().stream().map(Pins.Pin::pinned).toList());
        assertEquals(
                List.of(
                        "c.yaml:5:14: cannot pin 'quay.io/x/gone:1': tag '1' not found [REG-NOT-FOUND]",
                        "c.yaml:6:14: cannot pin 'quay.io/x/gone:1': tag '1' not found [REG-NOT-FOUND]"),
                r.failures());
        assertEquals("check the tag", r.hint());
        assertEquals(
                text.replace("nginx:1.27}", "nginx:1.27@" + D + "}").replace("quay.io/x/y}", "quay.io/x/y@" + D + "}"),
                Pins.apply(text, r.pins()));
    }

    @Test
    void mutable_onlyParsedUnpinnedReferences() {
        assertEquals(Optional.of("nginx"), ImageChecks.mutable("nginx").map(ImageRef::toString));
        assertEquals(Optional.empty(), ImageChecks.mutable("nginx@" + D));
        assertEquals(Optional.empty(), ImageChecks.mutable("${IMAGE}"));
        assertEquals(Optional.empty(), ImageChecks.mutable("Bad:1"));
    }
}
