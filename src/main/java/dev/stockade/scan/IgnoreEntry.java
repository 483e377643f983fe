package dev.stockade.scan;

import dev.stockade.report.SourceSpan;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an ignore file: a vulnerability accepted for a while, for a stated reason, maybe only
 * in one package or one image.
 *
 * @param expires the last day the entry applies; from the day after, it no longer ignores
 * @param packageName when present, only this package's vulnerability is ignored
 * @param image when present, only in this image: the report's image name as written, or its
 *     repository without a tag or digest ({@code registry.example.com/app} matches
 *     {@code registry.example.com/app:1.4} and {@code registry.example.com/app@sha256:...})
 * @param span where the entry starts in the ignore file
 */
public record IgnoreEntry(
        String id,
        LocalDate expires,
        String reason,
        Optional<String> packageName,
        Optional<String> image,
        SourceSpan span) {

    public IgnoreEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(span, "span");
    }

    /** Whether the entry is about {@code v} (its id, and its package and image when the entry names them). */
    public boolean matches(Vulnerability v) {
        return id.equals(v.id())
                && packageName.map(p -> p.equals(v.packageName())).orElse(true)
                && image.map(i -> imageMatches(i, v.image())).orElse(true);
    }

    /** Whether {@code today} is after the last day the entry applies. */
    public boolean expiredOn(LocalDate today) {
        return today.isAfter(expires);
    }

    static boolean imageMatches(String pattern, String image) {
        if (image.equals(pattern)) {
            return true;
        }
        if (!image.startsWith(pattern) || image.length() == pattern.length()) {
            return false;
        }
        char next = image.charAt(pattern.length());
        // a tag follows the last path segment only: "app" must not match "app-db:1" or "app/sub:1"
        return next == '@' || (next == ':' && image.indexOf('/', pattern.length()) < 0);
    }
}
