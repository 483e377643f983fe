package dev.stockade.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {

    @TempDir
    Path tmp;

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void write_existingWithoutReplace_refusedAndUntouched() throws Exception {
        Path key = tmp.resolve("k-key.pem");
        SecureFiles.write(key, "one".getBytes(StandardCharsets.US_ASCII), 0600, false, CLOCK);
        assertThrows(
                SecureFiles.ExistsException.class,
                () -> SecureFiles.write(key, "two".getBytes(StandardCharsets.US_ASCII), 0600, false, CLOCK));
        assertEquals("one", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    /** A file that appears under the name after the caller looked (a race) is never replaced. */
    @Test
    void placeNew_nameTakenMeanwhile_refusedTheOtherFileKept() throws Exception {
        Path key = tmp.resolve("n-key.pem");
        Path staged = Files.writeString(tmp.resolve(".n-key.pem.tmp-1"), "NEW");
        Files.writeString(key, "SOMEONE ELSE'S");
        assertThrows(SecureFiles.ExistsException.class, () -> SecureFiles.placeNew(staged, key));
        assertEquals("SOMEONE ELSE'S", Files.readString(key));
        assertEquals("NEW", Files.readString(staged), "the staged file is left for the caller to remove");
        Files.delete(key);
        SecureFiles.placeNew(staged, key);
        assertEquals("NEW", Files.readString(key));
        assertFalse(Files.exists(staged), "placed, not copied");
    }

    @Test
    void write_replace_keepsTimestampedBackup() throws Exception {
        Path key = tmp.resolve("k-key.pem");
        SecureFiles.write(key, "one".getBytes(StandardCharsets.US_ASCII), 0600, false, CLOCK);
        Path backup = SecureFiles.write(key, "two".getBytes(StandardCharsets.US_ASCII), 0600, true, CLOCK);
        assertNotNull(backup);
        assertEquals("k-key.pem.bak-20260102T030405Z", backup.getFileName().toString());
        assertEquals("one", Files.readString(backup));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertEquals("two", Files.readString(key));
    }

    @Test
    void writeAllNew_writesModesAndRefusesToOverwrite() throws Exception {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        Map<Path, Integer> modes = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            contents.put(tmp.resolve("n" + i + "-key.pem"), ("key" + i).getBytes(StandardCharsets.US_ASCII));
            modes.put(tmp.resolve("n" + i + "-key.pem"), 0600);
            contents.put(tmp.resolve("n" + i + ".pem"), ("cert" + i).getBytes(StandardCharsets.US_ASCII));
            modes.put(tmp.resolve("n" + i + ".pem"), 0644);
        }
        SecureFiles.writeAllNew(contents, modes);
        assertEquals("key7", Files.readString(tmp.resolve("n7-key.pem")));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("n7-key.pem"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("n7.pem"))));

        Map<Path, byte[]> again =
                Map.of(tmp.resolve("fresh.pem"), new byte[] {1}, tmp.resolve("n3-key.pem"), new byte[] {2});
        assertThrows(
                SecureFiles.ExistsException.class,
                () -> SecureFiles.writeAllNew(
                        again, Map.of(tmp.resolve("fresh.pem"), 0644, tmp.resolve("n3-key.pem"), 0600)));
        assertEquals("key3", Files.readString(tmp.resolve("n3-key.pem")));
        assertFalse(Files.exists(tmp.resolve("fresh.pem")), "all or nothing: nothing is renamed into place");
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files are left");
        }
    }
}
