package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.audit.Checks;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditCommandTest {

    @Test
    void printCollector_aShellScriptThatParses_andNoSourceIsAUsageError() throws Exception {
        assertEquals(
                "audit",
                AuditCommand.class
                        .getAnnotation(picocli.CommandLine.Command.class)
                        .name());
        StringWriter out = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"audit", "--print-collector"},
                        new PrintWriter(out),
                        new PrintWriter(new StringWriter())));
        assertTrue(out.toString().startsWith("#!/bin/sh\n"), out.toString());
        Path script = Files.writeString(Files.createTempFile("collect", ".sh"), out.toString());
        Process p = new ProcessBuilder("sh", "-n", script.toString())
                .redirectErrorStream(true)
                .start();
        assertEquals(
                0, p.waitFor(), new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new String[] {"audit"}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(
                err.toString().contains("give --local, --ssh USER@HOST, --snapshot DIR|FILE.tar or --spec FILE"),
                err.toString());
    }

    @Test
    void twoHosts_aSummaryTableAtTheEnd_oneRowEach() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "audit", "--snapshot", "src/test/resources/audit/hardened", "src/test/resources/audit/open"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(1, code, out.toString() + err);
        List<String> lines = out.toString().lines().toList();
        int header = lines.indexOf("HOST      FACTS  ERRORS  WARNINGS  NOTES  RESULT");
        assertTrue(header > 0, out.toString());
        int facts = dev.stockade.audit.Probe.values().length;
        assertEquals("hardened     " + facts + "       0         0      3  pass", lines.get(header + 1));
        assertTrue(
                lines.get(header + 2).matches("open {9}" + facts + " +[1-9][0-9]* +[0-9]+ +[0-9]+  FAIL"),
                lines.get(header + 2));
        assertEquals("2 hosts: 1 pass, 1 not.", lines.get(header + 3));
        assertEquals("", err.toString(), "snapshots show no progress");
    }

    @Test
    void summaryTable_hostsNothingEvaluated_sayWhy() {
        Checks.HostAudit down = Checks.unreachable("10.250.0.9", "cannot connect", "");
        assertEquals(
                List.of(
                        "HOST        FACTS  ERRORS  WARNINGS  NOTES  RESULT",
                        "10.250.0.9      0       1         0      0  unreachable",
                        "1 hosts: 0 pass, 1 not."),
                AuditCommand.summaryTable(List.of(down), Severity.ERROR));
    }

    @Test
    void progress_redrawnOnATerminal_plainLinesOtherwise() {
        StringWriter plain = new StringWriter();
        Progress p = new Progress(new PrintWriter(plain), 2, false);
        p.done("a", "no findings");
        p.done("b", "unreachable");
        p.finish();
        assertEquals(
                "[1/2] a: no findings\n[2/2] b: unreachable\n", plain.toString().replace(System.lineSeparator(), "\n"));
        StringWriter tty = new StringWriter();
        Progress t = new Progress(new PrintWriter(tty), 4, true);
        t.done("a", "2 findings: 2 notes.");
        t.finish();
        assertEquals(
                "\r[======                  ] 1/4 hosts, last a: 2 findings: 2 notes.\u001b[K\r\u001b[K",
                tty.toString());
    }

    @Test
    void colour_onlyWithoutNoColorAndNotDumb_severityPainted() {
        assertTrue(Terminal.colour(null, "xterm-256color"));
        assertTrue(Terminal.colour("", "xterm"));
        assertFalse(Terminal.colour("1", "xterm"));
        assertFalse(Terminal.colour(null, "dumb"));
        Finding f = new Finding("AUD-X", Severity.ERROR, "h", "m", "");
        assertEquals("h: error: m [AUD-X]", FindingsReport.line(f, false));
        assertEquals("h: \u001b[1;31merror\u001b[0m: m [AUD-X]", FindingsReport.line(f, true));
        assertEquals(
                "h: \u001b[1;33mwarning\u001b[0m: m [AUD-X]",
                FindingsReport.line(new Finding("AUD-X", Severity.WARNING, "h", "m", ""), true));
        assertEquals(
                "h: \u001b[36mnote\u001b[0m: m [AUD-X]",
                FindingsReport.line(new Finding("AUD-X", Severity.NOTE, "h", "m", ""), true));
    }

    @Test
    void json_eachHostsReach_whoCanOpenAConnectionToEachService() {
        StringWriter out = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"audit", "--snapshot", "src/test/resources/audit/hardened", "--format", "json"},
                        new PrintWriter(out),
                        new PrintWriter(new StringWriter())));
        String json = out.toString().replaceAll("\\s+", " ");
        assertTrue(
                json.contains(
                        "{ \"service\": \"tcp/22 (systemd)\", \"family\": \"ipv4\", \"sources\": \"203.0.113.0/24\","
                                + " \"anywhere\": false, \"closed\": false }"),
                json);
        assertTrue(json.contains("\"sources\": \"10.250.0.0/16 on eth1\""), json);
    }
}
