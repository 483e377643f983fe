package dev.stockade.iptables;

import dev.stockade.report.Problems;
import java.util.ArrayList;
import java.util.List;

/**
 * The line level of an iptables-save file: the text split into numbered lines without their line
 * ends and trailing blanks, and the warnings about those ends (CR, blanks, no final newline).
 *
 * <p>CR line ends: iptables-restore 1.8.9 (nf_tables) rejects a table, rule, COMMIT or blank line
 * that ends in CR ({@code table name 'filter' invalid}, {@code Bad argument}, an invalid target
 * name...), and accepts comment and chain lines that do. A file with such lines cannot be loaded
 * as it is, but what it says is clear, so it is read as if the ends were plain newlines and the
 * warning tells what the tool does and how to convert the file.
 */
final class SaveLines {

    /** One line: its 1-based number and its text without line end and trailing blanks. */
    record Line(int number, String text) {}

    private SaveLines() {}

    static List<Line> split(String text, Problems problems) {
        String[] all = text.split("\n", -1);
        int count = text.endsWith("\n") ? all.length - 1 : all.length;
        List<Line> out = new ArrayList<>(count);
        int crRejected = 0;
        int crTolerated = 0;
        int firstRejected = 0;
        int firstTolerated = 0;
        int trailing = 0;
        int firstTrailing = 0;
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            String l = all[i];
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
                if (crTolerated(l)) {
                    firstTolerated = crTolerated++ == 0 ? number : firstTolerated;
                } else {
                    firstRejected = crRejected++ == 0 ? number : firstRejected;
                }
            }
            String stripped = l.stripTrailing();
            if (stripped.length() != l.length() && !stripped.isEmpty()) {
                firstTrailing = trailing++ == 0 ? number : firstTrailing;
            }
            out.add(new Line(number, stripped));
        }
        crWarning(problems, crRejected, firstRejected, crTolerated, firstTolerated);
        if (trailing > 0) {
            problems.warn(
                    problems.at(firstTrailing, 1),
                    "IPT-TRAILING-SPACE",
                    trailing + (trailing == 1 ? " line ends" : " lines end") + " in blanks",
                    "iptables-restore accepts them");
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            problems.warn(
                    problems.at(count, 1),
                    "IPT-NO-NEWLINE",
                    "the file does not end with a newline",
                    "iptables-restore accepts it");
        }
        return out;
    }

    /** Comment and chain lines are the ones iptables-restore reads correctly with a CR at the end. */
    private static boolean crTolerated(String line) {
        String t = line.stripLeading();
        return t.startsWith("#") || t.startsWith(":");
    }

    private static void crWarning(
            Problems problems, int rejected, int firstRejected, int tolerated, int firstTolerated) {
        int total = rejected + tolerated;
        String lines = total == 1 ? "1 line ends" : total + " lines end";
        if (rejected > 0) {
            problems.warn(
                    problems.at(firstRejected, 1),
                    "IPT-CRLF",
                    lines + " in CRLF: iptables-restore rejects this file as it is (first at this line; "
                            + "e.g. \"table name 'filter' invalid\"); Stockade reads the lines without the CR",
                    "convert the line ends before loading it: dos2unix FILE, or sed -i 's/\\r$//' FILE");
        } else if (tolerated > 0) {
            problems.warn(
                    problems.at(firstTolerated, 1),
                    "IPT-CRLF",
                    lines + " in CRLF, all comment or chain lines, which iptables-restore accepts",
                    "convert with dos2unix for tidiness: a CR on any other line makes iptables-restore fail");
        }
    }
}
