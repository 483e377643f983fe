package dev.stockade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Checkers from the npm registry, installed once per version into a cache directory under java.io.tmpdir. */
public final class NpmTools {

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private NpmTools() {}

    /**
     * The installed package's directory ({@code PREFIX/node_modules/..}): {@code npm install --prefix
     * PREFIX PACKAGE@VERSION ...} when {@code marker} (a path inside the prefix) does not exist yet.
     *
     * @param cacheName the cache directory's name, with the versions in it
     */
    public static Path install(String cacheName, String marker, String... packages) {
        Path prefix = Path.of(System.getProperty("java.io.tmpdir"), cacheName);
        if (!Files.exists(prefix.resolve(marker))) {
            Path npm = HostTools.require("npm", "npm");
            List<String> argv = new java.util.ArrayList<>(
                    List.of(npm.toString(), "install", "--no-audit", "--no-fund", "--prefix", prefix.toString()));
            argv.addAll(List.of(packages));
            ExecResult r = HostTools.run(TIMEOUT, argv);
            assertEquals(0, r.exit(), "npm install " + String.join(" ", packages) + ": " + r.describe());
        }
        return prefix;
    }
}
