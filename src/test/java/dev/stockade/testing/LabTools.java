package dev.stockade.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The absolute paths of the programs a {@link NetnsLab} runs, and the checks that decide whether the
 * machine can host one (root, tools present).
 */
record LabTools(Path ip, Path iptablesRestore, Path ip6tablesRestore, Path nft, Path python, Path sh) {

    /** Preferred interpreter for the helper script; any python3 on the PATH is the fallback. */
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    private static final List<String> SBIN_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin");

    /**
     * Finds every tool, or explains (one line per problem) why this machine cannot run a lab.
     *
     * @param problems receives one human-readable line per missing prerequisite
     * @return the tools when {@code problems} stayed empty
     */
    static Optional<LabTools> discover(List<String> problems) {
        checkRoot(problems);
        Path ip = find("ip", problems);
        Path v4 = find("iptables-restore", problems);
        Path v6 = find("ip6tables-restore", problems);
        Path nft = find("nft", problems);
        Path python = Files.isExecutable(SYSTEM_PYTHON) ? SYSTEM_PYTHON : find("python3", problems);
        Path sh = find("sh", problems);
        return problems.isEmpty() ? Optional.of(new LabTools(ip, v4, v6, nft, python, sh)) : Optional.empty();
    }

    private static void checkRoot(List<String> problems) {
        long euid = effectiveUid();
        if (euid != 0) {
            problems.add("not running as root (effective uid " + euid
                    + "); network namespaces need CAP_SYS_ADMIN/CAP_NET_ADMIN");
        }
    }

    /** The effective uid from /proc/self/status, or -1 when it cannot be read (not Linux). */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Path find(String program, List<String> problems) {
        for (String dir : searchPath()) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        problems.add("'" + program + "' not found on PATH or in " + SBIN_DIRS);
        return null;
    }

    private static Set<String> searchPath() {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SBIN_DIRS);
        dirs.removeIf(String::isBlank);
        return dirs;
    }

    /** {@code ip netns exec <netns> argv...} */
    List<String> inNetns(String netns, List<String> argv) {
        List<String> command = new ArrayList<>(List.of(ip.toString(), "netns", "exec", netns));
        command.addAll(argv);
        return command;
    }
}
