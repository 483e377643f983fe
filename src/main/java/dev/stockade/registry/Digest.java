package dev.stockade.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it, {@code algorithm:hex}. Only {@code sha256} is
 * produced and verified here; other algorithms parse (a registry may announce one) but are never the
 * result of a resolution.
 */
public record Digest(String algorithm, String hex) {

    public static final String SHA256 = "sha256";

    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
    private static final Pattern HEX = Pattern.compile("[a-zA-Z0-9=_-]+");
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        if (!ALGORITHM.matcher(algorithm).matches() || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a digest: " + algorithm + ":" + hex);
        }
        if (algorithm.equals(SHA256) && !SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a sha256 digest is 64 lower-case hex digits: " + hex);
        }
    }

    /** The digest in {@code text} ({@code sha256:<64 hex>}), or empty when it is not one (or null). */
    public static Optional<Digest> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Digest(t.substring(0, colon), t.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The sha256 digest of {@code content}. */
    public static Digest sha256(byte[] content) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(content);
            return new Digest(SHA256, HexFormat.of().formatHex(sum));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The sha256 digest of {@code text} in UTF-8. */
    public static Digest sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isSha256() {
        return algorithm.equals(SHA256);
    }

    /** {@code algorithm:hex}. */
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
