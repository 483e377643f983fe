package dev.stockade.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void replace_writesFilesWithTheirModesAndAMarker() throws IOException {
        Path target = tmp.resolve("c");
        AtomicDirectory.replace(
                target, Map.of("n/a.txt", OutputFile.text("a", 0600), "n/b.sh", OutputFile.text("b", 0750)));
        assertEquals("a", Files.readString(target.resolve("n/a.txt")));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("n/a.txt"))));
        assertEquals(
                "rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("n/b.sh"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertTrue(Files.isRegularFile(target.resolve(AtomicDirectory.MARKER)));
    }

    @Test
    void replace_failureHalfway_keepsPreviousAndCleansUp() throws IOException {
        Path target = tmp.resolve("c");
        AtomicDirectory.replace(target, Map.of("old.txt", OutputFile.text("old", 0600)));
        Map<String, OutputFile> bad = new LinkedHashMap<>();
        bad.put("new.txt", OutputFile.text("new", 0600));
        bad.put("../escape.txt", OutputFile.text("x", 0600));

        assertThrows(IOException.class, () -> AtomicDirectory.replace(target, bad));

        assertEquals("old", Files.readString(target.resolve("old.txt")));
        assertFalse(Files.exists(target.resolve("new.txt")));
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no staging directory left");
        }
    }

    @Test
    void replace_removesFilesNoLongerProduced() throws IOException {
        Path target = tmp.resolve("c");
        AtomicDirectory.replace(target, Map.of("gone/x", OutputFile.text("x", 0600)));
        AtomicDirectory.replace(target, Map.of("kept/y", OutputFile.text("y", 0600)));
        assertFalse(Files.exists(target.resolve("gone")));
        assertTrue(Files.exists(target.resolve("kept/y")));
    }

    @Test
    void replace_keepsUnchangedFilesByLinkAndWritesChangedOnesAfresh() throws IOException {
        Path target = tmp.resolve("c");
        AtomicDirectory.replace(
                target,
                Map.of(
                        "n/same.txt", OutputFile.text("same", 0600),
                        "n/edited.txt", OutputFile.text("v1", 0600),
                        "n/mode.txt", OutputFile.text("m", 0600),
                        "n/aliased.txt", OutputFile.text("x", 0600)));
        Object same = inode(target.resolve("n/same.txt"));
        Object edited = inode(target.resolve("n/edited.txt"));
        Object mode = inode(target.resolve("n/mode.txt"));
        Object aliased = inode(target.resolve("n/aliased.txt"));
        Files.createLink(tmp.resolve("elsewhere"), target.resolve("n/aliased.txt"));

        AtomicDirectory.replace(
                target,
                Map.of(
                        "n/same.txt", OutputFile.text("same", 0600),
                        "n/edited.txt", OutputFile.text("v2", 0600),
                        "n/mode.txt", OutputFile.text("m", 0640),
                        "n/aliased.txt", OutputFile.text("x", 0600)));

        assertEquals(same, inode(target.resolve("n/same.txt")), "unchanged: the previous file, linked");
        assertEquals("same", Files.readString(target.resolve("n/same.txt")));
        assertEquals(1, Files.getAttribute(target.resolve("n/same.txt"), "unix:nlink"), "the old tree is gone");
        assertNotEquals(edited, inode(target.resolve("n/edited.txt")));
        assertEquals("v2", Files.readString(target.resolve("n/edited.txt")));
        assertNotEquals(mode, inode(target.resolve("n/mode.txt")));
        assertEquals(
                "rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("n/mode.txt"))));
        assertNotEquals(aliased, inode(target.resolve("n/aliased.txt")), "a file with another name is not shared");
        Files.writeString(tmp.resolve("elsewhere"), "changed through the other name");
        assertEquals("x", Files.readString(target.resolve("n/aliased.txt")));
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void replace_foreignDirectory_refusedUntouched() throws IOException {
        Path target = tmp.resolve("etc");
        Files.createDirectories(target);
        Files.writeString(target.resolve("passwd"), "keep");
        assertThrows(
                AtomicDirectory.ForeignDirectoryException.class,
                () -> AtomicDirectory.replace(target, Map.of("x", OutputFile.text("x", 0600))));
        assertEquals("keep", Files.readString(target.resolve("passwd")));
    }

    @Test
    void checkReplaceable_saysWhyWithoutCreatingAnything() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        AtomicDirectory.checkReplaceable(tmp.resolve("a/b/c"));
        assertFalse(Files.exists(tmp.resolve("a")), "nothing is created");
        java.nio.file.NotDirectoryException under = assertThrows(
                java.nio.file.NotDirectoryException.class, () -> AtomicDirectory.checkReplaceable(file.resolve("x/y")));
        assertEquals(file + " exists and is not a directory", IoErrors.describe(under));
        assertThrows(java.nio.file.NotDirectoryException.class, () -> AtomicDirectory.checkReplaceable(file));
        Files.createDirectories(tmp.resolve("foreign"));
        assertThrows(
                AtomicDirectory.ForeignDirectoryException.class,
                () -> AtomicDirectory.checkReplaceable(tmp.resolve("foreign")));
    }
}
