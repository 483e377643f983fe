package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FwLintCommandTest {

    @TempDir
    Path tmp;

    private Path rules(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(
                p,
                "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n" + String.join("\n", lines)
                        + "\nCOMMIT\n");
        return p;
    }

    @Test
    void lint_cleanRuleset_noFindingsExit0() throws Exception {
        Path f = rules(
                "clean.rules",
                "-A INPUT -i lo -j ACCEPT",
                "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "lint", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertEquals("Checked " + f + " (IPv4).\nNo findings.\n", r.out);
    }

    @Test
    void lint_shadowedRule_locatedFindingAndCount() throws Exception {
        Path f = rules(
                "shadow.rules",
                "-A INPUT -i lo -j ACCEPT",
                "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j DROP");
        CommandRun r = CommandRun.of("fw", "lint", "--fail-on", "warning", f.toString());
        assertTrue(r.out.contains(f + ":8:1: "), r.out);
        assertTrue(r.out.contains("[FW-SHADOWED]"), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.matches("\\d+ findings?: .*\\.")), r.out);
        assertEquals(1, r.exit, r::toString);
        assertEquals(FailOnOption.Level.warning, r.command(FwLintCommand.class).failOn.level);
    }
}
