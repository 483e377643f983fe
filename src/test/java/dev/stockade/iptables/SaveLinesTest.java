package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaveLinesTest {

    private final Problems problems = new Problems("f.rules");

    private List<String> codes() {
        return problems.all().stream().map(Diagnostic::code).toList();
    }

    @Test
    void split_numbersLinesAndStripsEndsAndTrailingBlanks() {
        List<SaveLines.Line> lines = SaveLines.split("*filter\n:INPUT ACCEPT [0:0]  \n\nCOMMIT\n", problems);
        assertEquals(
                List.of(
                        new SaveLines.Line(1, "*filter"),
                        new SaveLines.Line(2, ":INPUT ACCEPT [0:0]"),
                        new SaveLines.Line(3, ""),
                        new SaveLines.Line(4, "COMMIT")),
                lines);
        assertEquals(List.of("IPT-TRAILING-SPACE"), codes());
        assertEquals(2, problems.all().get(0).span().line());
    }

    @Test
    void split_crOnRuleLine_rejectedWarningAtFirstSuchLine() {
        SaveLines.split("# c\r\n*filter\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n", problems);
        assertEquals(List.of("IPT-CRLF"), codes());
        Diagnostic d = problems.all().get(0);
        assertEquals(3, d.span().line());
        assertTrue(d.message().startsWith("3 lines end in CRLF: iptables-restore rejects"), d.message());
    }

    @Test
    void split_crOnlyOnCommentAndChainLines_tolerated() {
        SaveLines.split("# c\r\n*filter\n:INPUT ACCEPT [0:0]\r\nCOMMIT\n", problems);
        Diagnostic d = problems.all().get(0);
        assertEquals(1, d.span().line());
        assertTrue(d.message().contains("all comment or chain lines, which iptables-restore accepts"), d.message());
    }

    @Test
    void split_noFinalNewline_warnedAtLastLine() {
        List<SaveLines.Line> lines = SaveLines.split("*filter\nCOMMIT", problems);
        assertEquals(2, lines.size());
        assertEquals(List.of("IPT-NO-NEWLINE"), codes());
        assertEquals(2, problems.all().get(0).span().line());
        Problems empty = new Problems("e");
        assertEquals(List.of(new SaveLines.Line(1, "")), SaveLines.split("", empty));
        assertEquals(List.of(), empty.all(), "an empty file needs no final newline");
    }

    @Test
    void split_onlyBlanksOnALine_notATrailingBlankWarning() {
        SaveLines.split("*filter\n   \nCOMMIT\n", problems);
        assertEquals(List.of(), codes());
    }
}
