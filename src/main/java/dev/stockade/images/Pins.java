package dev.stockade.images;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pinning references in a file's text: each reference written literally at its offset is replaced
 * by the same reference with the digest the registry gave for its tag ({@code nginx:1.27} becomes
 * {@code nginx:1.27@sha256:...}), from the end of the text backwards so that earlier offsets stay
 * right. Nothing else in the text changes.
 */
public final class Pins {

    private Pins() {}

    /**
     * A reference and what it becomes.
     *
     * @param image the reference as found
     * @param pinned the reference with its digest
     */
    public record Pin(FoundImage image, String pinned) {}

    /**
     * The text with every pin applied.
     *
     * @throws IllegalArgumentException when a pin is not written literally at its offset (the file
     *     changed since it was scanned, or the reference is encoded)
     */
    public static String apply(String text, List<Pin> pins) {
        List<Pin> ordered = new ArrayList<>(pins);
        ordered.sort(Comparator.comparingInt((Pin p) -> p.image().offset()).reversed());
        StringBuilder out = new StringBuilder(text);
        int limit = Integer.MAX_VALUE;
        for (Pin p : ordered) {
            int at = p.image().offset();
            String ref = p.image().reference();
            if (at < 0 || at + ref.length() > limit || !text.startsWith(ref, at)) {
                throw new IllegalArgumentException("'" + ref + "' is not written at "
                        + p.image().at() + " (" + p.image().where() + ")");
            }
            out.replace(at, at + ref.length(), p.pinned());
            limit = at;
        }
        return out.toString();
    }
}
