package dev.stockade.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * The line level of an iptables-save file: the text split into numbered lines without their line
 * ends and trailing blanks, and the warnings about those ends (CR, blanks, no final newline).
 *
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

    private static void crWarning(
            Problems problems, int rejected, int firstRejected, int tolerated, int firstTolerated) {
        int total = rejected + tolerated;
        if (total > 0) {
            problems.warn(
                    problems.at(
                            Math.min(
                                    firstRejected == 0 ? Integer.MAX_VALUE : firstRejected,
                                    firstTolerated == 0 ? Integer.MAX_VALUE : firstTolerated),
                            1),
                    "IPT-CRLF",
                    total + " lines end in CRLF",
                    "iptables-restore accepts them; convert with dos2unix for tidiness");
        }
    }

    private static boolean crTolerated(String line) {
        return false;
    }
}
