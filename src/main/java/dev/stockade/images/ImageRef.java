package dev.stockade.images;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference as engines read it: {@code [registry[:port]/]path[:tag][@digest]}.
 *
 * <p>The grammar is the one the distribution project documents for references: path components
 * of lower-case letters and digits joined by {@code .}, {@code _}, {@code __} or dashes; a tag of
 * at most 128 word characters, dots and dashes; a digest {@code algorithm:hex}. The first
 * component is a registry when it contains a dot or a colon or is {@code localhost}; otherwise the
 * engine's default registry (Docker Hub) is meant. A reference with a digest is pinned: engines
 * pull the digest and ignore the tag. Without a tag and a digest an engine pulls {@code latest}.
 *
 * @param registry the registry as written, empty for the default one
 * @param repository the path inside the registry, as written ({@code nginx}, {@code team/app})
 * @param tag the tag, empty when none is written
 * @param digest the digest ({@code sha256:...}), empty when none is written
 */
public record ImageRef(Optional<String> registry, String repository, Optional<String> tag, Optional<String> digest) {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Why a text is not a reference: a sentence for a finding. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Parses a reference as written; the message of the exception says what is wrong. */
    public static ImageRef parse(String text) throws Malformed {
        if (text.isEmpty()) {
            throw new Malformed("an empty image reference");
        }
        if (text.length() > 4096) {
            throw new Malformed("an image reference longer than 4096 characters");
        }
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            if (!DIGEST.matcher(d).matches()) {
                throw new Malformed("'" + d + "' is not a digest (algorithm:hex, e.g. sha256: and 64 hex digits)");
            }
            if (d.startsWith("sha256:") && !SHA256.matcher(d).matches()) {
                throw new Malformed("'" + d + "' is not a sha256 digest: it needs exactly 64 lower-case hex digits");
            }
            digest = Optional.of(d);
            rest = rest.substring(0, at);
        }
        Optional<String> registry = Optional.empty();
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!HOST.matcher(first).matches()) {
                    throw new Malformed("'" + first + "' is not a registry host[:port]");
                }
                registry = Optional.of(first);
                rest = rest.substring(slash + 1);
            }
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new Malformed("'" + t + "' is not a tag (up to 128 letters, digits, '_', '.' and '-')");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        Matcher path = PATH.matcher(rest);
        if (!path.matches()) {
            throw new Malformed(
                    rest.equals(rest.toLowerCase(Locale.ROOT))
                            ? "'" + rest
                                    + "' is not a repository name (components of a-z, 0-9 joined by '.', '_' or '-')"
                            : "repository names are lower case: '" + rest + "' has upper-case letters");
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    /** A digest is written: the engine pulls exactly that content. */
    public boolean pinned() {
        return digest.isPresent();
    }

    /** The tag an engine pulls when no digest is written: the tag, or {@code latest}. */
    public String effectiveTag() {
        return tag.orElse("latest");
    }

    /** This reference pinned to {@code digest}, keeping the tag as written for people to read. */
    public ImageRef withDigest(String newDigest) {
        return new ImageRef(registry, repository, tag, Optional.of(newDigest));
    }

    /** The registry host engines contact: the written one, or Docker Hub's. */
    public String registryHost() {
        return registry.orElse("docker.io");
    }

    /** The repository path on the registry (Docker Hub puts single names under {@code library/}). */
    public String registryRepository() {
        return registry.isEmpty() && !repository.contains("/") ? "library/" + repository : repository;
    }

    /** The reference as engines read it. */
    @Override
    public String toString() {
        return registry.map(r -> r + "/").orElse("")
                + repository
                + tag.map(t -> ":" + t).orElse("")
                + digest.map(d -> "@" + d).orElse("");
    }
}
