package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

class ValidateCommandTest {

    @TempDir
    Path tmp;

    static final String BAD_IGNITION = "{\"ignition\": {\"version\": \"3.3.0\"},\n"
            + " \"storage\": {\"files\": [{\"path\": \"etc/x\", \"mode\": 420}]}}\n";

    Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    static BuildCommandTest.Result run(String... args) {
        return BuildCommandTest.run(args);
    }

    @Test
    void text_findingsWithLocationsAndPath_exit1() throws Exception {
        Path f = file("c.ign", BAD_IGNITION);
        BuildCommandTest.Result r = run("validate", f.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("Checked " + f + " (ignition).\n"), r.out());
        assertTrue(
                r.out()
                        .contains(f + ":2:33: error: $.storage.files.0.path: 'etc/x' is not an absolute path"
                                + " [IGN-PATH]\n  hint: start it with /\n"),
                r.out());
        assertTrue(r.out().endsWith("1 finding: 1 error.\n"), r.out());
    }

    @Test
    void clean_exit0_andFailOnWarning() throws Exception {
        Path clean = file("ok.yml", "#cloud-config\nhostname: a\n");
        BuildCommandTest.Result ok = run("validate", clean.toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().endsWith("No findings.\n"), ok.out());
        Path warn = file("w.yml", "#cloud-config\ncoreos:\n  update:\n    reboot-strategy: reboot\n");
        assertEquals(0, run("validate", warn.toString()).code());
        assertEquals(1, run("validate", "--fail-on", "warning", warn.toString()).code());
    }

    @Test
    void unreadableOrNotUtf8_exit2_otherFilesStillRead() throws Exception {
        Path binary = tmp.resolve("b.bin");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        BuildCommandTest.Result r = run("validate", tmp.resolve("missing.yml").toString(), binary.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("missing.yml:1:1: error: no such file [VAL-READ]"), r.err());
        assertTrue(r.err().contains("b.bin:1:1: error:"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void options_badTypeAndTwoStdins_usageErrors() throws Exception {
        Path f = file("ok.yml", "#cloud-config\n");
        BuildCommandTest.Result type = run("validate", "--type", "yaml", f.toString());
        assertEquals(2, type.code());
        assertTrue(
                type.err().contains("unknown --type 'yaml'; one of: cloud-config, ignition, rules, spec"), type.err());
        assertEquals(2, run("validate", "-", "-").code());
        BuildCommandTest.Result forced = run("validate", "--type", "ignition", f.toString());
        assertEquals(1, forced.code());
        assertTrue(forced.out().contains("[JSON-SYNTAX]"), forced.out());
    }

    @Test
    void stdin_readAsAFileNamedStdin() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(o), new PrintWriter(e));
        ((ValidateCommand) cl.getSubcommands().get("validate").getCommand()).stdin =
                new ByteArrayInputStream("#cloud-config\nhostname: [a]\n".getBytes(StandardCharsets.UTF_8));
        int code = Main.execute(cl, new String[] {"validate", "--fail-on", "warning", "-"});
        assertEquals(1, code, e.toString());
        assertTrue(
                o.toString().contains("<stdin>:2:11: warning: incorrect type for 'hostname': want a string [CC-TYPE]"),
                o.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_filesAndFindings() throws Exception {
        Path f = file("c.ign", BAD_IGNITION);
        BuildCommandTest.Result r = run("validate", "--format", "json", f.toString());
        assertEquals(1, r.code());
        Map<String, Object> doc = new Yaml().load(r.out());
        assertEquals(List.of(f + " (ignition)"), doc.get("files"));
        Map<String, Object> finding = ((List<Map<String, Object>>) doc.get("findings")).get(0);
        assertEquals("IGN-PATH", finding.get("id"));
        assertEquals(Map.of("file", f.toString(), "line", 2, "column", 33), finding.get("location"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarif_rulesWithHelpAndSecuritySeverity_resultsWithLocations() throws Exception {
        Path f = file("c.ign", BAD_IGNITION);
        BuildCommandTest.Result r = run("validate", "--format", "sarif", f.toString());
        assertEquals(1, r.code());
        Map<String, Object> doc = new Yaml().load(r.out());
        assertEquals("2.1.0", doc.get("version"));
        Map<String, Object> run = ((List<Map<String, Object>>) doc.get("runs")).get(0);
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
        Map<String, Object> rule = ((List<Map<String, Object>>) driver.get("rules")).get(0);
        assertEquals("IGN-PATH", rule.get("id"));
        assertEquals("IgnPath", rule.get("name"));
        assertTrue(((Map<String, String>) rule.get("help"))
                .get("text")
                .startsWith(
                        "A path that is empty, relative or not simplified. What to do, for example: start it with /"));
        assertEquals("6.0", ((Map<String, Object>) rule.get("properties")).get("security-severity"));
        Map<String, Object> result = ((List<Map<String, Object>>) run.get("results")).get(0);
        assertEquals(0, result.get("ruleIndex"));
        assertEquals("error", result.get("level"));
        Map<String, Object> location = (Map<String, Object>)
                ((List<Map<String, Object>>) result.get("locations")).get(0).get("physicalLocation");
        assertEquals(f.toUri().toString(), ((Map<String, Object>) location.get("artifactLocation")).get("uri"));
        assertEquals(Map.of("startLine", 2, "startColumn", 33), location.get("region"));
        assertEquals("c.ign", SarifReport.uri("c.ign"));
        assertEquals("stdin", SarifReport.uri("<stdin>"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void buildOutput_validatesWithoutErrors_onlyTheKeysInUserDataAreWarned(String target) throws Exception {
        Path spec = file(
                "s.yaml",
                Files.readString(Path.of("examples/demo.yaml"))
                        .replace("target: flatcar ", "target: " + target + " ")
                        .replace(
                                "updates: etcd-lock",
                                target.equals("fcos") ? "updates: reboot" : "updates: etcd-lock"));
        BuildCommandTest.Result b = run(
                "build",
                spec.toString(),
                "-o",
                tmp.resolve("out").toString(),
                "--pki",
                tmp.resolve("pki").toString());
        assertEquals(0, b.code(), b.err());
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tmp.resolve("out"))) {
            walk.filter(p -> p.toString().endsWith(".json") && !p.endsWith("build-state.json")
                            || p.toString().endsWith(".yml")
                            || p.toString().endsWith(".rules"))
                    .forEach(p -> files.add(p.toString()));
        }
        assertTrue(files.size() >= 9, files.toString());
        List<String> args = new ArrayList<>(List.of("validate", "--format", "json"));
        args.addAll(files);
        BuildCommandTest.Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.out());
        Map<String, Object> doc = new Yaml().load(r.out());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.get("findings");
        for (Map<String, Object> f : findings) {
            assertEquals("SEC-KEY-IN-USERDATA", f.get("id"), f.toString());
        }
    }
}
