package dev.stockade.registry;

import dev.stockade.io.TextFiles;
import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where registry credentials come from, in the order podman, skopeo and docker look:
 *
 * <ol>
 *   <li>the file the caller names (then no other is read, and it must exist);
 *   <li>{@code $REGISTRY_AUTH_FILE};
 *   <li>{@code $XDG_RUNTIME_DIR/containers/auth.json};
 *   <li>{@code ~/.docker/config.json}.
 * </ol>
 *
 * Files that do not exist are passed over; the first file with an entry for the registry gives the
 * credentials. Files are read only when a registry asks for credentials, once each.
 */
public final class AuthFiles {

    /** Larger than any auth file; a bigger file is not one. */
    static final long MAX_BYTES = 1L << 20;

    private final Optional<Path> explicit;
    private final List<Path> candidates;
    private final Map<Path, Optional<AuthFile>> read = new LinkedHashMap<>();

    private AuthFiles(Optional<Path> explicit, List<Path> candidates) {
        this.explicit = explicit;
        this.candidates = List.copyOf(candidates);
    }

    /**
     * The search order for this process: {@code explicit} alone when given, else the files named by
     * {@code env} ({@code REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR}) and under {@code home}.
     */
    public static AuthFiles search(Optional<Path> explicit, Map<String, String> env, Path home) {
        if (explicit.isPresent()) {
            return new AuthFiles(explicit, List.of(explicit.get()));
        }
        List<Path> files = new ArrayList<>();
        String authFile = env.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            files.add(Path.of(runtime, "containers", "auth.json"));
        }
        if (home != null) {
            files.add(home.resolve(".docker").resolve("config.json"));
        }
        return new AuthFiles(Optional.empty(), files);
    }

    /** This process's search order: its environment and {@code user.home}. */
    public static AuthFiles forThisUser(Optional<Path> explicit) {
        String home = System.getProperty("user.home");
        return search(explicit, System.getenv(), home == null || home.isBlank() ? null : Path.of(home));
    }

    /** The files searched, in order. */
    public List<Path> candidates() {
        return candidates;
    }

    /** What a lookup found, and words for messages about where it looked. */
    public record Lookup(Optional<Credentials> credentials, String searched) {}

    /**
     * The credentials for {@code repository} from the first file that has an entry for it.
     *
     * @throws InputException when a file exists but cannot be read or is malformed (located), or the
     *     caller's own file does not exist
     */
    public synchronized Lookup find(Repository repository) throws InputException {
        List<String> existing = new ArrayList<>();
        Optional<String> helper = Optional.empty();
        for (Path p : candidates) {
            Optional<AuthFile> f = load(p);
            if (f.isEmpty()) {
                continue;
            }
            existing.add(p.toString());
            Optional<Credentials> c = f.get().find(repository);
            if (c.isPresent()) {
                return new Lookup(c, p.toString());
            }
            if (helper.isEmpty()) {
                helper = f.get().helperFor(repository.registry());
            }
        }
        String searched;
        if (candidates.isEmpty()) {
            searched = "no auth file to look for (no $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR or home directory)";
        } else if (existing.isEmpty()) {
            searched = "no auth file found (looked for " + String.join(", ", names()) + ")";
        } else {
            searched = "no entry for " + repository.registry() + " in " + String.join(", ", existing);
        }
        if (helper.isPresent()) {
            searched += "; credential helper '" + helper.get() + "' is configured there but helpers are not supported";
        }
        return new Lookup(Optional.empty(), searched);
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        candidates.forEach(p -> n.add(p.toString()));
        return n;
    }

    private Optional<AuthFile> load(Path p) throws InputException {
        Optional<AuthFile> cached = read.get(p);
        if (cached != null) {
            return cached;
        }
        Optional<AuthFile> f;
        if (!explicit.isPresent() && !Files.exists(p)) {
            f = Optional.empty();
        } else {
            f = Optional.of(AuthFile.parse(p.toString(), TextFiles.read(p, "AUTH", MAX_BYTES)));
        }
        read.put(p, f);
        return f;
    }
}
