package dev.stockade.analysis;

import dev.stockade.iptables.Rule;

/** A condition of a rule that the analysis could not model, and why; results that depend on it are bounds. */
public record Doubt(Rule rule, String condition, String reason) {

    /** {@code file:line:col} of the rule, or its chain when it has no position. */
    public String location() {
        return rule.span().map(Object::toString).orElse(rule.chain());
    }
}
