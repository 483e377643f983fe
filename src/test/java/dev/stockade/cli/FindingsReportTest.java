package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingsReportTest {

    private static Finding finding(Severity s, String hint) {
        return new Finding("FW-X", s, "r.rules", Optional.of(new SourceSpan("r.rules", 3, 1)), "something", hint);
    }

    @Test
    void count_perSeverityMostSevereFirst_pluralsRight() {
        assertEquals("1 finding: 1 warning.", FindingsReport.count(List.of(finding(Severity.WARNING, ""))));
        assertEquals(
                "4 findings: 1 error, 2 warnings, 1 note.",
                FindingsReport.count(List.of(
                        finding(Severity.NOTE, ""),
                        finding(Severity.WARNING, ""),
                        finding(Severity.ERROR, ""),
                        finding(Severity.WARNING, ""))));
        assertEquals("0 findings.", FindingsReport.count(List.of()));
    }

    @Test
    void print_eachFindingAndItsHint() {
        StringWriter w = new StringWriter();
        Finding withHint = finding(Severity.ERROR, "fix it");
        FindingsReport.print(new PrintWriter(w), List.of(withHint, finding(Severity.NOTE, "")));
        List<String> lines = w.toString().lines().toList();
        assertEquals(3, lines.size(), w::toString);
        assertEquals(withHint.toString(), lines.get(0));
        assertEquals("  hint: fix it", lines.get(1));
    }

    @Test
    void printWithSummary_allClearOrCountAtTheEnd() {
        StringWriter clear = new StringWriter();
        FindingsReport.printWithSummary(new PrintWriter(clear), List.of(), "No findings.");
        assertEquals("No findings.\n", clear.toString());
        StringWriter some = new StringWriter();
        FindingsReport.printWithSummary(new PrintWriter(some), List.of(finding(Severity.WARNING, "")), "unused");
        assertEquals(finding(Severity.WARNING, "") + "\n1 finding: 1 warning.\n", some.toString());
    }
}
