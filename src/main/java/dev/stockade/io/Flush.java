package dev.stockade.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Making written data durable before it is renamed into place. Many files are flushed with one
 * syncfs(2) of their file system (through coreutils' {@code sync -f}), which costs about as much
 * as a single fsync; where that cannot run, each file gets its own fsync.
 */
final class Flush {

    private static final String[] SYNC = {"/usr/bin/sync", "/bin/sync"};

    private Flush() {}

    /** Flushes {@code files}, all on the file system holding {@code dir}. */
    static void all(Path dir, Collection<Path> files) throws IOException {
        if (!files.isEmpty() && !fileSystem(dir)) {
            each(files);
        }
    }

    /** Flushes each of {@code files} with its own fsync. */
    static void each(Collection<Path> files) throws IOException {
        for (Path file : files) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    /** Flushes a directory's entries; not every file system allows it, and renames stay atomic regardless. */
    static void directory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // nothing to do: the rename is atomic, only its durability waits for the next flush
        }
    }

    /** One syncfs of the file system holding {@code dir}; false when it could not be done. */
    private static boolean fileSystem(Path dir) {
        for (String sync : SYNC) {
            if (!Files.isExecutable(Path.of(sync))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(sync, "-f", dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor(120, TimeUnit.SECONDS)) {
                    return p.exitValue() == 0;
                }
                p.destroyForcibly();
                return false;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
