package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.HostTools;
import dev.stockade.testing.NpmTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports of {@code audit}, {@code validate}, {@code images check} and {@code images gate} checked by outside tools: the JSON against the
 * schemas in docs/schema with ajv (npm {@code ajv-cli}), and the HTML page rendered by headless
 * Chromium (Debian {@code chromium}): a screenshot is taken and the page Chromium built holds the
 * summary, the exposure picture and the findings. Controls show ajv rejects a report that breaks
 * the schema.
 */
class ReportsIT {

    static final String AJV = "ajv-cli@5.0.0";

    @TempDir
    Path tmp;

    static String run(String... args) {
        StringWriter out = new StringWriter();
        Main.run(args, new PrintWriter(out), new PrintWriter(new StringWriter()));
        return out.toString();
    }

    ExecResult ajv(String schema, Path data) {
        Path prefix = NpmTools.install("stockade-ajv-cli-5.0.0", "node_modules/.bin/ajv", AJV);
        return HostTools.run(
                Duration.ofMinutes(2),
                List.of(
                        prefix.resolve("node_modules/.bin/ajv").toString(),
                        "validate",
                        "--spec=draft7",
                        "-s",
                        "docs/schema/" + schema,
                        "-r",
                        "docs/schema/findings.schema.json",
                        "-d",
                        data.toString()));
    }

    @Test
    void json_matchesTheSchemas_andABrokenReportDoesNot() throws Exception {
        Path audit = Files.writeString(
                tmp.resolve("audit.json"),
                run(
                        "audit",
                        "--snapshot",
                        "src/test/resources/audit/open",
                        "src/test/resources/audit/hardened",
                        "--format",
                        "json"));
        ExecResult ok = ajv("audit.schema.json", audit);
        assertEquals(0, ok.exit(), ok.describe());
        assertTrue(ok.stdout().contains("valid") || ok.stderr().contains("valid"), ok.describe());

        Path cc = Files.writeString(tmp.resolve("u.yml"), "#cloud-config\nwrite_files:\n  - path: /usr/x\n");
        Path validate =
                Files.writeString(tmp.resolve("validate.json"), run("validate", "--format", "json", cc.toString()));
        ExecResult v = ajv("validate.schema.json", validate);
        assertEquals(0, v.exit(), v.describe());

        Path broken = Files.writeString(
                tmp.resolve("broken.json"),
                Files.readString(audit).replaceFirst("\"severity\": \"error\"", "\"severity\": \"fatal\""));
        ExecResult bad = ajv("audit.schema.json", broken);
        assertEquals(1, bad.exit(), "ajv rejects an unknown severity: " + bad.describe());
    }

    @Test
    void imagesGateJson_matchesItsSchema_andABrokenReportDoesNot() throws Exception {
        String dir = "src/test/resources/scan/";
        Path gate = Files.writeString(
                tmp.resolve("gate.json"),
                run(
                        "images",
                        "gate",
                        "--format",
                        "json",
                        dir + "trivy.json",
                        dir + "clair.json",
                        "--ignore",
                        dir + "ignore.yaml"));
        assertTrue(Files.readString(gate).contains("\"status\": \"ignored\""), Files.readString(gate));
        ExecResult ok = ajv("images-gate.schema.json", gate);
        assertEquals(0, ok.exit(), ok.describe());
        Path broken = Files.writeString(
                tmp.resolve("gate-broken.json"),
                Files.readString(gate).replaceFirst("\"status\": \"failing\"", "\"status\": \"failed\""));
        ExecResult bad = ajv("images-gate.schema.json", broken);
        assertEquals(1, bad.exit(), "ajv rejects an unknown status: " + bad.describe());
    }

    @Test
    void imagesCheckJson_matchesItsSchema_andABrokenReportDoesNot() throws Exception {
        String dir = "src/test/resources/images/";
        Path check = Files.writeString(
                tmp.resolve("check.json"),
                run("images", "check", "--format", "json", dir + "web.service", dir + "deploy.yaml", dir + "edge.ign"));
        assertTrue(Files.readString(check).contains("\"exact\": false"), Files.readString(check));
        ExecResult ok = ajv("images-check.schema.json", check);
        assertEquals(0, ok.exit(), ok.describe());
        Path broken = Files.writeString(
                tmp.resolve("check-broken.json"),
                Files.readString(check).replaceFirst("\"pinned\": false", "\"pinned\": \"no\""));
        ExecResult bad = ajv("images-check.schema.json", broken);
        assertEquals(1, bad.exit(), "ajv rejects a pinned that is not a boolean: " + bad.describe());
    }

    @Test
    void html_renderedByChromium_showsSummaryPictureAndFindings() throws Exception {
        Path chromium = HostTools.require("chromium", "chromium");
        Path html = Files.writeString(
                tmp.resolve("audit.html"),
                run(
                        "audit",
                        "--snapshot",
                        "src/test/resources/audit/open",
                        "src/test/resources/audit/hardened",
                        "--format",
                        "html"));
        Path png = tmp.resolve("audit.png");
        List<String> headless =
                List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        List<String> shot = new java.util.ArrayList<>(headless);
        shot.addAll(List.of(
                "--window-size=1200,1400", "--screenshot=" + png, html.toUri().toString()));
        ExecResult s = HostTools.run(Duration.ofMinutes(2), shot);
        assertEquals(0, s.exit(), s.describe());
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 20_000, "a screenshot with content: " + image.length + " bytes");
        assertEquals("PNG", new String(image, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));

        List<String> dump = new java.util.ArrayList<>(headless);
        dump.addAll(List.of("--dump-dom", html.toUri().toString()));
        ExecResult d = HostTools.run(Duration.ofMinutes(2), dump);
        assertEquals(0, d.exit(), d.describe());
        String dom = d.stdout();
        assertTrue(dom.contains("<table id=\"summary\">"), dom);
        assertTrue(dom.contains("<a href=\"#part-open\">open</a>"), dom);
        assertTrue(dom.contains("<svg class=\"exposure\""), dom);
        assertTrue(dom.contains(">IPv6 any address<"), dom);
        assertTrue(dom.contains("AUD-DOCKER-SOCKET"), dom);
        assertFalse(dom.contains("<script"), dom);
    }
}
