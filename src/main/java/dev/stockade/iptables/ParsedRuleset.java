package dev.stockade.iptables;

import dev.stockade.report.Diagnostic;
import java.util.List;

/** A ruleset that parsed, with the warnings found on the way (CRLF, trailing blanks...). */
public record ParsedRuleset(Ruleset ruleset, List<Diagnostic> warnings) {

    public ParsedRuleset {
        warnings = List.copyOf(warnings);
    }
}
