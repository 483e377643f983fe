package dev.stockade.nftables;

import dev.stockade.nftables.NftTokenizer.Token;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the statements of one rule from its tokens (line ends already removed): matches of a
 * payload field, meta or ct key against a value, prefix, range, set reference, anonymous set or
 * comma list; verdicts; {@code counter}, {@code log} and the rule's {@code comment}. Anything else
 * ({@code limit}, {@code meta mark set}, {@code vmap}, NAT, concatenations, bit operations...)
 * becomes an {@link NftStatement.Other} holding its text, with a warning naming it.
 */
final class NftRuleReader {

    /** Protocols whose header fields are matched as {@code PROTOCOL FIELD}. */
    static final Set<String> PAYLOADS = Set.of(
            "ip", "ip6", "tcp", "udp", "udplite", "th", "icmp", "icmpv6", "sctp", "dccp", "ah", "esp", "comp", "ether",
            "vlan", "arp", "igmp");

    /** Meta keys nft accepts without {@code meta} in front. */
    static final Set<String> BARE_META = Set.of(
            "iif",
            "oif",
            "iifname",
            "oifname",
            "iiftype",
            "oiftype",
            "iifgroup",
            "oifgroup",
            "mark",
            "skuid",
            "skgid",
            "rtclassid",
            "pkttype",
            "cpu",
            "cgroup",
            "ibrname",
            "obrname",
            "ibriport",
            "obriport");

    static final Set<String> VERDICTS =
            Set.of("accept", "drop", "reject", "return", "continue", "queue", "jump", "goto");

    private static final Set<String> STOPS = Set.of(
            "accept", "drop", "reject", "return", "continue", "queue", "jump", "goto", "counter", "log", "comment");

    /** What may follow an expression and makes it one this reader does not model: maps, concatenations, bit operations. */
    private static final Set<String> CONTINUATIONS = Set.of("set", "map", "vmap", ".", "&", "|", "^", "<<", ">>");

    private static final Set<String> OPERATORS = Set.of("==", "!=", "<", ">", "<=", ">=");

    private final List<Token> tokens;
    private final Problems problems;
    private final List<NftStatement> statements = new ArrayList<>();
    private Optional<String> comment = Optional.empty();
    private int i;

