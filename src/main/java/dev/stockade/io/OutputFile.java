package dev.stockade.io;

import java.nio.charset.StandardCharsets;

/** A file to write: its bytes and permission bits (e.g. 0600). Never printed in full. */
public record OutputFile(byte[] bytes, int mode) {

    public static OutputFile text(String text, int mode) {
        return new OutputFile(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Override
    public String toString() {
        return "OutputFile[" + bytes.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
