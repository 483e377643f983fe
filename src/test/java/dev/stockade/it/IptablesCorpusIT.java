package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real-world dumps collected by the Iptables_Semantics authors (outside this repository, in
 * {@code ../shared/data}): every dump parses, writing and re-parsing gives the same model, and the
 * written text is accepted by {@code iptables-restore --test} (run inside a throw-away namespace).
 * Files that are not dumps are listed with the reason.
 */
class IptablesCorpusIT {

    /** Files in the corpus that are not iptables-save dumps, with why. */
    static final Map<String, String> NOT_DUMPS = Map.of(
            "net-network/blog_a-unikernel-firewall-for-qubesos/iptables-save",
                    "an e-mail excerpt: prose around the dump",
            "net-network/config_private_root/iptables-save", "anonymised with placeholders such as <private_ip>",
            "net-network/configs_corny_docker/dfwfw/fffuu.out.txt", "output of fffuu, not a dump",
            "net-network/configs_corny_docker/docker.txt", "'docker info' and 'iptables -L' output, not a dump");

    static Path shared() {
        Path p = Path.of(System.getProperty("stockade.shared", "../shared")).resolve("data");
        assertTrue(
                Files.isDirectory(p.resolve("net-network")),
                "the corpus is missing at " + p
                        + " (CI checks out ../shared beside the repository; set -Dstockade.shared=DIR otherwise)");
        return p;
    }

    static List<Path> dumps(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("net-network", "iptables_semantics/inputs")) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String text = read(p);
                    if (text.contains("\nCOMMIT") || text.startsWith("*")) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyDump_parsesAndRoundTrips() throws Exception {
        Path root = shared();
        Map<String, String> failures = new TreeMap<>();
        int parsed = 0;
        for (Path p : dumps(root)) {
            String rel = root.relativize(p).toString();
            try {
                ParsedRuleset r = IptablesSaveParser.parse(p.toString(), read(p), null);
                String written = IptablesSaveWriter.write(r.ruleset(), List.of());
                ParsedRuleset again = IptablesSaveParser.parse(
                        "written " + rel, written, r.ruleset().family());
                assertEquals(strip(r.ruleset()), strip(again.ruleset()), rel);
                parsed++;
                if (NOT_DUMPS.containsKey(rel)) {
                    fail(rel + " parsed but is listed as not a dump");
                }
            } catch (InputException e) {
                if (!NOT_DUMPS.containsKey(rel)) {
                    failures.put(rel, e.diagnostics().get(0).toString());
                }
            }
        }
        assertEquals(Map.of(), failures);
        assertTrue(parsed >= 45, "parsed only " + parsed + " dumps");
    }

    @Test
    void writtenText_acceptedByIptablesRestore() throws Exception {
        GeneratedFilesIT.requireTool("iptables-restore");
        Path root = shared();
        String ns = "stk-" + ProcessHandle.current().pid() + "-corpus";
        assertEquals(0, GeneratedFilesIT.exec("ip", "netns", "add", ns).code());
        Map<String, String> rejected = new TreeMap<>();
        Path tmp = Files.createTempDirectory("stockade-corpus");
        try {
            for (Path p : dumps(root)) {
                String rel = root.relativize(p).toString();
                if (NOT_DUMPS.containsKey(rel) || rel.endsWith("parser_test_iptables-save")) {
                    continue; // parser_test holds a deliberately invalid option that iptables-restore rejects too
                }
                // the TUM dumps censor MAC addresses as XX:XX:...; give the kernel a valid one
                String text = read(p).replace("XX:XX:XX:XX:XX:XX", "02:00:00:00:00:01");
                Ruleset r = IptablesSaveParser.parse(rel, text, null).ruleset();
                Path written = tmp.resolve("written.rules");
                Files.writeString(written, IptablesSaveWriter.write(r, List.of()));
                String tool = r.family() == IpFamily.V6 ? "ip6tables-restore" : "iptables-restore";
                GeneratedFilesIT.Result res =
                        GeneratedFilesIT.exec("ip", "netns", "exec", ns, tool, "--test", written.toString());
                if (res.code() != 0) {
                    rejected.put(rel, res.output().lines().findFirst().orElse(""));
                }
            }
        } finally {
            GeneratedFilesIT.exec("ip", "netns", "del", ns);
            GeneratedFilesIT.exec("rm", "-rf", tmp.toString());
        }
        assertEquals(Map.of(), rejected);
    }

    /**
     * Every fw command on every dump, through the CLI in-process: analyze (INPUT and FORWARD),
     * matrix (exact and fffuu mode), diff against itself (identical, exit 0), lint and query.
     * Each must end with a documented exit code and print no stack trace; analyze must print a
     * section for the file.
     */
    @Test
    void everyDump_everyFwCommand_endsWithADocumentedExitCode() throws Exception {
        Path root = shared();
        Map<String, String> failures = new TreeMap<>();
        int files = 0;
        for (Path p : dumps(root)) {
            String rel = root.relativize(p).toString();
            if (NOT_DUMPS.containsKey(rel)) {
                continue;
            }
            files++;
            String f = p.toString();
            boolean v6 = IptablesSaveParser.parse(f, read(p), null).ruleset().family() == IpFamily.V6;
            String src = v6 ? "2001:db8::5" : "192.0.2.5";
            String dst = v6 ? "2001:db8::1" : "198.51.100.1";
            List<List<String>> commands = List.of(
                    List.of("fw", "analyze", f),
                    List.of("fw", "analyze", "--chain", "FORWARD", f),
                    List.of("fw", "matrix", f),
                    List.of("fw", "matrix", "--mode", "fffuu", f),
                    List.of("fw", "diff", f, f),
                    List.of("fw", "lint", f),
                    List.of("fw", "query", f, "--src", src, "--dst", dst, "--dport", "22"));
            for (List<String> c : commands) {
                java.io.StringWriter out = new java.io.StringWriter();
                java.io.StringWriter err = new java.io.StringWriter();
                int code = dev.stockade.cli.Main.run(
                        c.toArray(String[]::new), new java.io.PrintWriter(out), new java.io.PrintWriter(err));
                String all = out + "\n" + err;
                boolean ok = code >= 0 && code <= 2 && !all.contains("Exception") && !all.contains("\tat ");
                if (c.get(1).equals("diff") && code != 0) {
                    ok = false; // a file against itself is identical
                }
                if (c.get(1).equals("analyze") && code == 0 && !out.toString().contains(f)) {
                    ok = false;
                }
                if (!ok) {
                    failures.put(
                            rel + " " + String.join(" ", c.subList(0, 2)),
                            "exit " + code + ": " + all.lines().limit(3).reduce("", (a, b) -> a + " | " + b));
                }
            }
        }
        assertEquals(Map.of(), failures);
        assertTrue(files >= 45, "only " + files + " dumps");
    }

    static List<Object> strip(Ruleset r) {
        return r.tables().stream()
                .map(t -> (Object) List.of(
                        t.name(),
                        t.chains(),
                        t.rules().stream().map(Rule::withoutOrigin).toList()))
                .toList();
    }
}
