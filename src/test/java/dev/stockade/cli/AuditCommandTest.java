package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
