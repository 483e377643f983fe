package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.FilterAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FwMatrixCommandTest {

    @TempDir
    Path tmp;

    private Path rules() throws Exception {
        Path p = tmp.resolve("m.rules");
        Files.writeString(
                p,
                "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                        + "-A INPUT -i lo -j ACCEPT\n"
                        + "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n");
        return p;
    }

    @Test
    void matrix_headerPerFileThenOneMatrixPerPort() throws Exception {
        Path f = rules();
        CommandRun r = CommandRun.of("fw", "matrix", "--port", "22", "--port", "443", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertTrue(
                r.out.startsWith("# " + f + ": IPv4, filter INPUT, mode exact, upper bound;"
                        + " loopback (lo) left out: only the host sends there\n"),
                r.out);
        assertTrue(r.out.contains("203.0.113.0"), r.out);
        FwMatrixCommand c = r.command(FwMatrixCommand.class);
        assertEquals(List.of(22, 443), c.ports);
        assertEquals(FilterAnalysis.Approximation.EXACT, c.mode);
        assertEquals(FwMatrixCommand.Bound.upper, c.bound);
        assertEquals(10000, c.sport);
    }

    @Test
    void matrix_badModeOrPort_usageErrorExit2() throws Exception {
        Path f = rules();
        CommandRun mode = CommandRun.of("fw", "matrix", "--mode", "fuzzy", f.toString());
        assertEquals(2, mode.exit, mode::toString);
        assertTrue(mode.err.contains("'fuzzy' is not exact or fffuu"), mode.err);
        CommandRun port = CommandRun.of("fw", "matrix", "--port", "70000", f.toString());
        assertEquals(2, port.exit, port::toString);
        assertTrue(port.err.contains("--port 70000 is not a port (0-65535)"), port.err);
        assertEquals(FilterAnalysis.Approximation.FFFUU, new FwMatrixCommand.ApproximationConverter().convert("FFFUU"));
    }

    @Test
    void matrix_missingTable_locatedError() throws Exception {
        CommandRun r = CommandRun.of("fw", "matrix", "--table", "nat", rules().toString());
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains("no *nat table in this file [FW-NO-TABLE]"), r.err);
    }
}
