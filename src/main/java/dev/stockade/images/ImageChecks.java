package dev.stockade.images;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is wrong with each reference found: no tag or {@code latest} (errors: the engine pulls
 * whatever the tag means on the day), another tag without a digest (a warning: tags are mutable
 * too, but a version tag is what most teams pin first), a text that is not a reference (an error:
 * the engine refuses it), a variable or specifier (a note: nothing to check until it is expanded).
 * A reference with a digest is pinned and raises nothing.
 */
public final class ImageChecks {

    private ImageChecks() {}

    static final String PIN_HINT =
            "pin it by digest: 'stockade images check --resolve' prints the digest of the tag, '--write' puts it"
                    + " in the file";

    public static List<Finding> check(List<FoundImage> images) {
        List<Finding> out = new ArrayList<>();
        for (FoundImage image : images) {
            check(image).ifPresent(out::add);
        }
        return out;
    }

    /** Whether the reference parses and carries a digest. */
    public static boolean pinned(String reference) {
        try {
            return !variable(reference) && ImageRef.parse(reference).pinned();
        } catch (ImageRef.Malformed e) {
            return false;
        }
    }

    /** The reference, when it parses and is not pinned: one that --resolve can pin. */
    public static Optional<ImageRef> mutable(String reference) {
        if (variable(reference)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageRef.parse(reference)).filter(r -> !r.pinned());
        } catch (ImageRef.Malformed e) {
            return Optional.empty();
        }
    }

    /** Whether the reference is an expansion the engine makes at run time ($VAR, ${VAR}, %i). */
    public static boolean variable(String reference) {
        return reference.contains("$") || reference.contains("%") || reference.contains("{{");
    }

    static Optional<Finding> check(FoundImage image) {
        String r = image.reference();
        if (variable(r)) {
            return Optional.of(finding(
                    image,
                    "IMG-VARIABLE",
                    Severity.NOTE,
                    "'" + r + "' (" + image.where() + ") is expanded at run time, so it was not checked",
                    "write the reference itself, pinned by digest, or check where the variable is set"));
        }
        ImageRef ref;
        try {
            ref = ImageRef.parse(r);
        } catch (ImageRef.Malformed e) {
            return Optional.of(finding(
                    image,
                    "IMG-REF",
                    Severity.ERROR,
                    "'" + r + "' (" + image.where() + ") is not an image reference: " + e.getMessage(),
                    "write [REGISTRY/]NAME[:TAG]@sha256:DIGEST"));
        }
        if (ref.pinned()) {
            return Optional.empty();
        }
        if (ref.tag().isEmpty()) {
            return Optional.of(finding(
                    image,
                    "IMG-NO-TAG",
                    Severity.ERROR,
                    "'" + r + "' (" + image.where() + ") has no tag or digest: the engine pulls 'latest', whatever"
                            + " it is on the day",
                    PIN_HINT));
        }
        if (ref.tag().get().equals("latest")) {
            return Optional.of(finding(
                    image,
                    "IMG-LATEST",
                    Severity.ERROR,
                    "'" + r + "' (" + image.where() + ") uses the tag 'latest', which moves with every push",
                    PIN_HINT));
        }
        return Optional.of(finding(
                image,
                "IMG-TAG",
                Severity.WARNING,
                "'" + r + "' (" + image.where() + ") is a tag without a digest: the registry can point it at other"
                        + " content",
                PIN_HINT));
    }

    private static Finding finding(FoundImage image, String id, Severity severity, String message, String hint) {
        return new Finding(id, severity, image.at().file(), Optional.of(image.at()), message, hint);
    }
}
