package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Second opinions from real tools on every generated file: {@code ignition-validate} on each
 * Ignition config (for every target), and the kernel's own {@code iptables-save} dump after loading
 * each ruleset, which must equal the generated text line for line.
 */
class GeneratedFilesIT {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void ignitionValidate_acceptsEveryGeneratedConfig() throws Exception {
        requireTool("ignition-validate");
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        List<Path> configs = new ArrayList<>();
        for (String target : new String[] {"flatcar", "fcos"}) {
            String text = demo.replace("target: flatcar", "target: " + target)
                    .replace("updates: etcd-lock", target.equals("fcos") ? "updates: reboot" : "updates: etcd-lock");
            Path spec = tmp.resolve(target + ".yaml");
            Files.writeString(spec, text);
            build(spec, tmp.resolve(target));
            try (Stream<Path> s = Files.walk(tmp.resolve(target))) {
                s.filter(p -> p.getFileName().toString().equals("ignition.json"))
                        .forEach(configs::add);
            }
        }
        assertEquals(6, configs.size());
        for (Path c : configs) {
            Result r = exec("ignition-validate", c.toString());
            assertEquals(0, r.code, c + ": " + r.output);
            assertEquals("", r.output.trim(), c + " has warnings");
        }
    }

    @Test
    void ignitionValidate_acceptsLargeClusters() throws Exception {
        requireTool("ignition-validate");
        StringBuilder spec = new StringBuilder(
                "stockade: 1\ncluster: big\ntarget: flatcar\n" + "interfaces: {public: eth0, private: eth1}\nnodes:\n");
        for (int i = 1; i <= 120; i++) {
            spec.append("  - {name: node-")
                    .append(i)
                    .append(", private: 10.250.")
                    .append(i / 200)
                    .append('.')
                    .append(i % 200 + 1)
                    .append("}\n");
        }
        spec.append("admin: {ssh: {from: [203.0.113.0/24]}}\netcd: {}\n");
        Path file = tmp.resolve("big.yaml");
        Files.writeString(file, spec.toString());
        build(file, tmp.resolve("big"));
        try (Stream<Path> s = Files.walk(tmp.resolve("big/big"))) {
            List<Path> configs = s.filter(p -> p.getFileName().toString().equals("ignition.json"))
                    .toList();
            assertEquals(120, configs.size());
            for (Path c : List.of(configs.get(0), configs.get(59), configs.get(119))) {
                Result r = exec("ignition-validate", c.toString());
                assertEquals(0, r.code, c + ": " + r.output);
            }
        }
    }

    @Test
    void kernelDump_equalsGeneratedRules() throws Exception {
        requireTool("iptables-restore");
        build(Path.of("examples/demo.yaml"), tmp);
        String ns = "stk-" + ProcessHandle.current().pid() + "-dump";
        assertEquals(0, exec("ip", "netns", "add", ns).code);
        try {
            try (Stream<Path> s = Files.walk(tmp.resolve("demo"))) {
                for (Path rules :
                        s.filter(p -> p.toString().endsWith(".rules")).sorted().toList()) {
                    boolean v6 = rules.getFileName().toString().startsWith("ip6");
                    String restore = v6 ? "ip6tables-restore" : "iptables-restore";
                    String save = v6 ? "ip6tables-save" : "iptables-save";
                    Result load = exec("ip", "netns", "exec", ns, restore, rules.toString());
                    assertEquals(0, load.code, rules + ": " + load.output);
                    Result dump = exec("ip", "netns", "exec", ns, save, "-t", "filter");
                    assertEquals(
                            withoutComments(Files.readString(rules)), withoutComments(dump.output), rules.toString());
                }
            }
        } finally {
            exec("ip", "netns", "del", ns);
        }
    }

    private static String withoutComments(String rules) {
        StringBuilder sb = new StringBuilder();
        rules.lines().filter(l -> !l.startsWith("#")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private static void build(Path spec, Path out) {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "build",
                    spec.toString(),
                    "-o",
                    out.toString(),
                    "--pki",
                    out.resolve("pki").toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
    }

    record Result(int code, String output) {}

    /**
     * Runs {@code argv} (stdin /dev/null, stderr joined to stdout) through the bounded helper: killed
     * with everything it started after 60 s, which fails the test.
     */
    static Result exec(String... argv) {
        ExecResult r = Commands.run(
                new ProcessBuilder(ChildJvm.withCoverageAgent(argv)).redirectErrorStream(true), EXEC_TIMEOUT, null);
        if (r.exit() == ExecResult.TIMED_OUT) {
            throw new AssertionError("timed out after " + EXEC_TIMEOUT.toSeconds() + " s, killed: "
                    + String.join(" ", argv) + "\n" + r.stdout());
        }
        return new Result(r.exit(), r.stdout() + r.stderr()); // stderr: only the helper's own notes
    }

    /** A missing tool fails the test: the README's test command installs it. */
    static void requireTool(String tool) {
        Result r = exec("sh", "-c", "command -v " + tool);
        assertTrue(r.code == 0, tool + " is not installed; run bin/test as root to install the test packages");
    }
}
