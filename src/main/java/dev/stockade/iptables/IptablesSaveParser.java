package dev.stockade.iptables;

import dev.stockade.net.HostsFile;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code iptables-save}/{@code ip6tables-save} output and {@code iptables-restore} input into
 * a {@link Ruleset}, in stages: {@link SaveLines} splits the text into lines (CRLF, trailing blanks
 * and a missing final newline are warnings), {@link Tokenizer} splits a line into words, this class
 * reads the file's structure (tables, chain declarations with or without {@code [p:b]} counters,
 * builtin chains used without declaration, {@code -A}/{@code -I}/{@code -N}/{@code -P} commands),
 * {@link RuleReader} reads each rule's options into the model, {@link FamilyClues} decides the
 * family and {@link HostResolution} gives host names their addresses. Every error carries
 * file:line:column and the parser keeps going, so all errors are reported together. No regular
 * expression runs over the input and nothing recurses over it.
 */
public final class IptablesSaveParser {

    /** iptables numbers rules from 1 to INT_MAX. */
    private static final long MAX_RULE_NUMBER = Integer.MAX_VALUE;

    private final Problems problems;
    private final FamilyClues clues;
    private final List<RuleReader.HostUse> hostUses = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private TableBuilder table;
    private int line;

    private IptablesSaveParser(Problems problems, FamilyClues clues) {
        this.problems = problems;
        this.clues = clues;
    }

    /**
     * Parses without a hosts file: host names in {@code -s}/{@code -d} stay unresolved.
     *
     * @param family the address family, or null to decide it from the file (see {@link FamilyClues})
     */
    /**
     * The filter table of a dump as the kernel holds it: an {@code iptables-save} without a
     * {@code *filter} section (nothing loaded) is the empty table with ACCEPT policies.
     */
    public static Table filterOf(String file, String text, IpFamily family) throws InputException {
        String body = text.contains("*filter")
                ? text
                : "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
        return parse(file, body, family).ruleset().table("filter").orElseThrow();
    }

    public static ParsedRuleset parse(String file, String text, IpFamily family) throws InputException {
        return parse(file, text, family, HostsFile.empty());
    }

    /**
     * @param family the address family, or null to decide it from the file (see {@link FamilyClues})
     * @param hosts addresses for the host names the rules use (their addresses of the file's family)
     * @throws InputException with every error found, each located
     */
    public static ParsedRuleset parse(String file, String text, IpFamily family, HostsFile hosts)
            throws InputException {
        Problems problems = new Problems(file);
        IptablesSaveParser p = new IptablesSaveParser(problems, new FamilyClues(family, problems));
        p.read(text);
        FamilyEvidence evidence = p.clues.decide();
        List<Table> tables = HostResolution.resolve(p.tables, evidence.family(), hosts, p.hostUses, problems);
        problems.throwErrors();
        return new ParsedRuleset(new Ruleset(evidence.family(), tables), problems.all(), evidence);
    }

    private void read(String text) {
        for (SaveLines.Line l : SaveLines.split(text, problems)) {
            line = l.number();
            line(l.text());
        }
        if (table != null) {
            problems.error(
                    table.start,
                    "IPT-NO-COMMIT",
                    "table '" + table.name + "' has no COMMIT",
                    "end every table with a COMMIT line");
            endTable();
        }
        if (tables.isEmpty() && !problems.hasErrors()) {
            problems.error(
                    problems.at(1, 1),
                    "IPT-EMPTY",
                    "no table found",
                    "an iptables-save file starts a table with '*filter' and ends it with 'COMMIT'");
        }
    }

    private void line(String l) {
        String t = l.stripLeading();
        int col = l.length() - t.length() + 1;
        if (t.isEmpty()) {
            return;
        }
        if (t.startsWith("#")) {
            clues.header(t, at(col));
        } else if (t.startsWith("*")) {
            startTable(t.substring(1), col);
        } else if (t.equals("COMMIT")) {
            if (table == null) {
                problems.error(at(col), "IPT-SYNTAX", "COMMIT outside a table", "");
            } else {
                endTable();
            }
        } else if (t.startsWith(":")) {
            chainDeclaration(t, col);
        } else {
            command(l);
        }
    }

