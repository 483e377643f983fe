package dev.stockade.nftables;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;

/** The diagnostics found in one file, in the order found; the parsers keep going after an error. */
final class Problems {

    private final String file;
    private final List<Diagnostic> all = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    SourceSpan at(int line, int column) {
        return new SourceSpan(file, line, column);
    }

    void error(SourceSpan at, String code, String message, String hint) {
        all.add(Diagnostic.error(code, at, message, hint));
    }

    void warn(SourceSpan at, String code, String message, String hint) {
        all.add(Diagnostic.warning(code, at, message, hint));
    }

    boolean hasErrors() {
        return all.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Throws every error found, if there is one. */
    void throwErrors() throws InputException {
        if (hasErrors()) {
            throw new InputException(
                    all.stream().filter(d -> d.severity() == Severity.ERROR).toList());
        }
    }

    List<Diagnostic> all() {
        return List.copyOf(all);
    }
}
