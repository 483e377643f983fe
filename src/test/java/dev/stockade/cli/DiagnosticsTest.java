package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    private static Diagnostic error(String file, String message) {
        return Diagnostic.error("X-BAD", new SourceSpan(file, 0, 0), message, "");
    }

    @Test
    void forEach_collectsTheProblemsOfEveryItem_inOrder() {
        InputException e = assertThrows(
                InputException.class,
                () -> Diagnostics.forEach(List.of("a", "ok", "b"), s -> {
                    if (s.equals("ok")) {
                        return 1;
                    }
                    throw new InputException(error(s, "bad " + s));
                }));
        assertEquals(
                List.of("bad a", "bad b"),
                e.diagnostics().stream().map(Diagnostic::message).toList());
    }

    @Test
    void forEach_noProblem_resultsInOrder() throws Exception {
        assertEquals(List.of(1, 2, 3), Diagnostics.forEach(List.of("a", "bb", "ccc"), String::length));
    }

    @Test
    void inputError_printsEachAndASummaryNamingTheFiles_exit2() {
        StringWriter err = new StringWriter();
        InputException e = new InputException(List.of(
                error("a.yaml", "one"),
                Diagnostic.warning("X-W", new SourceSpan("c.yaml", 0, 0), "just a warning", ""),
                error("b.rules", "two"),
                error("a.yaml", "three")));
        assertEquals(ExitCodes.BAD_INPUT, Diagnostics.inputError(new PrintWriter(err), e));
        assertEquals(
                "a.yaml: error: one [X-BAD]\n"
                        + "c.yaml: warning: just a warning [X-W]\n"
                        + "b.rules: error: two [X-BAD]\n"
                        + "a.yaml: error: three [X-BAD]\n"
                        + "stockade: 3 errors in a.yaml, b.rules; nothing was written\n",
                err.toString());
    }

    @Test
    void inputError_onlyWarnings_namesTheInput() {
        StringWriter err = new StringWriter();
        Diagnostics.inputError(
                new PrintWriter(err),
                new InputException(List.of(Diagnostic.warning("X-W", new SourceSpan("c", 0, 0), "w", ""))));
        assertEquals("c: warning: w [X-W]\nstockade: 0 errors in the input; nothing was written\n", err.toString());
    }
}
