package dev.stockade.nftables;

import dev.stockade.report.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * An nftables ruleset that parsed, with the warnings found on the way: every statement, expression
 * or object Stockade does not model is named in one, located (it is also kept in the model as
 * {@link NftStatement.Other} or {@link NftExpr.Unknown}, so the analysis bounds it).
 */
public record ParsedNftRuleset(NftRuleset ruleset, List<Diagnostic> warnings) {

    public ParsedNftRuleset {
        Objects.requireNonNull(ruleset);
        warnings = List.copyOf(warnings);
    }
}
