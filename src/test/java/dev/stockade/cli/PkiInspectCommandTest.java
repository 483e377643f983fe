package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiInspectCommandTest {

    @TempDir
    Path tmp;

    @Test
    void inspect_certificateAndKey_labelledFields() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        assertEquals(0, f.pki("issue", "--spec", f.spec.toString()).exit);
        Path cert = f.dir.resolve("a.pem");
        Path key = f.dir.resolve("a-key.pem");
        CommandRun r = CommandRun.of("pki", "inspect", cert.toString(), key.toString());
        assertEquals(0, r.exit, r::toString);
        List<String> lines = r.out.lines().toList();
        assertTrue(lines.get(0).startsWith(cert + ": "), lines.get(0));
        assertTrue(lines.contains("  subject             CN=a"), r.out);
        assertTrue(lines.contains("  ca                  false"), r.out);
        assertTrue(lines.contains("  ip addresses        ::1, 10.250.0.1, 127.0.0.1"), r.out);
        assertTrue(lines.contains("  dns names           a, localhost"), r.out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(key + ": ")), r.out);
        assertTrue(lines.contains("  encrypted           false"), r.out);
        assertEquals(List.of(cert, key), r.command(PkiInspectCommand.class).files);
    }

    @Test
    void inspect_notPem_locatedErrorForEveryBadFile() throws Exception {
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Files.writeString(a, "hello\n");
        Files.writeString(b, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        CommandRun r = CommandRun.of("pki", "inspect", a.toString(), b.toString());
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains(a + ":"), r.err);
        assertTrue(r.err.contains(b + ":"), r.err);
        assertEquals("", r.out);
    }
}
