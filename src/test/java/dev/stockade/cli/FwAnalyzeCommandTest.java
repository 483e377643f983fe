package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FwAnalyzeCommandTest {

    @TempDir
    Path tmp;

    private Path rules(String... lines) throws Exception {
        Path p = tmp.resolve("r.rules");
        Files.writeString(
                p,
                "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n" + String.join("\n", lines)
                        + "\nCOMMIT\n");
        return p;
    }

    @Test
    void analyze_text_alignedTablePerPortAndSource() throws Exception {
        Path f = rules(
                "-A INPUT -i lo -j ACCEPT",
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -i eth1 -p udp -m udp --dport 514 -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "analyze", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertEquals(
                f + ": IPv4, filter INPUT, new connections (exact)\n"
                        + "  loopback (in lo): everything accepted; not listed below\n"
                        + "  proto  port/type  in    from\n"
                        + "  tcp    22         any   203.0.113.0/24\n"
                        + "  udp    514        eth1  any\n\n",
                r.out);
        FwAnalyzeCommand c = r.command(FwAnalyzeCommand.class);
        assertEquals("INPUT", c.chain.name());
        assertEquals(1, c.input.files.size());
    }

    @Test
    void analyze_unmodelledMatch_boundsWithTheRuleNamed() throws Exception {
        Path f = rules("-A INPUT -p tcp -m tcp --dport 80 -m limit --limit 5/sec -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "analyse", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("(bounds: 1 unmodelled conditions)"), r.out);
        assertTrue(r.out.contains("  accepts no new connections\n"), r.out);
        assertTrue(r.out.contains("  accepted only if unmodelled conditions hold:\n"), r.out);
        assertTrue(r.out.contains("    " + f + ":5:1  "), r.out);
    }

    @Test
    void analyze_outputChain_destinationsAndOutputInterfaces() throws Exception {
        Path f = rules("-A OUTPUT -o eth0 -d 192.0.2.0/24 -p tcp -m tcp --dport 443 -j ACCEPT");
        CommandRun r = CommandRun.of("fw", "analyze", "--chain", "OUTPUT", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("  proto  port/type  out   to\n"), r.out);
        assertTrue(r.command(FwAnalyzeCommand.class).chain.name().equals("OUTPUT"));
    }
}
