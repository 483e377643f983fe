package dev.stockade.nftables;

import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * One rule of a chain: its statements in order and its comment. {@code span} is where it came
 * from (a line of an nft file, an element of a JSON dump); generated rules have none.
 */
public record NftRule(List<NftStatement> statements, Optional<String> comment, Optional<SourceSpan> span) {

    public NftRule {
        statements = List.copyOf(statements);
        comment.ifPresent(c -> {
            if (c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("an nft comment cannot hold '\"' or a newline");
            }
        });
    }

    public static NftRule of(List<NftStatement> statements, String comment) {
        return new NftRule(statements, Optional.of(comment), Optional.empty());
    }

    /** The rule as {@code nft list ruleset} prints it, without indentation or newline. */
    public String text() {
        StringBuilder sb = new StringBuilder(96);
        for (NftStatement s : statements) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            s.write(sb);
        }
        comment.ifPresent(c -> sb.append(" comment \"").append(c).append('"'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
