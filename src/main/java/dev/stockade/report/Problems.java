package dev.stockade.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The diagnostics found in one file, in the order found: a parser records every problem and keeps
 * going, then throws all errors together (the iptables and nftables parsers share it).
 */
public final class Problems {

    private final String file;
    private final List<Diagnostic> all = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public SourceSpan at(int line, int column) {
        return new SourceSpan(file, line, column);
    }

    public void error(SourceSpan at, String code, String message, String hint) {
        all.add(Diagnostic.error(code, at, message, hint));
    }

    public void warn(SourceSpan at, String code, String message, String hint) {
        all.add(Diagnostic.warning(code, at, message, hint));
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Throws every error found, if there is one. */
    public void throwErrors() throws InputException {
        if (hasErrors()) {
            throw new InputException(
                    all.stream().filter(d -> d.severity() == Severity.ERROR).toList());
        }
    }

    public List<Diagnostic> all() {
        return List.copyOf(all);
    }
}
