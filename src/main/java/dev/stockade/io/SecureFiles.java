package dev.stockade.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;

/**
 * Writes single files atomically with their final permissions from the first byte: the data goes
 * to a new temporary file in the same directory, created with the requested mode, is flushed, and
 * is renamed over the target. An existing file is only replaced when asked, and then the old one is
 * kept beside it as {@code NAME.bak-YYYYMMDDTHHMMSSZ}.
 */
public final class SecureFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SecureFiles() {}

    /** Thrown when the target exists and replacing was not requested. */
    public static final class ExistsException extends FileAlreadyExistsException {
        public ExistsException(Path path) {
            super(path.toString(), null, "already exists");
        }
    }

    /**
     * @param replace replace an existing file (keeping a backup) instead of failing
     * @return the backup's path when an existing file was replaced, else null
     */
    public static Path write(Path target, byte[] bytes, int mode, boolean replace, Clock clock) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !replace) {
            throw new ExistsException(target);
        }
        Path tmp = dir.resolve(
                "." + target.getFileName() + ".tmp-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(AtomicDirectory.permissions(mode)))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if ((mode & 0077) != 0) {
                // a strict umask may have removed group/other bits we want; it can never add any
                Files.setPosixFilePermissions(tmp, AtomicDirectory.permissions(mode));
            }
            Path backup = null;
            if (exists) {
                backup = dir.resolve(target.getFileName() + ".bak-" + STAMP.format(clock.instant()));
                for (int i = 1; Files.exists(backup, LinkOption.NOFOLLOW_LINKS) && i < 1000; i++) {
                    backup = dir.resolve(target.getFileName() + ".bak-" + STAMP.format(clock.instant()) + "-" + i);
                }
                Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            if (exists) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                placeNew(tmp, target);
            }
            moved = true;
            return backup;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Gives the finished temporary file {@code tmp} the name {@code target}, which must not exist. A
     * rename would replace a file created there since the caller looked; a hard link is refused by
     * the kernel when the name exists, so nothing can be overwritten, however the two race.
     */
    static void placeNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw new ExistsException(target);
        }
        Files.delete(tmp);
    }

    /** A file's permission bits (e.g. 0644), to write its replacement with the same. */
    public static int modeOf(Path file) throws IOException {
        int mode = 0;
        for (java.nio.file.attribute.PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    /** A file written to a temporary name beside its target, not yet flushed or renamed. */
    public record Staged(Path tmp, Path target) {}

    /**
     * Writes many new files so that each appears whole or not at all, without a flush per file:
     * all data goes to temporary files first, the file system is flushed once, and only then are
     * the files renamed into place (existing targets are never replaced: {@link ExistsException}).
     * A crash leaves either the finished file or a stray temporary one, never a short file.
     */
    public static void writeAllNew(java.util.Map<Path, byte[]> contents, java.util.Map<Path, Integer> modes)
            throws IOException {
        java.util.List<Staged> staged = new java.util.ArrayList<>();
        try {
            for (java.util.Map.Entry<Path, byte[]> e : contents.entrySet()) {
                Path target = e.getKey();
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ExistsException(target);
                }
                staged.add(stage(target, e.getValue(), modes.get(target)));
            }
            flushAll(staged);
            for (Staged st : staged) {
                placeNew(st.tmp(), st.target());
            }
            staged.stream()
                    .map(st -> st.target().toAbsolutePath().getParent())
                    .distinct()
                    .forEach(Flush::directory);
        } finally {
            for (Staged st : staged) {
                Files.deleteIfExists(st.tmp());
            }
        }
    }

    private static Staged stage(Path target, byte[] bytes, int mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(
                "." + target.getFileName() + ".tmp-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
        try (FileChannel ch = FileChannel.open(
                tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(AtomicDirectory.permissions(mode)))) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        if ((mode & 0077) != 0) {
            Files.setPosixFilePermissions(tmp, AtomicDirectory.permissions(mode));
        }
        return new Staged(tmp, target);
    }

    /** Makes the staged data durable: one flush of their file system when they share a directory. */
    private static void flushAll(java.util.List<Staged> staged) throws IOException {
        if (staged.isEmpty()) {
            return;
        }
        Path dir = staged.get(0).tmp().toAbsolutePath().getParent();
        java.util.List<Path> files = staged.stream().map(Staged::tmp).toList();
        if (files.stream().allMatch(f -> f.toAbsolutePath().getParent().equals(dir))) {
            Flush.all(dir, files);
        } else {
            Flush.each(files);
        }
    }
}
