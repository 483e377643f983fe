package dev.stockade.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository on a registry, named as the distribution API addresses it: {@code registry} is the
 * host and optional port the client connects to ({@code registry.example:5000}, {@code [::1]:5000}),
 * {@code name} the path after {@code /v2/} ({@code team/app}).
 *
 * <p>{@link #normalize} turns the parts of an image reference as people write them into this form,
 * with Docker Hub's conventions: no registry, {@code docker.io} or {@code index.docker.io} mean
 * {@code registry-1.docker.io}, and a single-component name there lives under {@code library/}.
 */
public record Repository(String registry, String name) {

    /** Docker Hub's API host, which image references call {@code docker.io} or leave out. */
    public static final String DOCKER_HUB = "registry-1.docker.io";

    /** The distribution spec's repository name grammar: lower-case path components with separators. */
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    /** A host name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?");

    /** The tag grammar of the distribution spec. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public Repository {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(name, "name");
        if (!REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("not a registry host[:port]: '" + registry + "'");
        }
        if (name.length() > 255 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a repository name (lower-case path components): '" + name + "'");
        }
    }

    /**
     * The repository an image reference names: {@code registry} as written (null or empty when the
     * reference has none), {@code name} its path. Docker Hub's aliases become {@link #DOCKER_HUB} and
     * its official images ({@code nginx}) {@code library/nginx}; host names are lower-cased.
     *
     * @throws IllegalArgumentException when either part does not follow the distribution spec's grammar
     */
    public static Repository normalize(String registry, String name) {
        String host = registry == null || registry.isEmpty() ? DOCKER_HUB : registry.toLowerCase(Locale.ROOT);
        if (host.equals("docker.io") || host.equals("index.docker.io")) {
            host = DOCKER_HUB;
        }
        Objects.requireNonNull(name, "name");
        String path = host.equals(DOCKER_HUB) && name.indexOf('/') < 0 ? "library/" + name : name;
        return new Repository(host, path);
    }

    /** Whether {@code tag} is a valid tag: 1 to 128 of letters, digits, '_', '.', '-', not starting with '.' or '-'. */
    public static boolean isTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** {@code registry/name}, as in an image reference. */
    @Override
    public String toString() {
        return registry + "/" + name;
    }
}
