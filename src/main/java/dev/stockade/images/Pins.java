package dev.stockade.images;

import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Asks a registry for the digest a reference's tag names ({@code latest} without a tag). */
    @FunctionalInterface
    public interface Resolver {
        String digest(ImageRef ref) throws Unresolved, InputException;
    }

    /** Why a tag has no digest: the registry's message, its stable code and what to do. */
    public static final class Unresolved extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final String hint;

        public Unresolved(String message, String code, String hint) {
            super(message, null, false, false);
            this.code = code;
            this.hint = hint;
        }

        public String code() {
            return code;
        }

        public String hint() {
            return hint;
        }
    }

    /**
     * The pins of every reference that can be pinned, and one line per reference that could not
     * be ({@code file:line:col: cannot pin 'REF': why [CODE]}), with the first failure's hint.
     */
    public record Resolved(List<Pin> pins, List<String> failures, String hint) {
        public Resolved {
            pins = List.copyOf(pins);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Resolves the mutable references among {@code images} ({@link ImageChecks#mutable}): each
     * distinct registry, repository and tag is asked once; every reference gets its own pin (its
     * text as written plus the digest) or its own failure.
     */
    public static Resolved resolve(List<FoundImage> images, Resolver resolver) throws InputException {
        Map<String, Optional<String>> digests = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        List<Pin> pins = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String hint = "";
        for (FoundImage i : images) {
            Optional<ImageRef> ref = ImageChecks.mutable(i.reference());
            if (ref.isEmpty()) {
                continue;
            }
            ImageRef r = ref.get();
            String key = r.registryHost() + "/" + r.registryRepository() + ":" + r.effectiveTag();
            if (!digests.containsKey(key)) {
                try {
                    digests.put(key, Optional.of(resolver.digest(r)));
                } catch (Unresolved e) {
                    digests.put(key, Optional.empty());
                    why.put(key, e.getMessage() + (e.code().isEmpty() ? "" : " [" + e.code() + "]"));
                    hint = hint.isEmpty() ? e.hint() : hint;
                }
            }
            Optional<String> digest = digests.get(key);
            if (digest.isPresent()) {
                pins.add(new Pin(i, r.withDigest(digest.get()).toString()));
            } else {
                failures.add(i.at() + ": cannot pin '" + i.reference() + "': " + why.get(key));
            }
        }
        return new Resolved(pins, failures, hint);
    }

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
