package dev.stockade.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {

    @TempDir
    Path tmp;

    private static Diagnostic refused(Path p, long max) {
        InputException e = assertThrows(InputException.class, () -> TextFiles.read(p, "IPT", max));
        assertEquals(1, e.diagnostics().size());
        return e.diagnostics().get(0);
    }

    @Test
    void read_utf8Text_asIs() throws Exception {
        Path p = tmp.resolve("a.rules");
        Files.writeString(p, "# café\r\n*filter\n", StandardCharsets.UTF_8);
        assertEquals("# café\r\n*filter\n", TextFiles.read(p, "IPT", 1 << 20));
    }

    @Test
    void read_missingDirectoryOrTooLarge_codedErrorsWithHints() throws Exception {
        Diagnostic missing = refused(tmp.resolve("nope"), 100);
        assertEquals("IPT-READ", missing.code());
        assertEquals("no such file", missing.message());
        assertEquals(tmp.resolve("nope") + ":1:1", missing.span().toString());
        assertEquals("is a directory, not a file", refused(tmp, 100).message());
        Path big = tmp.resolve("big");
        Files.write(big, new byte[(2 << 20) + 1]);
        assertEquals("is larger than 2 MiB", refused(big, 2 << 20).message());
    }

    @Test
    void read_invalidUtf8_locatedAtTheBadCharacter() throws Exception {
        Path p = tmp.resolve("bin");
        Files.write(p, new byte[] {'a', '\n', 'b', (byte) 0xC3, (byte) 0xA9, 'c', (byte) 0xFF, 'd'});
        Diagnostic d = refused(p, 100);
        assertEquals("not valid UTF-8 text", d.message());
        assertEquals(2, d.span().line());
        assertEquals(4, d.span().column(), "b, é and c come first; é is one column");
        Path truncated = tmp.resolve("cut");
        Files.write(truncated, new byte[] {'x', (byte) 0xE2, (byte) 0x82});
        assertEquals(2, refused(truncated, 100).span().column());
    }

    @Test
    void read_unreadable_permissionDenied() throws Exception {
        Path p = tmp.resolve("secret");
        Files.writeString(p, "x");
        p.toFile().setReadable(false, false);
        if (Files.isReadable(p)) {
            // root reads every file; the message for this case is checked through the CLI as 'nobody'
            assertEquals("x", TextFiles.read(p, "IPT", 10));
            return;
        }
        assertEquals("cannot read: permission denied", refused(p, 10).message());
    }
}
