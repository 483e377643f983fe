package dev.stockade.report;

import java.util.Objects;

/** Where something came from: a file and a 1-based line and column (0 when unknown). */
public record SourceSpan(String file, int line, int column) {

    public SourceSpan {
        Objects.requireNonNull(file, "file");
    }

    /**
     * A span for a problem with the file as a whole (unreadable, a directory...). It points at 1:1
     * so that every message keeps the {@code file:line:col:} shape editors and CI annotators parse.
     */
    public static SourceSpan ofFile(String file) {
        return new SourceSpan(file, 1, 1);
    }

    public boolean hasPosition() {
        return line > 0;
    }

    /** {@code file:line:col}, or just {@code file} when there is no position. */
    @Override
    public String toString() {
        return hasPosition() ? file + ":" + line + ":" + Math.max(column, 1) : file;
    }
}
