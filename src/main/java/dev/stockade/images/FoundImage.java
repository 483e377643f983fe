package dev.stockade.images;

import dev.stockade.report.SourceSpan;
import java.util.Objects;

/**
 * An image reference found in a file.
 *
 * @param reference the text as written (without a transport prefix such as {@code docker://})
 * @param at where it is: its first character when {@code offset} is known, else the nearest place
 *     the file format lets us name (an Ignition file's data URL)
 * @param offset the reference's character offset in the file, -1 when it is not written there
 *     literally (encoded contents), so it cannot be rewritten in place
 * @param where what holds it, for people: {@code unit web.service ExecStart},
 *     {@code spec.containers[0].image}
 */
public record FoundImage(String reference, SourceSpan at, int offset, String where) {

    public FoundImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(where, "where");
    }

    /** The reference is written literally at {@code offset} in the file. */
    public boolean rewritable() {
        return offset >= 0;
    }
}
