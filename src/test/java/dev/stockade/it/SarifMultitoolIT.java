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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stockade validate --format sarif} and {@code stockade audit --format sarif} checked by Microsoft's SARIF Multitool (npm package
 * {@code @microsoft/sarif-multitool}, installed here once into a cache directory), with its
 * GitHub rules ({@code --rule-kind "Sarif;Ghas"}): no errors and no warnings, for output with many
 * rules and for output with none. A control shows the tool does reject a rule without help text.
 * The tool exits 0 even when it finds errors, so its printed findings are what is read.
 */
class SarifMultitoolIT {

    static final String VERSION = "5.7.0";
    static final Pattern PROBLEM = Pattern.compile("(?m)^.*: (error|warning) [A-Z]+[0-9]+: .*$");

    static Path tool;

    @TempDir
    Path tmp;

    /** The native binary, installed with npm into $java.io.tmpdir/stockade-sarif-multitool-VERSION if missing. */
    @BeforeAll
    static void install() {
        Path prefix = NpmTools.install(
                "stockade-sarif-multitool-" + VERSION,
                "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool",
                "@microsoft/sarif-multitool@" + VERSION);
        tool = prefix.resolve("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
        assertTrue(tool.toFile().setExecutable(true, true) || Files.isExecutable(tool), tool.toString());
    }

    ExecResult multitool(Path sarif) {
        ExecResult r = HostTools.run(
                Duration.ofMinutes(2),
                List.of(
                        tool.toString(),
                        "validate",
                        "--rule-kind",
                        "Sarif;Ghas",
                        "--level",
                        "Error;Warning",
                        sarif.toString()));
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().contains("1 files scanned"), "the tool looked at the file: " + r.describe());
        return r;
    }

    Path sarif(String name, String... files) throws Exception {
        List<String> args = new ArrayList<>(List.of("validate", "--format", "sarif"));
        args.addAll(List.of(files));
        StringWriter out = new StringWriter();
        Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()));
        return Files.writeString(tmp.resolve(name), out.toString());
    }

    @Test
    void validateSarif_passesTheGitHubRules_withManyRulesAndWithNone() throws Exception {
        Path ign = Files.writeString(tmp.resolve("c.ign"), """
                {"ignition": {"version": "3.3.0"},
                 "storage": {"files": [{"path": "etc/x", "mode": 755},
                   {"path": "/etc/k-key.pem", "contents": {"source": "data:,-----BEGIN%20PRIVATE%20KEY-----"}},
                   {"path": "/var/lib/iptables/rules-save", "contents": {"source": "data:,*filter%0ACOMMIT%0A"}}]},
                 "systemd": {"units": [{"name": "foo", "enabled": true, "contents": "[Service]\\nA=b\\n"}]},
                 "passwd": {"users": [{"name": "core", "groups": ["docker"]}]}}
                """);
        Path cc = Files.writeString(tmp.resolve("u.yml"), """
                #cloud-config
                coreos:
                  update:
                    reboot-strategy: sometimes
                  etcd2:
                    ca_file: /x
                write_files:
                  - path: /usr/x
                    permissions: 644
                """);
        Path many = sarif("many.sarif", ign.toString(), cc.toString());
        assertTrue(Files.readString(many).split("\"ruleId\"").length > 12, "many results");
        ExecResult r = multitool(many);
        assertFalse(PROBLEM.matcher(r.stdout()).find(), r.stdout());

        Path clean = Files.writeString(tmp.resolve("ok.yml"), "#cloud-config\nhostname: a\n");
        ExecResult none = multitool(sarif("none.sarif", clean.toString()));
        assertFalse(PROBLEM.matcher(none.stdout()).find(), none.stdout());
    }

    @Test
    void auditSarif_passesTheGitHubRules() throws Exception {
        StringWriter out = new StringWriter();
        Main.run(
                new String[] {"audit", "--snapshot", "src/test/resources/audit/open", "--format", "sarif"},
                new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        Path sarif = Files.writeString(tmp.resolve("audit.sarif"), out.toString());
        assertTrue(out.toString().split("\"ruleId\"").length > 15, "many results");
        ExecResult r = multitool(sarif);
        assertFalse(PROBLEM.matcher(r.stdout()).find(), r.stdout());
    }

    @Test
    void imagesGateSarif_passesTheGitHubRules() throws Exception {
        String dir = "src/test/resources/scan/";
        StringWriter out = new StringWriter();
        Main.run(
                new String[] {
                    "images",
                    "gate",
                    "--format",
                    "sarif",
                    dir + "trivy.json",
                    dir + "clair.json",
                    "--ignore",
                    dir + "ignore.yaml"
                },
                new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        Path sarif = Files.writeString(tmp.resolve("gate.sarif"), out.toString());
        assertTrue(out.toString().contains("\"GATE-IGNORE-EXPIRED\""), out.toString());
        ExecResult r = multitool(sarif);
        assertFalse(PROBLEM.matcher(r.stdout()).find(), r.stdout());
    }

    @Test
    void imagesCheckSarif_passesTheGitHubRules() throws Exception {
        String dir = "src/test/resources/images/";
        StringWriter out = new StringWriter();
        Main.run(
                new String[] {
                    "images", "check", "--format", "sarif", dir + "web.service", dir + "user-data.yml", dir + "edge.ign"
                },
                new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        Path sarif = Files.writeString(tmp.resolve("check.sarif"), out.toString());
        assertTrue(out.toString().contains("\"IMG-LATEST\""), out.toString());
        ExecResult r = multitool(sarif);
        assertFalse(PROBLEM.matcher(r.stdout()).find(), r.stdout());
    }

    @Test
    void control_aRuleWithoutHelpText_isAnError() throws Exception {
        Path cc = Files.writeString(tmp.resolve("u.yml"), "#cloud-config\nwrite_files:\n  - path: /usr/x\n");
        Path sarif = sarif("broken.sarif", cc.toString());
        String text = Files.readString(sarif);
        String broken =
                text.replaceFirst("(?s)\"help\" : \\{[^}]*\\},", "").replaceFirst("(?s)\"help\": \\{[^}]*\\},", "");
        assertFalse(broken.equals(text), "the help text was removed");
        ExecResult r = multitool(Files.writeString(tmp.resolve("nohelp.sarif"), broken));
        assertTrue(r.stdout().matches("(?s).*: error GH\\d+: .*"), r.stdout());
    }
}
