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
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SecureFiles() {
    }

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
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !replace) {
            throw new ExistsException(target);
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
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
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            return backup;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
