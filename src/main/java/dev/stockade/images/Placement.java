package dev.stockade.images;

import dev.stockade.report.SourceSpan;

/**
 * Where a text that a file embeds sits in that file, so that a reference found in the text can be
 * named at the file's own line and column: the file itself, a JSON string (Ignition's unit
 * contents, with escapes), a YAML literal block (cloud-config's unit contents), or somewhere we
 * cannot map character by character (a base64 or percent-encoded data URL).
 */
sealed interface Placement {

    /** The file offset of the text's {@code offset}, or -1 when it is not known. */
    int fileOffset(int offset);

    /** Where to point when the offset is not known. */
    SourceSpan fallback();

    /** The text is the file. */
    record Whole(String file) implements Placement {
        @Override
        public int fileOffset(int offset) {
            return offset;
        }

        @Override
        public SourceSpan fallback() {
            return SourceSpan.ofFile(file);
        }
    }

    /** The text is encoded in the file: everything in it is at {@code at}. */
    record Opaque(SourceSpan at) implements Placement {
        @Override
        public int fileOffset(int offset) {
            return -1;
        }

        @Override
        public SourceSpan fallback() {
            return at;
        }
    }

    /**
     * The text is a JSON string whose opening quote is at {@code quote} in the file: escapes make
     * the text shorter than the file's characters, so the map walks them.
     */
    record JsonString(FileText file, int quote, SourceSpan at) implements Placement {
        @Override
        public int fileOffset(int offset) {
            String raw = file.text();
            if (quote < 0 || quote >= raw.length() || raw.charAt(quote) != '"') {
                return -1;
            }
            int decoded = 0;
            int i = quote + 1;
            while (i < raw.length() && raw.charAt(i) != '"') {
                if (decoded == offset) {
                    return i;
                }
                if (raw.charAt(i) == '\\') {
                    i += i + 1 < raw.length() && raw.charAt(i + 1) == 'u' ? 6 : 2;
                } else {
                    i++;
                }
                decoded++;
            }
            return -1;
        }

        @Override
        public SourceSpan fallback() {
            return at;
        }
    }

    /**
     * The text is a YAML literal block whose first line is the file's line {@code firstLine}, each
     * line indented by {@code indent} characters.
     */
    record Block(FileText file, int firstLine, int indent, SourceSpan at) implements Placement {
        @Override
        public int fileOffset(int offset) {
            int line = 0;
            int column = offset;
            String text = file.text();
            // the text's lines are the file's lines from firstLine on, less the indentation
            int start = file.lineStart(firstLine);
            if (start < 0) {
                return -1;
            }
            int pos = start;
            while (true) {
                int end = text.indexOf('\n', pos);
                int contentLength = Math.max(0, (end < 0 ? text.length() : end) - pos - indent);
                if (column <= contentLength) {
                    return pos + indent + column;
                }
                if (end < 0) {
                    return -1;
                }
                column -= contentLength + 1;
                pos = end + 1;
                line++;
                if (line > 1_000_000) {
                    return -1;
                }
            }
        }

        @Override
        public SourceSpan fallback() {
            return at;
        }
    }
}
