package dev.stockade.images;

import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/** A file's text with its line starts, to turn character offsets into lines and columns and back. */
record FileText(String file, String text, int[] lineStarts) {

    static FileText of(String file, String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return new FileText(
                file, text, starts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The 1-based line and column of an offset. */
    SourceSpan span(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new SourceSpan(file, lo + 1, offset - lineStarts[lo] + 1);
    }

    /** The offset of a 1-based line's first character, -1 past the end. */
    int lineStart(int line) {
        return line >= 1 && line <= lineStarts.length ? lineStarts[line - 1] : -1;
    }

    /** The offset of a span's line and column, -1 when outside the text. */
    int offset(SourceSpan at) {
        int start = lineStart(at.line());
        return start < 0 ? -1 : start + Math.max(at.column(), 1) - 1;
    }
}
