package dev.stockade.nftables;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One side of an nftables match: what is looked at (a payload field, a meta or conntrack key) or
 * what it is compared with (a value, prefix, range, set). The shapes follow libnftables-json(5);
 * each writes itself in the syntax {@code nft list ruleset} prints and {@code nft -f} reads.
 */
public sealed interface NftExpr {

    /** Appends the expression in nft syntax. */
    void write(StringBuilder out);

    /** The expression in nft syntax. */
    default String text() {
        StringBuilder sb = new StringBuilder();
        write(sb);
        return sb.toString();
    }

    /** A header field: {@code ip saddr}, {@code ip6 daddr}, {@code tcp dport}, {@code th dport}, {@code icmpv6 type}. */
    record Payload(String protocol, String field) implements NftExpr {
        public Payload {
            Objects.requireNonNull(protocol);
            Objects.requireNonNull(field);
        }

        @Override
        public void write(StringBuilder out) {
            out.append(protocol).append(' ').append(field);
        }
    }

    /**
     * A meta key: {@code iifname}, {@code oifname}, {@code iif}, {@code l4proto}, {@code nfproto}...
     * {@code l4proto} and {@code nfproto} are written with their {@code meta} keyword, the interface
     * keys without it, as nft prints them.
     */
    record Meta(String key) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            if (key.startsWith("i") || key.startsWith("o")) {
                out.append(key);
            } else {
                out.append("meta ").append(key);
            }
        }
    }

    /** A conntrack key: {@code ct state}, {@code ct status}... */
    record Ct(String key) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            out.append("ct ").append(key);
        }
    }

    /**
     * A constant: an address, a number, a symbolic name ({@code established}, {@code echo-request})
     * or a string ({@code quoted}: interface names, written in double quotes).
     */
    record Value(String text, boolean quoted) implements NftExpr {
        private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_.:/-]+");

        public Value {
            Objects.requireNonNull(text);
            if (!quoted && !BARE.matcher(text).matches()) {
                throw new IllegalArgumentException("not a bare nft value: '" + text + "'");
            }
            if (quoted && (text.indexOf('"') >= 0 || text.indexOf('\n') >= 0)) {
                throw new IllegalArgumentException("a quoted nft value cannot hold '\"' or a newline");
            }
        }

        public static Value of(String text) {
            return new Value(text, false);
        }

        public static Value of(long number) {
            return new Value(Long.toString(number), false);
        }

        public static Value string(String text) {
            return new Value(text, true);
        }

        @Override
        public void write(StringBuilder out) {
            if (quoted) {
                out.append('"').append(text).append('"');
            } else {
                out.append(text);
            }
        }
    }

    /** {@code ADDRESS/LENGTH}. */
    record PrefixValue(String address, int length) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            out.append(address).append('/').append(length);
        }
    }

    /** {@code FROM-TO}, both ends included. */
    record Range(NftExpr from, NftExpr to) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            from.write(out);
            out.append('-');
            to.write(out);
        }
    }

    /** {@code @NAME}: a named set of the same table. */
    record SetRef(String name) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            out.append('@').append(name);
        }
    }

    /** {@code { A, B-C, D/N }}: an anonymous set. */
    record AnonSet(List<NftExpr> elements) implements NftExpr {
        public AnonSet {
            elements = List.copyOf(elements);
        }

        @Override
        public void write(StringBuilder out) {
            out.append("{ ");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                elements.get(i).write(out);
            }
            out.append(" }");
        }
    }

    /** An expression Stockade does not model, kept as its text so that reports can name it. */
    record Unknown(String text) implements NftExpr {
        @Override
        public void write(StringBuilder out) {
            out.append(text);
        }
    }
}
