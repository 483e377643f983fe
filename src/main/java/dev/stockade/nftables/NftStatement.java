package dev.stockade.nftables;

import java.util.Objects;
import java.util.Optional;

/** One statement of an nftables rule: a match, a verdict, or something that only observes or acts. */
public sealed interface NftStatement {

    /** Appends the statement in nft syntax. */
    void write(StringBuilder out);

    /** The statement in nft syntax. */
    default String text() {
        StringBuilder sb = new StringBuilder();
        write(sb);
        return sb.toString();
    }

    /**
     * {@code LEFT [OP] RIGHT}. {@code op} is {@code ==} (written as nothing, the implicit test,
     * which for a set or prefix on the right means membership), {@code !=}, {@code <}, {@code >},
     * {@code <=} or {@code >=}.
     */
    record Match(NftExpr left, String op, NftExpr right) implements NftStatement {
        public Match {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
            switch (op) {
                case "==":
                case "!=":
                case "<":
                case ">":
                case "<=":
                case ">=":
                    break;
                default:
                    throw new IllegalArgumentException("unknown nft operator: '" + op + "'");
            }
        }

        public static Match eq(NftExpr left, NftExpr right) {
            return new Match(left, "==", right);
        }

        @Override
        public void write(StringBuilder out) {
            left.write(out);
            out.append(' ');
            if (!op.equals("==")) {
                out.append(op).append(' ');
            }
            right.write(out);
        }
    }

    /**
     * A verdict: {@code accept}, {@code drop}, {@code reject}, {@code return}, {@code continue},
     * {@code queue}, {@code jump CHAIN} or {@code goto CHAIN}. {@code argument} is the chain of a
     * jump or goto and what follows {@code reject} ({@code with icmpx type admin-prohibited}).
     */
    record Verdict(String kind, Optional<String> argument) implements NftStatement {
        public Verdict {
            switch (kind) {
                case "accept":
                case "drop":
                case "return":
                case "continue":
                case "queue":
                    if (argument.isPresent()) {
                        throw new IllegalArgumentException(kind + " takes no argument");
                    }
                    break;
                case "reject":
                    break;
                case "jump":
                case "goto":
                    if (argument.isEmpty()) {
                        throw new IllegalArgumentException(kind + " needs a chain");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown nft verdict: '" + kind + "'");
            }
        }

        public static Verdict of(String kind) {
            return new Verdict(kind, Optional.empty());
        }

        public static Verdict jump(String chain) {
            return new Verdict("jump", Optional.of(chain));
        }

        @Override
        public void write(StringBuilder out) {
            out.append(kind);
            argument.ifPresent(a -> out.append(' ').append(a));
        }
    }

    /** {@code counter}: only counts. */
    record Counter() implements NftStatement {
        @Override
        public void write(StringBuilder out) {
            out.append("counter");
        }
    }

    /** {@code log [prefix "..."]}: only logs. */
    record Log(Optional<String> prefix) implements NftStatement {
        @Override
        public void write(StringBuilder out) {
            out.append("log");
            prefix.ifPresent(p -> out.append(" prefix \"").append(p).append('"'));
        }
    }

    /** A statement Stockade does not model (limit, meta mark set, nat...), kept as its text. */
    record Other(String text) implements NftStatement {
        @Override
        public void write(StringBuilder out) {
            out.append(text);
        }
    }
}
