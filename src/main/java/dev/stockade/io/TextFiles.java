package dev.stockade.io;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a user's input file as UTF-8 text, turning every way that can fail (missing, a directory,
 * unreadable, too large, not UTF-8) into an {@link InputException} with {@code PREFIX-READ} and a hint.
 */
public final class TextFiles {

    private TextFiles() {}

    public static String read(Path path, String codePrefix, long maxBytes) throws InputException {
        String file = path.toString();
        SourceSpan where = SourceSpan.ofFile(file);
        String code = codePrefix + "-READ";
        try {
            if (Files.isDirectory(path)) {
                throw new InputException(
                        Diagnostic.error(code, where, "is a directory, not a file", "name the file itself"));
            }
            if (Files.size(path) > maxBytes) {
                throw new InputException(Diagnostic.error(
                        code, where, "is larger than " + (maxBytes >> 20) + " MiB", "is this the right file?"));
            }
            return decode(file, code, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new InputException(Diagnostic.error(code, where, "no such file", "check the path"));
        } catch (AccessDeniedException e) {
            throw new InputException(Diagnostic.error(
                    code,
                    where,
                    "cannot read: permission denied",
                    "make the file readable by this user (e.g. chmod 0644) or run as its owner"));
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw new InputException(Diagnostic.error(code, where, "cannot read: " + reason, "check the path"));
        } catch (IOException e) {
            throw new InputException(Diagnostic.error(code, where, "cannot read: " + IoErrors.describe(e), ""));
        }
    }

    /** Standard input (or any stream) as UTF-8 text, at most {@code maxBytes}; {@code name} is what errors call it. */
    public static String read(java.io.InputStream in, String name, String codePrefix, long maxBytes)
            throws InputException {
        String code = codePrefix + "-READ";
        try {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new InputException(Diagnostic.error(
                        code, SourceSpan.ofFile(name), "is larger than " + (maxBytes >> 20) + " MiB", ""));
            }
            return decode(name, code, bytes);
        } catch (IOException e) {
            throw new InputException(
                    Diagnostic.error(code, SourceSpan.ofFile(name), "cannot read: " + IoErrors.describe(e), ""));
        }
    }

    private static String decode(String file, String code, byte[] bytes) throws InputException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalid(bytes);
            int line = 1;
            int col = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    col = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    col++;
                }
            }
            throw new InputException(Diagnostic.error(
                    code,
                    new SourceSpan(file, line, col),
                    "not valid UTF-8 text",
                    "save it as UTF-8; is this a binary file?"));
        }
    }

    /** Index of the first byte that starts an invalid UTF-8 sequence. */
    private static int firstInvalid(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n = c < 0x80
                    ? 0
                    : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5 ? 3 : -1;
            if (n < 0) {
                return i;
            }
            for (int k = 1; k <= n; k++) {
                if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += n + 1;
        }
        return Math.max(0, b.length - 1);
    }
}
