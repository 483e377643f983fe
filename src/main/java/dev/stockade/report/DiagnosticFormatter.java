package dev.stockade.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders diagnostics the way compilers do: the location line, the offending source line with a
 * caret under the column, then the hint. Source lines are read lazily, once per file, and only
 * for display; a file that cannot be read again is simply shown without an excerpt.
 */
public final class DiagnosticFormatter {

    private final Map<String, List<String>> sources = new HashMap<>();

    public String format(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.span())
                .append(": ")
                .append(d.severity().label())
                .append(": ")
                .append(d.message())
                .append(" [")
                .append(d.code())
                .append("]\n");
        String line = sourceLine(d.span());
        if (line != null) {
            String number = Integer.toString(d.span().line());
            String gutter = " ".repeat(number.length());
            sb.append(' ').append(number).append(" | ").append(line).append('\n');
            sb.append(' ')
                    .append(gutter)
                    .append(" | ")
                    .append(caretPadding(line, d.span().column()))
                    .append("^\n");
        }
        if (!d.hint().isEmpty()) {
            sb.append("  hint: ").append(d.hint()).append('\n');
        }
        return sb.toString();
    }

    private String sourceLine(SourceSpan span) {
        if (!span.hasPosition()) {
            return null;
        }
        List<String> lines = sources.computeIfAbsent(span.file(), DiagnosticFormatter::readQuietly);
        if (span.line() > lines.size()) {
            return null;
        }
        String line = lines.get(span.line() - 1);
        return line.length() > 200 ? null : line;
    }

    /** Keeps tabs so the caret lines up under tab-indented text. */
    private static String caretPadding(String line, int column) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < column - 1 && i < line.length(); i++) {
            pad.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return pad.toString();
    }

    private static List<String> readQuietly(String file) {
        try {
            Path p = Path.of(file);
            if (!Files.isRegularFile(p) || Files.size(p) > 8 * 1024 * 1024) {
                return List.of();
            }
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
