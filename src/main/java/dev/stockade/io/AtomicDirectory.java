package dev.stockade.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces a whole output directory at once. Files are written into a fresh sibling directory
 * (created 0700, each file created with its final mode, so nothing is ever more readable than
 * meant), flushed to disk (one flush of the file system, {@link Flush}), and then swapped in with
 * renames; a failure at any point leaves the
 * previous directory as it was. A marker file identifies directories this class made, and a
 * directory without it is never replaced.
 */
public final class AtomicDirectory {

    public static final String MARKER = ".stockade-output";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicDirectory() {}

    /** Thrown when {@code target} exists but was not made by Stockade. */
    public static final class ForeignDirectoryException extends IOException {
        public ForeignDirectoryException(Path dir) {
            super(dir + " exists and is not a Stockade output directory (no " + MARKER + " file)");
        }
    }

    /**
     * Checks, without creating or changing anything, that {@link #replace} could write {@code
     * target}: it is absent or Stockade's own, and the nearest existing directory on its way is a
     * directory this process may write. Lets a command refuse before it does other work with
     * lasting effects (such as issuing certificates).
     */
    public static void checkReplaceable(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotDirectoryException(absolute.toString());
            }
            requireOurs(target);
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new NoSuchFileException(absolute.toString());
        }
        if (!Files.isDirectory(existing)) {
            throw new NotDirectoryException(existing.toString());
        }
        if (!Files.isWritable(existing)) {
            throw new AccessDeniedException(existing.toString());
        }
    }

    /** Refuses an existing {@code target} that has no marker: Stockade did not make it. */
    private static void requireOurs(Path target) throws ForeignDirectoryException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(target.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            throw new ForeignDirectoryException(target);
        }
    }

    /**
     * Makes {@code target} hold exactly {@code files} (relative paths with '/' separators). A file
     * the previous {@code target} already holds byte for byte, with the same mode and owner and no
     * other name, is hard-linked into the new directory instead of written again: the swap stays
     * atomic (files are never changed in place, only replaced), and a rebuild that changes little
     * creates few new files.
     */
    public static void replace(Path target, Map<String, OutputFile> files) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        requireOurs(target);
        String name = target.getFileName().toString();
        Path staging = parent.resolve("." + name + ".new-" + token());
        Path old = parent.resolve("." + name + ".old-" + token());
        try {
            Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(dirMode()));
            Map<String, Object> owner = Files.readAttributes(staging, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            boolean previous = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
            List<Path> written = new ArrayList<>(files.size() + 1);
            for (Map.Entry<String, OutputFile> e : files.entrySet()) {
                Path path = staged(staging, e.getKey());
                if (!(previous && linked(target.resolve(e.getKey()), path, e.getValue(), owner))) {
                    written.add(write(staging, e.getKey(), e.getValue()));
                }
            }
            written.add(write(
                    staging,
                    MARKER,
                    OutputFile.text("This directory is replaced as a whole by 'stockade build'.\n", 0600)));
            Flush.all(staging, written);
            boolean hadOld = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (hadOld) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                if (hadOld) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                }
                throw e;
            }
            Flush.directory(parent);
        } finally {
            deleteTree(staging);
            deleteTree(old);
        }
    }

    /** Where {@code relative} goes in the staging directory {@code root}, its directory created. */
    private static Path staged(Path root, String relative) throws IOException {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || relative.startsWith("/")) {
            throw new IOException("refusing to write outside the output directory: " + relative);
        }
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(dirMode()));
        }
        return path;
    }

    /**
     * Links {@code previous} at {@code path} when it is a regular file with exactly {@code file}'s
     * bytes and mode, {@code owner}'s uid and gid, and no other link; false (nothing done) otherwise.
     */
    private static boolean linked(Path previous, Path path, OutputFile file, Map<String, Object> owner) {
        try {
            Map<String, Object> a =
                    Files.readAttributes(previous, "unix:mode,uid,gid,nlink,size", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            boolean same = (mode & 0170000) == 0100000
                    && (mode & 07777) == file.mode()
                    && a.get("uid").equals(owner.get("uid"))
                    && a.get("gid").equals(owner.get("gid"))
                    && (Integer) a.get("nlink") == 1
                    && (Long) a.get("size") == file.bytes().length
                    && Arrays.equals(Files.readAllBytes(previous), file.bytes());
            if (same) {
                Files.createLink(path, previous);
            }
            return same;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // not there, not readable, or not linkable here: written afresh
        }
    }

    /** Writes one file into the staging directory, not yet flushed; returns its path. */
    private static Path write(Path root, String relative, OutputFile file) throws IOException {
        Path path = staged(root, relative);
        try (FileChannel ch = FileChannel.open(
                path,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(permissions(file.mode())))) {
            ByteBuffer buf = ByteBuffer.wrap(file.bytes());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("two outputs share the path " + relative, e);
        }
        // the umask may have removed bits we asked for; never adds any
        Files.setPosixFilePermissions(path, permissions(file.mode()));
        return path;
    }

    private static Set<PosixFilePermission> dirMode() {
        return PosixFilePermissions.fromString("rwx------");
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    private static String token() {
        return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException("could not clean up " + root, e);
                }
            }
        }
    }
}
