package dev.stockade.nftables;

import dev.stockade.nftables.NftTokenizer.Kind;
import dev.stockade.nftables.NftTokenizer.Token;
import dev.stockade.report.InputException;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses nft's text syntax, as {@code nft list ruleset} prints it and {@link NftWriter} writes it,
 * into an {@link NftRuleset}, in stages: {@link NftTokenizer} splits the text into located tokens
 * (comments, the {@code #!} line and nft's {@code # handle} notes go), this class reads the
 * commands and blocks ({@code table}, {@code delete table}, {@code flush ruleset}, sets, chains
 * with their hook, priority and policy) and applies them as nft would to an empty kernel, and
 * {@link NftRuleReader} reads each rule's statements. Statements and objects it does not model are
 * kept as written and warned about, located; malformed input is an error with file:line:column,
 * and the parser keeps going so all errors are reported together. Not a full nft grammar: no
 * {@code include}, {@code define} variables or single-rule commands ({@code add rule}).
 */
public final class NftTextParser {

    static final Set<String> FAMILIES = Set.of("ip", "ip6", "inet", "arp", "bridge", "netdev");

    private final Problems problems;
    private final List<Token> tokens;
    private final RulesetBuilder result = new RulesetBuilder();
    private int i;

    private NftTextParser(Problems problems, List<Token> tokens) {
        this.problems = problems;
        this.tokens = tokens;
    }

    /**
     * @throws InputException with every error found, each located
     */
    public static ParsedNftRuleset parse(String file, String text) throws InputException {
        Problems problems = new Problems(file);
        NftTextParser p = new NftTextParser(problems, NftTokenizer.tokens(text, problems));
        p.commands();
        problems.throwErrors();
        return new ParsedNftRuleset(p.result.build(), problems.all());
    }

    /**
     * Whether the text looks like nft's text syntax rather than iptables-save: its first line is
     * {@code #!...nft...}, or its first word outside comments is {@code table}, {@code flush},
     * {@code delete}, {@code add} or {@code create} (iptables-save lines start with {@code *},
     * {@code :}, {@code -} or {@code COMMIT}).
     */
    public static boolean looksLikeNftText(String text) {
        String t = text.stripLeading();
        if (t.startsWith("#!")) {
            int end = t.indexOf('\n');
            return (end < 0 ? t : t.substring(0, end)).contains("nft");
        }
        for (String line : t.split("\n", 200)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String word = l.split("[ \t{]", 2)[0];
            return Set.of("table", "flush", "delete", "add", "create").contains(word);
        }
        return false;
    }

    private Token peek(int k) {
        return i + k < tokens.size() ? tokens.get(i + k) : null;
    }

    private boolean peekIs(int k, String text) {
        Token t = peek(k);
        return t != null && t.is(text);
    }

    private boolean atEnd() {
        return i >= tokens.size();
    }

    private SourceSpan at(Token t) {
        return problems.at(t.line(), t.column());
    }

    private SourceSpan here() {
        Token t = peek(0);
        if (t != null) {
            return at(t);
        }
        Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        return last == null
                ? problems.at(1, 1)
                : problems.at(last.line(), last.column() + last.text().length());
    }

    private void error(SourceSpan at, String message, String hint) {
        problems.error(at, "NFT-SYNTAX", message, hint);
    }

    private void skipSeparators() {
        while (!atEnd() && (peek(0).kind() == Kind.NEWLINE || peek(0).is(";"))) {
            i++;
        }
    }

    /** Skips to the end of the current line (or statement), keeping a brace block whole. */
    private void skipStatement() {
        int depth = 0;
        while (!atEnd()) {
            Token t = peek(0);
            if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";"))) {
                return;
            }
            if (t.is("{")) {
                depth++;
            } else if (t.is("}")) {
                if (depth == 0) {
                    return;
                }
                depth--;
                if (depth == 0) {
                    i++;
                    return;
                }
            }
            i++;
        }
    }

    private void commands() {
        while (true) {
            skipSeparators();
            if (atEnd()) {
                return;
            }
            Token t = peek(0);
            if (t.is("table") || ((t.is("add") || t.is("create")) && peekIs(1, "table"))) {
                i += t.is("table") ? 1 : 2;
                table(t);
            } else if (t.is("delete") && peekIs(1, "table")) {
                i += 2;
                Optional<String[]> name = tableName();
                name.ifPresent(n -> result.delete(n[0], n[1]));
            } else if (t.is("flush") && peekIs(1, "ruleset")) {
                i += 2;
                result.flush();
            } else if (t.is("flush") && peekIs(1, "table")) {
                i += 2;
                tableName()
                        .flatMap(n -> result.existing(n[0], n[1]))
                        .ifPresent(d -> d.chains.values().forEach(c -> c.rules.clear()));
            } else {
                error(
                        at(t),
                        "'" + t.source() + "' is not a command Stockade reads in an nft file",
                        "Stockade reads what 'nft list ruleset' prints: table blocks, 'delete table', 'flush ruleset'");
                skipStatement();
                if (peekIs(0, "}")) {
                    i++;
                }
            }
        }
    }

    /** {@code [FAMILY] NAME}; the family defaults to {@code ip}, as in nft. */
    private Optional<String[]> tableName() {
        Token a = peek(0);
        Token b = peek(1);
        if (a != null
                && a.isWord()
                && FAMILIES.contains(a.text())
                && b != null
                && (b.isWord() || b.kind() == Kind.STRING)
                && !b.is("{")) {
            i += 2;
            return Optional.of(new String[] {a.text(), b.text()});
        }
        if (a != null && (a.isWord() || a.kind() == Kind.STRING)) {
            i++;
            return Optional.of(new String[] {"ip", a.text()});
        }
        error(here(), "a table name is missing", "write 'table inet NAME'");
        skipStatement();
        return Optional.empty();
    }

    private void table(Token start) {
        Optional<String[]> name = tableName();
        if (name.isEmpty()) {
            return;
        }
        RulesetBuilder.TableDraft table = result.table(name.get()[0], name.get()[1]);
        if (!peekIs(0, "{")) {
            return; // a declaration: the table exists, possibly empty
        }
        i++;
        while (true) {
            skipSeparators();
            if (atEnd()) {
                error(at(start), "table " + table.family + " " + table.name + " is not closed", "end it with '}'");
                return;
            }
            Token t = peek(0);
            if (t.is("}")) {
                i++;
                return;
            }
            if (t.is("chain")
                    && peek(1) != null
                    && (peek(1).isWord() || peek(1).kind() == Kind.STRING)
                    && peekIs(2, "{")) {
                String chain = peek(1).text();
                i += 3;
                chain(table, table.chain(chain), t);
            } else if (t.is("set")
                    && peek(1) != null
                    && (peek(1).isWord() || peek(1).kind() == Kind.STRING)
                    && peekIs(2, "{")) {
                String set = peek(1).text();
                i += 3;
                set(table, set, t);
            } else if (t.is("comment")) {
                skipStatement();
            } else {
                problems.warn(
                        at(t),
                        "NFT-UNSUPPORTED",
                        "'" + t.source() + (peek(1) == null ? "" : " " + peek(1).source()) + "' in table "
                                + table.family + " " + table.name + " is not modelled",
                        "rules that use it are read as bounds");
                skipStatement();
            }
        }
    }

    private void chain(RulesetBuilder.TableDraft table, RulesetBuilder.ChainDraft chain, Token start) {
        String type = null;
        String hook = null;
        Integer priority = null;
        String policy = null;
        Token hookAt = null;
        while (true) {
            skipSeparators();
            if (atEnd()) {
                error(at(start), "chain " + chain.name + " is not closed", "end it with '}'");
                return;
            }
            Token t = peek(0);
            if (t.is("}")) {
                i++;
                break;
            }
            if (t.is("type")) {
                hookAt = t;
                List<Token> spec = statementTokens();
                type = spec.size() > 1 ? spec.get(1).text() : null;
                int h = indexOf(spec, "hook");
                int p = indexOf(spec, "priority");
                hook = h > 0 && h + 1 < spec.size() ? spec.get(h + 1).text() : null;
                priority = p > 0 ? priority(table.family, spec.subList(p + 1, spec.size()), t) : null;
                if (indexOf(spec, "device") > 0 || indexOf(spec, "devices") > 0) {
                    problems.warn(
                            at(t),
                            "NFT-UNSUPPORTED",
                            "the device of base chain " + chain.name + " is not modelled",
                            "");
                }
            } else if (t.is("policy")) {
                List<Token> spec = statementTokens();
                policy = spec.size() > 1 ? spec.get(1).text() : "";
                if (!policy.equals("accept") && !policy.equals("drop")) {
                    error(
                            at(t),
                            "policy '" + policy + "' is not accept or drop",
                            "write 'policy accept;' or 'policy drop;'");
                    policy = null;
                }
            } else if (t.is("comment") || t.is("flags") || t.is("devices")) {
                statementTokens();
            } else {
                List<Token> rule = statementTokens();
                if (!rule.isEmpty()) {
                    chain.rules.add(NftRuleReader.read(rule, problems));
                }
            }
        }
        if (type != null || hook != null) {
            if (type == null || hook == null || priority == null) {
                error(
                        at(hookAt),
                        "base chain " + chain.name + " needs 'type T hook H priority P'",
                        "write 'type filter hook input priority filter; policy drop;'");
                return;
            }
            chain.hook = Optional.of(new NftChain.Hook(type, hook, priority, policy == null ? "accept" : policy));
        } else if (policy != null) {
            problems.warn(
                    problems.at(start.line(), start.column()),
                    "NFT-UNSUPPORTED",
                    "chain " + chain.name + " has a policy but no hook: the policy is ignored",
                    "");
        }
    }

    private static int indexOf(List<Token> list, String word) {
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k).is(word)) {
                return k;
            }
        }
        return -1;
    }

    /** {@code N}, {@code -N}, {@code NAME}, {@code NAME + N} or {@code NAME - N}. */
    private Integer priority(String family, List<Token> spec, Token where) {
        if (spec.isEmpty()) {
            return null;
        }
        String first = spec.get(0).text();
        Integer base = null;
        if (NftRuleReader.isNumber(first.startsWith("-") ? first.substring(1) : first)) {
            base = Integer.parseInt(first);
        } else {
            base = RulesetBuilder.namedPriority(family, first).orElse(null);
        }
        if (base != null
                && spec.size() == 3
                && (spec.get(1).is("+") || spec.get(1).is("-"))
                && NftRuleReader.isNumber(spec.get(2).text())) {
            int n = Integer.parseInt(spec.get(2).text());
            return spec.get(1).is("+") ? base + n : base - n;
        }
        if (base == null || spec.size() != 1) {
            error(
                    at(where),
                    "priority '" + NftRuleReader.joinTokens(spec) + "' is not understood",
                    "write a number or a name such as filter, filter - 10");
            return null;
        }
        return base;
    }

    /**
     * The tokens of one statement: up to a line end or {@code ;} outside braces, or the {@code }}
     * that closes the block (left for the caller). Line ends inside braces are dropped.
     */
    private List<Token> statementTokens() {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        while (!atEnd()) {
            Token t = peek(0);
            if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";") || t.is("}"))) {
                break;
            }
            if (t.is("{")) {
                depth++;
            } else if (t.is("}")) {
                depth--;
            }
            if (t.kind() != Kind.NEWLINE) {
                out.add(t);
            }
            i++;
        }
        return out;
    }

    private void set(RulesetBuilder.TableDraft table, String name, Token start) {
        String type = null;
        List<String> flags = new ArrayList<>();
        List<NftExpr> elements = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (atEnd()) {
                error(at(start), "set " + name + " is not closed", "end it with '}'");
                return;
            }
            Token t = peek(0);
            if (t.is("}")) {
                i++;
                break;
            }
            List<Token> item = statementTokens();
            if (item.isEmpty()) {
                error(at(t), "unexpected '" + t.source() + "' in set " + name, "");
                i++;
                continue;
            }
            String key = item.get(0).text();
            if (key.equals("type") || key.equals("typeof")) {
                type = (key.equals("typeof") ? "typeof " : "") + NftRuleReader.joinTokens(item.subList(1, item.size()));
            } else if (key.equals("flags")) {
                for (Token f : item.subList(1, item.size())) {
                    if (f.isWord()) {
                        flags.add(f.text());
                    }
                }
            } else if (key.equals("elements")) {
                elements(item, name, elements);
            } else if (!Set.of("auto-merge", "size", "policy", "comment", "counter", "gc-interval", "timeout")
                    .contains(key)) {
                problems.warn(
                        at(item.get(0)), "NFT-UNSUPPORTED", "'" + key + "' in set " + name + " is not modelled", "");
            }
        }
        if (type == null) {
            error(at(start), "set " + name + " has no type", "write 'type ipv4_addr' (or ipv6_addr, inet_service...)");
            return;
        }
        table.set(new NftSet(name, type, flags, elements));
    }

    /** {@code elements = { E, E, ... }}; an element's own options (timeout, comment) are dropped. */
    private void elements(List<Token> item, String set, List<NftExpr> out) {
        if (item.size() < 3
                || !item.get(1).is("=")
                || !item.get(2).is("{")
                || !item.get(item.size() - 1).is("}")) {
            error(at(item.get(0)), "elements of set " + set + " are not '= { ... }'", "write 'elements = { A, B }'");
            return;
        }
        boolean expectValue = true;
        for (Token t : item.subList(3, item.size() - 1)) {
            if (t.is(",")) {
                expectValue = true;
            } else if (expectValue) {
                Optional<NftExpr> e = NftRuleReader.element(t);
                if (e.isEmpty()) {
                    error(at(t), "'" + t.source() + "' is not an element of set " + set, "");
                } else {
                    out.add(e.get());
                }
                expectValue = false;
            } else {
                problems.warn(
                        at(t),
                        "NFT-UNSUPPORTED",
                        "element option '" + t.source() + "' in set " + set + " is ignored",
                        "");
            }
        }
    }
}
