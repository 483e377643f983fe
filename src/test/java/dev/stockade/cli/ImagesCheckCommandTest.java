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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code images check} as a user runs it: outputs, --fail-on, standard input, bad input. */
class ImagesCheckCommandTest {

    @TempDir
    Path tmp;

    static final String FIXTURES = "src/test/resources/images/";

    static BuildCommandTest.Result run(String... args) {
        return BuildCommandTest.run(args);
    }

    @Test
    void text_everyFileKindAndSummary_exit1() {
        BuildCommandTest.Result r = run("images", "check", FIXTURES + "compose.yaml", FIXTURES + "cache.container");
        assertEquals(1, r.code(), r.err());
        assertTrue(
                r.out()
                        .startsWith("Checked " + FIXTURES + "compose.yaml (yaml), " + FIXTURES
                                + "cache.container (unit): 3 image references, 0 pinned by digest.\n"),
                r.out());
        assertTrue(
                r.out()
                        .contains(FIXTURES + "compose.yaml:3:12: error: 'postgres' (services.db.image) has no tag or"
                                + " digest: the engine pulls 'latest', whatever it is on the day [IMG-NO-TAG]\n"
                                + "  hint: pin it by digest:"),
                r.out());
        assertTrue(r.out().endsWith("3 findings: 1 error, 2 warnings.\n"), r.out());
    }

