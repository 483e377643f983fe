package dev.stockade.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Programs the tests run on the test machine itself (outside any network namespace): found on the
 * PATH or in the sbin directories, or the test fails saying which Debian package to install; run through
 * {@link Commands}, so the timeout covers reading their output and a hung tool is killed with its
 * children.
 */
public final class HostTools {

    private static final List<String> SBIN_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private HostTools() {}

    /**
     * The absolute path of {@code program}; a missing program fails the test (never skips it): the
     * README's test command installs {@code debianPackage}.
     */
    public static Path require(String program, String debianPackage) {
        for (String dir : searchPath()) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("'" + program + "' is not installed (Debian package " + debianPackage
                + "); run bin/test as root to install the test packages");
    }

    /** Runs {@code argv} with stdin at /dev/null; killed after {@code timeout} (exit {@link ExecResult#TIMED_OUT}). */
    public static ExecResult run(Duration timeout, List<String> argv) {
        return Commands.run(new ArrayList<>(argv), timeout, null);
    }

    private static Set<String> searchPath() {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":", -1)));
        }
        dirs.addAll(SBIN_DIRS);
        dirs.removeIf(String::isBlank);
        return dirs;
    }
}
