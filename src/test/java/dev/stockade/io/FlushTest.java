package dev.stockade.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlushTest {

    @TempDir
    Path tmp;

    @Test
    void all_flushesTheFilesAndLeavesThemAsTheyWere() throws IOException {
        Path a = Files.writeString(tmp.resolve("a"), "one");
        Path b = Files.writeString(tmp.resolve("b"), "two");
        Flush.all(tmp, List.of(a, b));
        assertEquals("one", Files.readString(a));
        assertEquals("two", Files.readString(b));
    }

    @Test
    void each_missingFile_isAnErrorNotASilentSuccess() {
        assertThrows(NoSuchFileException.class, () -> Flush.each(List.of(tmp.resolve("gone"))));
    }

    @Test
    void all_nothingToFlush_runsNothing() {
        assertDoesNotThrow(() -> Flush.all(tmp.resolve("no-such-dir"), List.of()));
    }

    @Test
    void directory_thatCannotBeOpened_isTolerated() {
        assertDoesNotThrow(() -> Flush.directory(tmp.resolve("no-such-dir")));
    }
}