    @Test
    void failOn_tagsWithoutDigestAreWarnings() throws Exception {
        Path tagged = Files.writeString(tmp.resolve("c.yaml"), "services:\n  a:\n    image: nginx:1.27\n");
        assertEquals(0, run("images", "check", tagged.toString()).code());
        assertEquals(
                1,
                run("images", "check", "--fail-on", "warning", tagged.toString())
                        .code());
        Path pinned = Files.writeString(
                tmp.resolve("p.yaml"), "services:\n  a:\n    image: nginx:1.27@sha256:" + "0".repeat(64) + "\n");
        BuildCommandTest.Result ok = run("images", "check", "--fail-on", "warning", pinned.toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains(": 1 image reference, 1 pinned by digest.\n"), ok.out());
        assertTrue(ok.out().endsWith("No findings.\n"), ok.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_imagesWithPlaces_andFindings() {
        BuildCommandTest.Result r = run("images", "check", "--format", "json", FIXTURES + "edge.ign");
        assertEquals(1, r.code(), r.err());
        Map<String, Object> doc = new Yaml().load(r.out());
        assertEquals(List.of(FIXTURES + "edge.ign (ignition)"), doc.get("files"));
        List<Map<String, Object>> images = (List<Map<String, Object>>) doc.get("images");
        assertEquals(3, images.size());
        assertEquals("ghcr.io/example/edge:latest", images.get(0).get("reference"));
        assertEquals(false, images.get(0).get("pinned"));
        assertEquals(true, images.get(0).get("exact"));
        assertEquals(
                Map.of("file", FIXTURES + "edge.ign", "line", 10, "column", 122),
                images.get(0).get("location"));
        assertEquals("unit edge.service ExecStart", images.get(0).get("where"));
        assertEquals(false, images.get(2).get("exact"));
        List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.get("findings");
        assertEquals(
                List.of("IMG-LATEST", "IMG-NO-TAG", "IMG-TAG"),
                findings.stream().map(f -> f.get("id")).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarifAndJunit_oneRulePerIdAndASuitePerFile() {
        BuildCommandTest.Result s = run("images", "check", "--format", "sarif", FIXTURES + "deploy.yaml");
        assertEquals(1, s.code());
        Map<String, Object> doc = new Yaml().load(s.out());
        Map<String, Object> sarifRun = ((List<Map<String, Object>>) doc.get("runs")).get(0);
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) sarifRun.get("tool")).get("driver");
        assertEquals(
                List.of("IMG-NO-TAG", "IMG-TAG", "IMG-LATEST"),
                ((List<Map<String, Object>>) driver.get("rules"))
                        .stream().map(x -> x.get("id")).toList());
        assertEquals(3, ((List<?>) sarifRun.get("results")).size());
        BuildCommandTest.Result j =
                run("images", "check", "--format", "junit", FIXTURES + "deploy.yaml", FIXTURES + "user-data.yml");
        assertEquals(1, j.code());
        assertTrue(j.out().contains("<testsuites name=\"stockade images check\" tests=\"5\" failures=\"3\">"), j.out());
        assertTrue(j.out().contains("<testsuite name=\"" + FIXTURES + "user-data.yml (cloud-config)\""), j.out());
        BuildCommandTest.Result h = run("images", "check", "--format", "html", FIXTURES + "deploy.yaml");
        assertTrue(h.out().contains("<title>Stockade images check: 1 file</title>"), h.out());
    }

    @Test
    void stdin_andTwoStdins() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        picocli.CommandLine cl = Main.commandLine(new PrintWriter(o), new PrintWriter(e));
        ((ImagesCheckCommand) cl.getSubcommands()
                                .get("images")
                                .getSubcommands()
                                .get("check")
                                .getCommand())
                        .stdin =
                new ByteArrayInputStream("[Service]\nExecStart=docker run redis\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, Main.execute(cl, new String[] {"images", "check", "-"}), e.toString());
        assertTrue(o.toString().contains("<stdin>:2:22: error: 'redis' (unit <stdin> ExecStart)"), o.toString());
        BuildCommandTest.Result two = run("images", "check", "-", "-");
        assertEquals(2, two.code());
        assertTrue(two.err().contains("'-' (standard input) can be given once"), two.err());
    }

    @Test
    void writeNeedsResolve_andNamedFiles_registryOptionsInHelp() throws Exception {
        BuildCommandTest.Result alone = run("images", "check", "--write", FIXTURES + "compose.yaml");
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--write pins what --resolve finds: give both"), alone.err());
        BuildCommandTest.Result stdin = run("images", "check", "--resolve", "--write", "-");
        assertEquals(2, stdin.code());
        assertTrue(stdin.err().contains("--write cannot pin standard input"), stdin.err());
        BuildCommandTest.Result help = run("images", "check", "--help");
        for (String o : List.of("--ca-file=PEM", "--auth-file=FILE", "--insecure-registry=HOST[:PORT]")) {
            assertTrue(help.out().contains(o), o + " (RegistryOptions) in " + help.out());
        }
        // a loopback reference: nothing leaves the machine even if the CA file were read late
        Path local = Files.writeString(tmp.resolve("l.yaml"), "services:\n  a:\n    image: 127.0.0.1:1/x:1\n");
        BuildCommandTest.Result badCa = run(
                "images",
                "check",
                "--resolve",
                "--ca-file",
                tmp.resolve("none.pem").toString(),
                local.toString());
        assertEquals(2, badCa.code(), badCa.err());
        assertTrue(badCa.err().contains("none.pem"), badCa.err());
    }

    @Test
    void registryOptions_buildAClientWithoutTouchingTheNetwork() {
        RegistryOptions o = new RegistryOptions();
        o.caFiles.add(tmp.resolve("ca.pem"));
        o.insecure.add("127.0.0.1:5000");
        o.authFile = tmp.resolve("auth.json");
        assertTrue(o.client() != null, "nothing is read or contacted until a resolution");
    }

    @Test
    void unreadableFiles_allNamed_exit2_andUnknownKinds_anError() throws Exception {
        Path binary = Files.write(tmp.resolve("b.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        BuildCommandTest.Result r =
                run("images", "check", tmp.resolve("missing.yaml").toString(), binary.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("missing.yaml:1:1: error: no such file [IMG-READ]"), r.err());
        assertTrue(r.err().contains("b.bin:1:1: error:"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "key: value\n  bad: [\n");
        BuildCommandTest.Result k = run("images", "check", text.toString());
        assertEquals(1, k.code(), k.err());
        assertTrue(k.out().contains(text + ":2:6: error: not a file images check reads"), k.out());
    }

    @Test
    void inputTexts_readsEveryFile_beforeReportingThoseItCannot() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "x");
        InputTexts in = InputTexts.read(List.of(a.toString()), System.in, "IMG", 10, null);
        assertEquals(List.of(a.toString()), in.names());
        assertEquals(List.of("x"), in.texts());
        dev.stockade.report.InputException big = org.junit.jupiter.api.Assertions.assertThrows(
                dev.stockade.report.InputException.class,
                () -> InputTexts.read(
                        List.of(
                                a.toString(),
                                Files.writeString(tmp.resolve("b"), "0123456789abc")
                                        .toString()),
                        System.in,
                        "IMG",
                        10,
                        null));
        assertEquals(1, big.diagnostics().size());
    }

    @Test
    void fileFindingsReport_countsFindingsOfEveryFile() {
        FileFindingsReport report = new FileFindingsReport(
                "images check",
                List.of("a", "b"),
                List.of(
                        List.of(new dev.stockade.report.Finding(
                                "IMG-TAG", dev.stockade.report.Severity.WARNING, "a", "m", "h")),
                        List.of()),
                g -> {},
                "Checked a, b.",
                "No findings.");
        assertEquals(1, report.findings().size());
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out), ReportFormatOption.Format.text, dev.stockade.report.Severity.ERROR);
        assertTrue(out.toString().startsWith("Checked a, b.\na: warning: m [IMG-TAG]\n"), out.toString());
    }
}
