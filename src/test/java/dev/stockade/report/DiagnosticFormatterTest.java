package dev.stockade.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticFormatterTest {

    @TempDir
    Path tmp;

    @Test
    void format_quotesTheLineWithACaretUnderTheColumn() throws Exception {
        Path spec = tmp.resolve("c.yaml");
        Files.writeString(spec, "stockade: 1\ninterfaces: {pulbic: eth0}\n");
        Diagnostic d = Diagnostic.error(
                "SPEC-UNKNOWN-KEY",
                new SourceSpan(spec.toString(), 2, 14),
                "unknown key 'pulbic' in interfaces",
                "did you mean 'public'?");
        assertEquals(
                spec + ":2:14: error: unknown key 'pulbic' in interfaces [SPEC-UNKNOWN-KEY]\n"
                        + " 2 | interfaces: {pulbic: eth0}\n"
                        + "   |              ^\n"
                        + "  hint: did you mean 'public'?\n",
                new DiagnosticFormatter().format(d));
    }

    @Test
    void format_tabsKeptInThePadding_wideLineNumberGutter() throws Exception {
        Path f = tmp.resolve("t.rules");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < 10; i++) {
            text.append("# ").append(i).append('\n');
        }
        text.append("\t-A INPUT -j NOPE\n");
        Files.writeString(f, text.toString());
        Diagnostic d = Diagnostic.warning("IPT-X", new SourceSpan(f.toString(), 10, 13), "m", "");
        assertEquals(
                f + ":10:13: warning: m [IPT-X]\n" + " 10 | \t-A INPUT -j NOPE\n" + "    | \t           ^\n",
                new DiagnosticFormatter().format(d));
    }

    @Test
    void format_noExcerptWhenFileMissingLineBeyondEndOrNoPosition() throws Exception {
        Path f = tmp.resolve("short");
        Files.writeString(f, "one\n");
        DiagnosticFormatter fmt = new DiagnosticFormatter();
        assertEquals(
                "nofile:3:1: error: m [C]\n  hint: h\n",
                fmt.format(Diagnostic.error("C", new SourceSpan("nofile", 3, 1), "m", "h")));
        assertEquals(
                f + ":5:1: error: m [C]\n",
                fmt.format(Diagnostic.error("C", new SourceSpan(f.toString(), 5, 1), "m", "")));
        assertEquals(
                f + ": error: m [C]\n", fmt.format(Diagnostic.error("C", new SourceSpan(f.toString(), 0, 0), "m", "")));
    }
}
