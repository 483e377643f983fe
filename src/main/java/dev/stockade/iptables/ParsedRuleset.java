package dev.stockade.iptables;

import dev.stockade.report.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * A ruleset that parsed, with the warnings found on the way (CRLF, trailing blanks, unresolved
 * host names...) and how its family was decided ({@code family.family()} is
 * {@code ruleset.family()}).
 */
public record ParsedRuleset(Ruleset ruleset, List<Diagnostic> warnings, FamilyEvidence family) {

    public ParsedRuleset {
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(family, "family");
        if (family.family() != ruleset.family()) {
            throw new IllegalArgumentException(
                    "family evidence for " + family.family() + " on an " + ruleset.family() + " ruleset");
        }
    }
}
