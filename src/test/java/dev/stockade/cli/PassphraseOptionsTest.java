package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class PassphraseOptionsTest {

    @TempDir
    Path tmp;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        PassphraseOptions passphrase;
    }

    private static PassphraseOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.passphrase;
    }

    private static Diagnostic refused(PassphraseOptions o) {
        return assertThrows(InputException.class, o::read).diagnostics().get(0);
    }

    @Test
    void read_none_null() throws Exception {
        assertNull(parse().read());
    }

    @Test
    void read_file_firstLineOnly() throws Exception {
        Path f = tmp.resolve("pass");
        Files.writeString(f, "open sesame\nsecond line\n");
        assertArrayEquals(
                "open sesame".toCharArray(),
                parse("--ca-passphrase-file", f.toString()).read());
    }

    @Test
    void read_emptyFileBothOrUnsetVariable_refused() throws Exception {
        Path f = tmp.resolve("empty");
        Files.writeString(f, "\n");
        assertEquals(
                "the passphrase file is empty",
                refused(parse("--ca-passphrase-file", f.toString())).message());
        assertEquals(
                "give --ca-passphrase-file or --ca-passphrase-env, not both",
                refused(parse("--ca-passphrase-file", f.toString(), "--ca-passphrase-env", "X"))
                        .message());
        String unset = "STOCKADE_TEST_UNSET_" + ProcessHandle.current().pid();
        Diagnostic d = refused(parse("--ca-passphrase-env", unset));
        assertEquals("PKI-PASSPHRASE", d.code());
        assertEquals("$" + unset, d.span().file());
        assertEquals(
                "PKI-READ",
                refused(parse("--ca-passphrase-file", tmp.resolve("nope").toString()))
                        .code());
    }

    @Test
    void read_environmentVariable() throws Exception {
        Map.Entry<String, String> some = System.getenv().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .findFirst()
                .orElseThrow();
        assertArrayEquals(
                some.getValue().toCharArray(),
                parse("--ca-passphrase-env", some.getKey()).read());
    }
}
