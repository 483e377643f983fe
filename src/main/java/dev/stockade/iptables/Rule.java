package dev.stockade.iptables;

import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * One {@code -A CHAIN ...} line: its matches in order and its target (a rule without a target only
 * counts packets). {@code span} is where it came from; generated rules have none.
 */
public record Rule(
        String chain,
        List<Match> matches,
        Optional<Target> target,
        Optional<Counters> counters,
        Optional<SourceSpan> span) {

    public Rule {
        matches = List.copyOf(matches);
    }

    public static Rule of(String chain, List<Match> matches, Target target) {
        return new Rule(chain, matches, Optional.of(target), Optional.empty(), Optional.empty());
    }

    /** The rule as iptables-save prints it (without counters), without a newline. */
    public String toSaveLine() {
        StringBuilder sb = new StringBuilder(96).append("-A ").append(chain);
        for (Match m : matches) {
            m.write(sb);
        }
        target.ifPresent(t -> t.write(sb));
        return sb.toString();
    }

    /** The same rule without its source position and counters, for comparing content. */
    public Rule withoutOrigin() {
        return new Rule(chain, matches, target, Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return toSaveLine();
    }
}
