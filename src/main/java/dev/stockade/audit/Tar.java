package dev.stockade.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the regular files of a POSIX (ustar) or GNU tar stream, as {@code tar -cf} writes it:
 * 512-byte headers with the name, an octal size and a type, then the data padded to 512 bytes,
 * and two zero blocks at the end. Links, directories and extended headers are skipped.
 */
final class Tar {

    private Tar() {}

    /** The stream is not a tar archive. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    /** The regular files add up to more than the limit. */
    static final class TooBigException extends Exception {
        private static final long serialVersionUID = 1L;

        TooBigException() {
            super("too big");
        }
    }

    interface Entry {
        void accept(String name, byte[] data);
    }

    static void read(InputStream in, long maxBytes, Entry entry) throws IOException, FormatException, TooBigException {
        long total = 0;
        byte[] header = new byte[512];
        int blocks = 0;
        while (true) {
            if (in.readNBytes(header, 0, 512) < 512) {
                if (blocks == 0) {
                    throw new FormatException("it is shorter than one tar header");
                }
                return; // archives written without the two final zero blocks still count
            }
            blocks++;
            if (allZero(header)) {
                return;
            }
            if (!checksumMatches(header)) {
                throw new FormatException("header " + blocks + " has a wrong checksum (not a tar file?)");
            }
            String name = text(header, 0, 100);
            String prefix =
                    new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar") ? text(header, 345, 155) : "";
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            long padded = (size + 511) / 512 * 512;
            if (type == '0' || type == '\0') {
                total += size;
                if (total > maxBytes || size > Integer.MAX_VALUE - 8) {
                    throw new TooBigException();
                }
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    throw new FormatException(name + " is cut short");
                }
                in.skipNBytes(padded - size);
                entry.accept(name, data);
            } else {
                in.skipNBytes(padded);
            }
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: the sum of its bytes with the checksum field read as spaces. */
    private static boolean checksumMatches(byte[] h) throws FormatException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum == stored;
    }

    private static String text(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int from, int length) throws FormatException {
        long v = 0;
        boolean digits = false;
        for (int i = from; i < from + length; i++) {
            int c = b[i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                digits = true;
            } else if (c == 0 || c == ' ') {
                if (digits) {
                    break;
                }
            } else {
                throw new FormatException("a header field is not an octal number");
            }
        }
        return v;
    }
}