    private void startTable(String name, int col) {
        if (table != null) {
            problems.error(
                    at(col),
                    "IPT-NO-COMMIT",
                    "table '" + table.name + "' is not closed with COMMIT before '*" + name + "'",
                    "add COMMIT");
            endTable();
        }
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            problems.error(
                    at(col),
                    "IPT-SYNTAX",
                    "'*" + name + "' is not a table name",
                    "tables are " + String.join(", ", BuiltinChains.TABLES));
        }
        table = new TableBuilder(name, at(col));
    }

    private void endTable() {
        tables.add(table.build());
        table = null;
    }

    /** {@code :NAME POLICY [packets:bytes]}; iptables-restore splits these lines on blanks only. */
    private void chainDeclaration(String t, int col) {
        if (!inTable(col)) {
            return;
        }
        List<Tokenizer.Token> parts = Tokenizer.words(t.substring(1));
        if (parts.size() < 2 || parts.size() > 3 || parts.get(0).column() != 1) {
            problems.error(at(col), "IPT-SYNTAX", "a chain line is ':NAME POLICY [packets:bytes]'", "");
            return;
        }
        String name = parts.get(0).text();
        String policy = parts.get(1).text();
        Optional<Counters> counters = parts.size() == 3
                ? counters(parts.get(2).text(), col + parts.get(2).column())
                : Optional.empty();
        if (!policy.equals("-") && !policy.equals("ACCEPT") && !policy.equals("DROP")) {
            problems.error(
                    at(col + parts.get(1).column()),
                    "IPT-SYNTAX",
                    "unknown policy '" + policy + "'",
                    "use ACCEPT, DROP or - (user chain)");
        }
        if (table.chains.containsKey(name)) {
            problems.error(
                    at(col),
                    "IPT-DUPLICATE-CHAIN",
                    "chain '" + name + "' is declared twice",
                    "a table declares each chain once; remove this line");
        }
        table.chains.put(name, new Chain(name, policy.equals("-") ? Optional.empty() : Optional.of(policy), counters));
    }

    /** {@code [packets:bytes]}. */
    private Optional<Counters> counters(String text, int col) {
        int colon = text.indexOf(':');
        if (text.startsWith("[") && text.endsWith("]") && colon > 0) {
            Optional<Counters> c =
                    Counters.parse(text.substring(1, colon), text.substring(colon + 1, text.length() - 1));
            if (c.isPresent()) {
                return c;
            }
        }
        problems.error(
                at(col),
                "IPT-SYNTAX",
                "bad counters '" + text + "'",
                "counters look like [packets:bytes], each 0 to 18446744073709551615");
        return Optional.empty();
    }

    private boolean inTable(int col) {
        if (table == null) {
            problems.error(at(col), "IPT-SYNTAX", "outside a table", "start a table with '*filter' first");
            return false;
        }
        return true;
    }

    private void command(String l) {
        List<Tokenizer.Token> tokens;
        try {
            tokens = Tokenizer.split(l);
        } catch (Tokenizer.UnterminatedQuote e) {
            problems.error(at(e.column), "IPT-SYNTAX", "unterminated quote", "close the quote");
            return;
        }
        int i = 0;
        Optional<Counters> counters = Optional.empty();
        Tokenizer.Token first = tokens.get(0);
        if (first.text().startsWith("[")) {
            counters = counters(first.text(), first.column());
            i++;
        }
        if (i >= tokens.size() || !inTable(tokens.get(i).column())) {
            return;
        }
        Tokenizer.Token cmd = tokens.get(i);
        switch (cmd.text()) {
            case "-A":
            case "--append":
            case "-I":
            case "--insert":
                append(tokens, i, counters);
                break;
            case "-N":
            case "--new-chain":
                newChain(tokens, i);
                break;
            case "-P":
            case "--policy":
                policy(tokens, i);
                break;
            default:
                problems.error(
                        at(cmd.column()),
                        "IPT-SYNTAX",
                        "unexpected '" + cmd.text() + "'",
                        "lines are '*table', ':CHAIN POLICY [p:b]', '-A CHAIN ...' or 'COMMIT'");
        }
    }

    private void newChain(List<Tokenizer.Token> tokens, int i) {
        if (i + 1 < tokens.size() && !tokens.get(i + 1).text().isEmpty()) {
            String name = tokens.get(i + 1).text();
            table.chains.putIfAbsent(name, Chain.user(name));
        } else {
            problems.error(at(tokens.get(i).column()), "IPT-SYNTAX", "-N needs a chain name", "");
        }
    }

    private void policy(List<Tokenizer.Token> tokens, int i) {
        if (i + 2 >= tokens.size()) {
            problems.error(at(tokens.get(i).column()), "IPT-SYNTAX", "-P needs a chain and a policy", "");
            return;
        }
        Tokenizer.Token chain = tokens.get(i + 1);
        Tokenizer.Token policy = tokens.get(i + 2);
        if (!BuiltinChains.of(table.name).isEmpty() && !BuiltinChains.isBuiltin(table.name, chain.text())) {
            problems.error(
                    at(chain.column()),
                    "IPT-SYNTAX",
                    "'" + chain.text() + "' is not a builtin chain of table '" + table.name + "'",
                    "only builtin chains have a policy: " + String.join(", ", BuiltinChains.of(table.name)));
        } else if (!policy.text().equals("ACCEPT") && !policy.text().equals("DROP")) {
            problems.error(
                    at(policy.column()), "IPT-SYNTAX", "unknown policy '" + policy.text() + "'", "use ACCEPT or DROP");
        } else {
            table.chains.put(chain.text(), new Chain(chain.text(), Optional.of(policy.text()), Optional.empty()));
        }
    }

    /** {@code -A CHAIN rule...} or {@code -I CHAIN [N] rule...}. */
    private void append(List<Tokenizer.Token> tokens, int i, Optional<Counters> counters) {
        Tokenizer.Token cmd = tokens.get(i);
        boolean insert = cmd.text().equals("-I") || cmd.text().equals("--insert");
        if (i + 1 >= tokens.size()) {
            problems.error(at(cmd.column()), "IPT-SYNTAX", cmd.text() + " needs a chain name", "");
            return;
        }
        Tokenizer.Token chainTok = tokens.get(i + 1);
        String chain = chainTok.text();
        int next = i + 2;
        int position = 0;
        if (insert && next < tokens.size() && isDigits(tokens.get(next).text())) {
            position = ruleNumber(tokens.get(next)) - 1;
            if (position < 0) {
                return;
            }
            next++;
        }
        if (!table.chains.containsKey(chain)) {
            if (!BuiltinChains.isBuiltin(table.name, chain)) {
                problems.error(
                        at(chainTok.column()),
                        "IPT-UNKNOWN-CHAIN",
                        "chain '" + chain + "' is not declared in table '" + table.name + "'",
                        "declare it first: ':" + chain + " - [0:0]'");
                return;
            }
            table.chains.put(chain, new Chain(chain, Optional.of("ACCEPT"), Optional.empty()));
        }
        Optional<Rule> rule = new RuleReader(problems, clues, hostUses, line, tokens, next).read(chain, counters);
        if (rule.isPresent() && insert) {
            table.insert(rule.get(), position);
        } else {
            rule.ifPresent(table::append);
        }
    }

    /** The rule number of {@code -I CHAIN N}, 1 to 2147483647; 0 after reporting an error. */
    private int ruleNumber(Tokenizer.Token t) {
        String s = t.text();
        if (s.length() <= 10 && Long.parseLong(s) >= 1 && Long.parseLong(s) <= MAX_RULE_NUMBER) {
            return (int) Long.parseLong(s);
        }
        problems.error(
                at(t.column()),
                "IPT-SYNTAX",
                "invalid rule number '" + s + "'",
                "rules are numbered from 1 to 2147483647; iptables-restore rejects any other number");
        return 0;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private SourceSpan at(int column) {
        return problems.at(line, column);
    }
}