    private NftRuleReader(List<Token> tokens, Problems problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    /** The rule the tokens (not empty) make, located at its first token. */
    static NftRule read(List<Token> tokens, Problems problems) {
        NftRuleReader r = new NftRuleReader(tokens, problems);
        r.statements();
        Token first = tokens.get(0);
        SourceSpan span = problems.at(first.line(), first.column());
        return new NftRule(r.statements, r.comment, Optional.of(span));
    }

    private Token peek(int k) {
        return i + k < tokens.size() ? tokens.get(i + k) : null;
    }

    private boolean peekIs(int k, String text) {
        Token t = peek(k);
        return t != null && t.is(text);
    }

    private void statements() {
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is("comment") && peek(1) != null && peek(1).kind() == NftTokenizer.Kind.STRING) {
                comment = Optional.of(peek(1).text());
                i += 2;
            } else if (t.isWord() && VERDICTS.contains(t.text())) {
                verdict(t);
            } else if (t.is("counter")) {
                counter();
            } else if (t.is("log")) {
                log();
            } else if (t.isWord()
                    && (PAYLOADS.contains(t.text())
                            || BARE_META.contains(t.text())
                            || t.text().equals("meta")
                            || t.text().equals("ct"))) {
                match();
            } else {
                other(i, i + 1, true);
            }
        }
    }

    private void verdict(Token t) {
        String kind = t.text();
        i++;
        if (kind.equals("jump") || kind.equals("goto")) {
            Token target = peek(0);
            if (target == null || (!target.isWord() && target.kind() != NftTokenizer.Kind.STRING)) {
                other(i - 1, i, false);
                return;
            }
            statements.add(new NftStatement.Verdict(kind, Optional.of(target.text())));
            i++;
            return;
        }
        if (kind.equals("reject") && peekIs(0, "with")) {
            int start = i;
            while (i < tokens.size()
                    && !isCommentAt(i)
                    && !(tokens.get(i).isWord() && STOPS.contains(tokens.get(i).text()))) {
                i++;
            }
            statements.add(new NftStatement.Verdict("reject", Optional.of(join(start, i))));
            return;
        }
        if (kind.equals("queue") && i < tokens.size() && !isCommentAt(i)) {
            other(i - 1, i, false);
            return;
        }
        statements.add(NftStatement.Verdict.of(kind));
    }

    private boolean isCommentAt(int k) {
        return tokens.get(k).is("comment")
                && k + 1 < tokens.size()
                && tokens.get(k + 1).kind() == NftTokenizer.Kind.STRING;
    }

    /** {@code counter} or {@code counter packets N bytes N}; a named counter is another statement. */
    private void counter() {
        int start = i;
        i++;
        if (peekIs(0, "packets") && peekIs(2, "bytes")) {
            i += 4;
        } else if (peekIs(0, "name")) {
            other(start, i + 2, false);
            return;
        }
        if (i > tokens.size()) {
            i = tokens.size();
        }
        statements.add(new NftStatement.Counter());
    }

    /** {@code log} or {@code log prefix "..."}; log with other options is kept as written (it only observes). */
    private void log() {
        int start = i;
        i++;
        Optional<String> prefix = Optional.empty();
        boolean plain = true;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is("prefix") && peek(1) != null && peek(1).kind() == NftTokenizer.Kind.STRING) {
                prefix = Optional.of(peek(1).text());
                i += 2;
            } else if (t.isWord()
                    && Set.of("level", "group", "snaplen", "queue-threshold", "flags")
                            .contains(t.text())) {
                plain = false;
                i += 2;
                while (peekIs(0, ",")) {
                    i += 2;
                }
            } else {
                break;
            }
        }
        i = Math.min(i, tokens.size());
        if (plain && prefix.map(p -> p.indexOf('"') < 0).orElse(true)) {
            statements.add(new NftStatement.Log(prefix));
        } else {
            statements.add(new NftStatement.Other(join(start, i)));
        }
    }

    /** {@code LEFT [OP] RIGHT}; anything it cannot read becomes an Other up to the next verdict. */
    private void match() {
        int start = i;
        Token t = tokens.get(i);
        NftExpr left;
        if (t.is("meta") || t.is("ct")) {
            Token key = peek(1);
            if (key == null || !key.isWord()) {
                other(start, i + 1, false);
                return;
            }
            left = t.is("meta") ? new NftExpr.Meta(key.text()) : new NftExpr.Ct(key.text());
            i += 2;
        } else if (BARE_META.contains(t.text())) {
            left = new NftExpr.Meta(t.text());
            i++;
        } else {
            Token field = peek(1);
            if (field == null
                    || !field.isWord()
                    || !field.text().chars().allMatch(c -> c >= 'a' && c <= 'z' || c == '-')) {
                other(start, i + 1, false);
                return;
            }
            left = new NftExpr.Payload(t.text(), field.text());
            i += 2;
        }
        Token next = peek(0);
        if (next == null) {
            other(start, i, false);
            return;
        }
        if (next.kind() != NftTokenizer.Kind.STRING && CONTINUATIONS.contains(next.text())) {
            other(start, i + 1, false);
            return;
        }
        String op = "==";
        if (next.kind() == NftTokenizer.Kind.PUNCT && OPERATORS.contains(next.text())) {
            op = next.text();
            i++;
        } else if (next.isWord() && Set.of("eq", "ne", "lt", "gt", "le", "ge").contains(next.text())) {
            op = symbol(next.text());
            i++;
        }
        Optional<NftExpr> right = right();
        if (right.isEmpty()) {
            other(start, i + 1, false);
            return;
        }
        statements.add(new NftStatement.Match(left, op, right.get()));
    }

    private static String symbol(String word) {
        switch (word) {
            case "eq":
                return "==";
            case "ne":
                return "!=";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "le":
                return "<=";
            default:
                return ">=";
        }
    }

    /** The right side: a set reference, an anonymous set, a value or a comma list of values. */
    private Optional<NftExpr> right() {
        Token t = peek(0);
        if (t == null) {
            return Optional.empty();
        }
        if (t.is("{")) {
            int save = i;
            i++;
            List<NftExpr> elements = new ArrayList<>();
            while (true) {
                Optional<NftExpr> e = element(peek(0));
                if (e.isEmpty()) {
                    i = save;
                    return Optional.empty();
                }
                elements.add(e.get());
                i++;
                if (peekIs(0, ",")) {
                    i++;
                    if (peekIs(0, "}")) {
                        i++;
                        break;
                    }
                } else if (peekIs(0, "}")) {
                    i++;
                    break;
                } else {
                    i = save;
                    return Optional.empty();
                }
            }
            return Optional.of(new NftExpr.AnonSet(elements));
        }
        if (t.isWord() && t.text().startsWith("@") && t.text().length() > 1) {
            i++;
            return Optional.of(new NftExpr.SetRef(t.text().substring(1)));
        }
        Optional<NftExpr> first = element(t);
        if (first.isEmpty() || isOperatorAfter(1)) {
            return Optional.empty();
        }
        i++;
        if (!peekIs(0, ",")) {
            return first;
        }
        List<NftExpr> list = new ArrayList<>(List.of(first.get()));
        while (peekIs(0, ",")) {
            Optional<NftExpr> e = element(peek(1));
            if (e.isEmpty()) {
                return Optional.empty();
            }
            list.add(e.get());
            i += 2;
        }
        return Optional.of(new NftExpr.AnonSet(list));
    }

    /** Whether the token after the value continues an expression this reader does not model ({@code .}, {@code &}...). */
    private boolean isOperatorAfter(int k) {
        Token t = peek(k);
        return t != null
                && (t.is(".")
                        || t.is("&")
                        || t.is("|")
                        || t.is("^")
                        || t.is("<<")
                        || t.is(">>")
                        || t.is("map")
                        || t.is("vmap"));
    }

    /** One value: a quoted string, a number or name, {@code ADDRESS/LEN}, or {@code A-B}. */
    static Optional<NftExpr> element(Token t) {
        if (t == null) {
            return Optional.empty();
        }
        if (t.kind() == NftTokenizer.Kind.STRING) {
            return Optional.of(NftExpr.Value.string(t.text()));
        }
        if (!t.isWord()
                || t.text().equals(".")
                || t.text().startsWith("@")
                || t.text().startsWith("$")) {
            return Optional.empty();
        }
        return Optional.of(value(t.text()));
    }

    /** A bare word as an expression: a prefix, a range of numbers or addresses, or a value. */
    static NftExpr value(String w) {
        int slash = w.indexOf('/');
        if (slash > 0 && isAddress(w.substring(0, slash)) && isNumber(w.substring(slash + 1))) {
            return new NftExpr.PrefixValue(w.substring(0, slash), Integer.parseInt(w.substring(slash + 1)));
        }
        int dash = w.indexOf('-');
        if (dash > 0 && w.indexOf('-', dash + 1) < 0) {
            String a = w.substring(0, dash);
            String b = w.substring(dash + 1);
            if ((isNumber(a) && isNumber(b)) || (isAddress(a) && isAddress(b))) {
                return new NftExpr.Range(NftExpr.Value.of(a), NftExpr.Value.of(b));
            }
        }
        if (!w.chars()
                .allMatch(c ->
                        NftTokenizer.wordChar((char) c) && c != '*' && c != '@' && c != '$' && c != '%' && c != '\\')) {
            return new NftExpr.Unknown(w);
        }
        return NftExpr.Value.of(w);
    }

    static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 address (digits and dots) or an IPv6 one (hex digits and colons). */
    static boolean isAddress(String s) {
        if (s.isEmpty()) {
            return false;
        }
        boolean colon = s.indexOf(':') >= 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean ok = (c >= '0' && c <= '9')
                    || c == '.'
                    || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return false;
            }
        }
        return colon || s.chars().filter(c -> c == '.').count() == 3;
    }

    /**
     * A statement this reader does not model, from {@code start}: at least to {@code minEnd}, then
     * up to the next verdict, counter, log or comment (and, for a statement of its own, the next
     * match), braces kept whole. Warned about and kept as written.
     */
    private void other(int start, int minEnd, boolean stopAtMatch) {
        int k = Math.min(minEnd, tokens.size());
        int depth = 0;
        for (int j = start; j < k; j++) {
            depth += depth(tokens.get(j));
        }
        while (k < tokens.size()) {
            Token t = tokens.get(k);
            if (depth == 0
                    && t.isWord()
                    && (STOPS.contains(t.text())
                            || (stopAtMatch
                                    && (PAYLOADS.contains(t.text())
                                            || BARE_META.contains(t.text())
                                            || t.text().equals("meta")
                                            || t.text().equals("ct"))))) {
                break;
            }
            depth += depth(t);
            k++;
        }
        String text = join(start, k);
        Token first = tokens.get(start);
        problems.warn(
                problems.at(first.line(), first.column()),
                "NFT-UNSUPPORTED",
                "'" + text + "' is not modelled: results that depend on it are bounds",
                "fw analyze shows lower and upper bounds; rewrite it with plain matches for an exact answer");
        statements.add(new NftStatement.Other(text));
        i = k;
    }

    private static int depth(Token t) {
        if (t.kind() != NftTokenizer.Kind.PUNCT) {
            return 0;
        }
        return t.is("{") || t.is("(") || t.is("[") ? 1 : t.is("}") || t.is(")") || t.is("]") ? -1 : 0;
    }

    /** Tokens from {@code from} to {@code to} as nft text, spaced as nft prints them. */
    String join(int from, int to) {
        return joinTokens(tokens.subList(from, Math.min(to, tokens.size())));
    }

    static String joinTokens(List<Token> list) {
        StringBuilder sb = new StringBuilder();
        Token prev = null;
        for (Token t : list) {
            boolean tight = prev != null
                    && ((t.kind() == NftTokenizer.Kind.PUNCT && (t.is(",") || t.is(")") || t.is("]") || t.is(";")))
                            || (prev.kind() == NftTokenizer.Kind.PUNCT && (prev.is("(") || prev.is("["))));
            if (prev != null && !tight) {
                sb.append(' ');
            }
            sb.append(t.source());
            prev = t;
        }
        return sb.toString();
    }
}
