package dev.stockade.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void describe_keepsTheCauseJavaLeavesOutOfItsMessage() {
        assertEquals("permission denied: /srv/out", IoErrors.describe(new AccessDeniedException("/srv/out")));
        assertEquals("no such file: /srv/a", IoErrors.describe(new NoSuchFileException("/srv/a")));
        assertEquals(
                "/srv/x: Read-only file system",
                IoErrors.describe(new FileSystemException("/srv/x", null, "Read-only file system")));
        assertEquals("disk full on the way", IoErrors.describe(new IOException("disk full\non the way")));
    }

    @Test
    void describe_notADirectory_namesTheRegularFileInTheWay() throws IOException {
        Path file = Files.writeString(tmp.resolve("mine.txt"), "x");
        IOException e = new FileSystemException(file.resolve("a/b").toString(), null, "Not a directory");
        assertEquals(file.toAbsolutePath() + " exists and is not a directory", IoErrors.describe(e));
    }
}
