package dev.stockade.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What a failed file operation means, in one line that names the file at fault: Java's own
 * messages are often only a path ({@link FileAlreadyExistsException}) or blame the file that was
 * to be created when a directory above it is a regular file ("Not a directory").
 */
public final class IoErrors {

    private IoErrors() {}

    public static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String file = f.getFile();
            if (e instanceof NoSuchFileException) {
                return "no such file: " + file;
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied: " + file;
            }
            if (e instanceof FileAlreadyExistsException && file != null && !Files.isDirectory(Path.of(file))) {
                return file + " exists and is not a directory";
            }
            if (file != null && (e instanceof NotDirectoryException || "Not a directory".equals(f.getReason()))) {
                Path blocking = firstNonDirectory(Path.of(file));
                if (blocking != null) {
                    return blocking + " exists and is not a directory";
                }
            }
            if (file != null && f.getReason() != null) {
                return oneLine(file + ": " + f.getReason());
            }
        }
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** The closest ancestor of {@code path} (or itself) that exists and is not a directory, or null. */
    private static Path firstNonDirectory(Path path) {
        Path absolute = path.toAbsolutePath();
        for (int i = 1; i <= absolute.getNameCount(); i++) {
            Path p = absolute.getRoot().resolve(absolute.subpath(0, i));
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
