package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FwDiffCommandTest {

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
    void diff_openedAndClosed_exit1() throws Exception {
        Path old = rules("old.rules", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT");
        Path neu = rules(
                "new.rules",
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "diff", old.toString(), neu.toString());
        assertEquals(1, r.exit, r::toString);
        assertEquals(
                old + " -> " + neu + " (IPv4, filter INPUT, new connections):\n"
                        + "  newly accepted:\n"
                        + "  proto  port/type  in   from\n"
                        + "  tcp    443        any  any\n"
                        + "  newly refused:\n"
                        + "  proto  port/type  in   from\n"
                        + "  tcp    22         any  any except 203.0.113.0/24",
                r.out.lines().limit(7).reduce((a, b) -> a + "\n" + b).orElse("").replaceAll(" +$", ""));
        FwDiffCommand c = r.command(FwDiffCommand.class);
        assertEquals(old, c.before);
        assertEquals(neu, c.after);
    }

    @Test
    void diff_sameAcceptanceWrittenDifferently_exit0() throws Exception {
        Path a = rules("a.rules", "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT");
        Path b = rules(
                "b.rules",
                "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "diff", a.toString(), b.toString());
        assertEquals(0, r.exit, r::toString);
        assertEquals(a + " -> " + b + ": the same packets are accepted (IPv4, filter INPUT)\n", r.out);
    }

    @Test
    void diff_onlyRepliesDiffer_saysNewConnectionsUnchanged() throws Exception {
        Path a = rules("a.rules", "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        Path b = rules("b.rules");
        CommandRun r = CommandRun.of("fw", "diff", a.toString(), b.toString());
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.out.contains("  newly accepted: nothing\n  newly refused: nothing\n"), r.out);
        assertTrue(r.out.contains("replies or other states differ"), r.out);
    }
}
