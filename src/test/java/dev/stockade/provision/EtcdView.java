package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An etcd member as the node would run it: the environment etcd reads and the host directories its
 * container sees, so a path in that environment can be followed to the file the provisioning
 * document writes on the host.
 *
 * @param env the environment etcd starts with
 * @param mounts container directory to host directory
 * @param user the user etcd runs as inside its container
 * @param image the container image
 * @param preparedDirs host directories the unit creates before starting the container
 */
record EtcdView(
        Map<String, String> env, Map<String, String> mounts, String user, String image, List<String> preparedDirs) {

    /** The host path behind a path etcd opens in its container, if a mount exposes it. */
    Optional<String> hostPath(String containerPath) {
        String best = null;
        for (String dst : mounts.keySet()) {
            if ((containerPath.equals(dst) || containerPath.startsWith(dst + "/"))
                    && (best == null || dst.length() > best.length())) {
                best = dst;
            }
        }
        return best == null ? Optional.empty() : Optional.of(mounts.get(best) + containerPath.substring(best.length()));
    }

    /** {@code KEY=VALUE} lines as systemd's EnvironmentFile= and podman's --env-file read them. */
    static Map<String, String> envFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "not KEY=VALUE: " + line);
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    /** One {@code Environment=} value: {@code K=V} or {@code "K=V"}. */
    static Map.Entry<String, String> assignment(String value) {
        String v = value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
        int eq = v.indexOf('=');
        assertTrue(eq > 0, "not K=V: " + value);
        return Map.entry(v.substring(0, eq), v.substring(eq + 1));
    }

    /**
     * Fedora CoreOS: Stockade defines {@code etcd-member.service} itself and runs etcd with podman. Reads
     * the {@code podman run} command line: options, {@code --env-file}, {@code --volume}s and the image.
     */
    static EtcdView podman(ParsedNodeConfig c, UnitText unit) {
        String exec = unit.value("Service", "ExecStart");
        assertTrue(exec != null, "etcd-member.service has an ExecStart");
        List<String> words = List.of(exec.split("\\s+", -1));
        assertEquals(List.of("/usr/bin/podman", "run"), words.subList(0, 2), exec);
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> mounts = new LinkedHashMap<>();
        String network = null;
        String user = "root";
        int i = 2;
        for (; i < words.size() && words.get(i).startsWith("-"); i++) {
            String w = words.get(i);
            String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String value = w.contains("=") ? w.substring(w.indexOf('=') + 1) : words.get(++i);
            switch (name) {
                case "--name":
                    break;
                case "--net":
                case "--network":
                    network = value;
                    break;
                case "--env-file":
                    env.putAll(envFile(c.requireFile(value).contents()));
                    break;
                case "-e":
                case "--env":
                    Map.Entry<String, String> e = assignment(value);
                    env.put(e.getKey(), e.getValue());
                    break;
                case "-v":
                case "--volume":
                    String[] parts = value.split(":", -1);
                    assertTrue(parts.length >= 2, "volume " + value);
                    mounts.put(parts[1], parts[0]);
                    break;
                case "-u":
                case "--user":
                    user = value;
                    break;
                default:
                    throw new AssertionError("unexpected podman option " + w + " in " + exec);
            }
        }
        assertEquals("host", network, "etcd must use the host's network to listen on the private address");
        assertTrue(i < words.size(), "no image in " + exec);
        String image = words.get(i);
        List<String> args = words.subList(i + 1, words.size());
        assertTrue(args.isEmpty(), "etcd is configured by its environment, not by arguments: " + args);
        List<String> prepared = new ArrayList<>();
        for (String pre : unit.list("Service", "ExecStartPre")) {
            String cmd = pre.startsWith("-") ? pre.substring(1) : pre;
            List<String> w = List.of(cmd.split("\\s+", -1));
            if (w.get(0).equals("/usr/bin/mkdir") && w.contains("-p")) {
                prepared.add(w.get(w.size() - 1));
            } else if (w.get(0).equals("/usr/bin/install") && w.contains("-d")) {
                prepared.add(w.get(w.size() - 1));
            }
        }
        return new EtcdView(env, mounts, user, image, prepared);
    }

    /**
     * Flatcar and Container Linux: the OS ships {@code etcd-member.service}, which runs its
     * {@code etcd-wrapper} with (among others) {@code ETCD_USER=etcd}, {@code ETCD_DATA_DIR=/var/lib/etcd}
     * and {@code ETCD_SSL_DIR=/etc/ssl/certs}; the wrapper passes the unit's environment to etcd and
     * mounts {@code $ETCD_SSL_DIR} at {@code /etc/ssl/certs}, the data directory at {@code /var/lib/etcd}
     * (creating it), and the host's CA bundle. Stockade's drop-ins are applied on top, in name order, and
     * an {@code EnvironmentFile=} overrides {@code Environment=}.
     */
    static EtcdView wrapper(ParsedNodeConfig c, ParsedNodeConfig.UnitEntry unit) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_USER", "etcd");
        env.put("ETCD_DATA_DIR", "/var/lib/etcd");
        env.put("ETCD_SSL_DIR", "/etc/ssl/certs");
        env.put("ETCD_IMAGE_URL", "quay.io/coreos/etcd");
        Map<String, String> fromFiles = new LinkedHashMap<>();
        for (String dropin : new java.util.TreeMap<>(unit.dropins()).values()) {
            UnitText t = UnitText.parse(dropin);
            for (String v : t.list("Service", "Environment")) {
                for (String word : v.split(" (?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)) {
                    Map.Entry<String, String> e = assignment(word);
                    env.put(e.getKey(), e.getValue());
                }
            }
            for (String f : t.list("Service", "EnvironmentFile")) {
                fromFiles.putAll(envFile(
                        c.requireFile(f.startsWith("-") ? f.substring(1) : f).contents()));
            }
        }
        env.putAll(fromFiles);
        String dataDir = env.get("ETCD_DATA_DIR");
        Map<String, String> mounts = new LinkedHashMap<>();
        mounts.put("/run", "/run");
        mounts.put("/usr/share/ca-certificates", "/usr/share/ca-certificates");
        mounts.put("/var/lib/etcd", dataDir);
        mounts.put("/etc/ssl/certs", env.get("ETCD_SSL_DIR"));
        // the wrapper always points etcd at the mounted data directory
        env.put("ETCD_DATA_DIR", "/var/lib/etcd");
        return new EtcdView(env, mounts, env.get("ETCD_USER"), "quay.io/coreos/etcd", List.of(dataDir));
    }
}
