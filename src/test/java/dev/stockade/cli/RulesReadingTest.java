package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class RulesReadingTest {

    @TempDir
    Path tmp;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        RulesReading reading;
    }

    private static RulesReading parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.reading;
    }

    @Test
    void hosts_noneWithoutOption_readOnceWithIt() throws Exception {
        assertTrue(parse().hosts().addresses("db").isEmpty());
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "192.0.2.7 db db.example\n2001:db8::7 db\n");
        RulesReading r = parse("--hosts", hosts.toString());
        assertEquals(2, r.hosts().addresses("db").size());
        assertEquals(1, r.hosts().addresses("db.example").size());
        Files.delete(hosts);
        assertSame(r.hosts(), r.hosts(), "read once: the file is not read again");
    }

    @Test
    void hosts_missingFile_locatedInputError() {
        RulesReading r = parse("--hosts", tmp.resolve("nope").toString());
        InputException e = assertThrows(InputException.class, r::hosts);
        assertEquals("HOSTS-READ", e.diagnostics().get(0).code());
    }

    @Test
    void forced_familyFromTheMixedInOption() {
        assertNull(parse().forced());
        assertEquals(IpFamily.V6, parse("--family", "ipv6").forced());
    }
}
