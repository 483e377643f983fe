package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Reading ruleset files for the fw commands: RulesInput's files, RulesReading's family and hosts. */
class RulesFileTest {

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        RulesInput input;
    }

    private static RulesInput parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.input;
    }

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void read_familyFromTheFileOrForced_warningsPrinted() throws Exception {
        Path v6 = file("v6.rules", "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 2001:db8::/32 -j ACCEPT \nCOMMIT\n");
        Path plain = file("plain.rules", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
        List<RulesFile> files = parse(v6.toString(), plain.toString()).read("filter", new PrintWriter(err));
        assertEquals(
                List.of(IpFamily.V6, IpFamily.V4),
                files.stream().map(RulesFile::family).toList());
        assertTrue(err.toString().contains("[IPT-TRAILING-SPACE]"), err.toString());
        RulesInput forced = parse("-6", plain.toString());
        assertEquals(IpFamily.V6, forced.forced());
        assertEquals(
                IpFamily.V6, forced.read("filter", new PrintWriter(err)).get(0).family());
    }

    @Test
    void read_problemsOfEveryFileTogether() throws Exception {
        Path nat = file("nat.rules", "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
        Path bad = file("bad.rules", "*filter\n-A INPUT -j\nCOMMIT\n");
        InputException e = assertThrows(
                InputException.class,
                () -> parse(nat.toString(), bad.toString(), tmp.resolve("gone").toString())
                        .read("filter", new PrintWriter(err)));
        List<String> files =
                e.diagnostics().stream().map(d -> d.span().file()).distinct().toList();
        assertEquals(List.of(nat.toString(), bad.toString(), tmp.resolve("gone").toString()), files);
        assertEquals("FW-NO-TABLE", e.diagnostics().get(0).code());
    }

    @Test
    void requireBuiltin_undeclaredStandardChainIsFine_userChainRefused() throws Exception {
        Path f = file("f.rules", "*filter\n:INPUT DROP [0:0]\n:mine - [0:0]\nCOMMIT\n");
        RulesFile r = parse(f.toString()).read("filter", new PrintWriter(err)).get(0);
        r.requireBuiltin("INPUT");
        r.requireBuiltin("FORWARD");
        Diagnostic d = assertThrows(InputException.class, () -> r.requireBuiltin("mine"))
                .diagnostics()
                .get(0);
        assertEquals("FW-NO-CHAIN", d.code());
        assertEquals("choose a builtin chain with --chain (filter: INPUT, FORWARD, OUTPUT)", d.hint());
    }

    @Test
    void hosts_namesResolvedFromTheHostsFile() throws Exception {
        Path hosts = file("hosts", "192.0.2.7 db\n");
        Path f = file("f.rules", "*filter\n:INPUT DROP [0:0]\n-A INPUT -s db -j ACCEPT\nCOMMIT\n");
        RulesInput in = parse("--hosts", hosts.toString(), f.toString());
        in.read("filter", new PrintWriter(err));
        assertEquals("", err.toString(), "a resolved name needs no warning");
        assertEquals(1, in.reading.hosts().addresses("db").size());
        parse(f.toString()).read("filter", new PrintWriter(err));
        assertTrue(err.toString().contains("[IPT-HOSTNAME]"), err.toString());
    }
}
