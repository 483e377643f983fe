package dev.stockade.registry;

/**
 * A tag resolved to the digest of its manifest. {@code mediaType} is what the registry said the
 * manifest is (an OCI index or manifest, a Docker manifest list or manifest); {@code verified} is
 * true when the manifest was downloaded and its sha256 computed here, false when the registry's
 * {@code Docker-Content-Digest} header on a HEAD answer was taken as it is.
 */
public record Resolution(Repository repository, String tag, Digest digest, String mediaType, boolean verified) {}
