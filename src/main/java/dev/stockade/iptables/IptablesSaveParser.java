package dev.stockade.iptables;

import dev.stockade.net.AddressFormatException;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code iptables-save}/{@code ip6tables-save} output and {@code iptables-restore} input into
 * a {@link Ruleset}: tables, chain declarations with or without counters, {@code [p:b]} and
 * {@code -c} rule counters, builtin chains used without declaration, user chains, matches with
 * negation in both the current ({@code ! -s x}) and the old ({@code -s ! x}) syntax, dotted masks,
 * implicit protocol modules ({@code -p tcp --dport 22}), targets with options and {@code -g} gotos.
 * CRLF line ends, trailing blanks and a missing final newline are warnings; every error carries
 * file:line:column and the parser keeps going, so all errors are reported together.
 */
public final class IptablesSaveParser {

    private static final Map<String, Set<String>> BUILTIN = Map.of(
            "filter", Set.of("INPUT", "FORWARD", "OUTPUT"),
            "nat", Set.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "mangle", Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "raw", Set.of("PREROUTING", "OUTPUT"),
            "security", Set.of("INPUT", "FORWARD", "OUTPUT"));
    /** {@code -p 6 --dport 22} loads the tcp module as {@code -p tcp} does. */
    private static final java.util.Map<String, String> PROTOCOL_NUMBERS = java.util.Map.of(
            "6", "tcp", "17", "udp", "136", "udplite", "1", "icmp", "58", "ipv6-icmp", "132", "sctp", "33", "dccp");

    private static final Set<String> PROTOCOL_MODULES =
            Set.of("tcp", "udp", "udplite", "icmp", "icmpv6", "ipv6-icmp", "sctp", "dccp");

    private final String file;
    private final List<Diagnostic> problems = new ArrayList<>();
    private IpFamily family;
    private boolean sawV6;
    private boolean sawV4;
    private final List<Table> tables = new ArrayList<>();
    private String table;
    private SourceSpan tableStart;
    private Map<String, Chain> chains;
    private List<Rule> rules;
    private int line;

    private IptablesSaveParser(String file, IpFamily hint) {
        this.file = file;
        this.family = hint;
    }

    /**
     * @param family the address family, or null to infer it from the addresses (IPv4 when none says otherwise)
     */
    public static ParsedRuleset parse(String file, String text, IpFamily family) throws InputException {
        IptablesSaveParser p = new IptablesSaveParser(file, family);
        p.lines(text);
        if (p.problems.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
            throw new InputException(p.problems.stream()
                    .filter(d -> d.severity() == Severity.ERROR)
                    .toList());
        }
        IpFamily f = family != null ? family : p.sawV6 && !p.sawV4 ? IpFamily.V6 : IpFamily.V4;
        return new ParsedRuleset(new Ruleset(f, p.tables), p.problems);
    }

    private void lines(String text) {
        String[] all = text.split("\n", -1);
        int crlf = 0;
        int trailing = 0;
        int firstCrlf = 0;
        int firstTrailing = 0;
        int count = text.endsWith("\n") ? all.length - 1 : all.length;
        for (int i = 0; i < count; i++) {
            line = i + 1;
            String l = all[i];
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
                firstCrlf = crlf++ == 0 ? line : firstCrlf;
            }
            String stripped = l.stripTrailing();
            if (stripped.length() != l.length() && !stripped.isEmpty()) {
                firstTrailing = trailing++ == 0 ? line : firstTrailing;
            }
            line(stripped);
        }
        if (crlf > 0) {
            warn(
                    new SourceSpan(file, firstCrlf, 1),
                    "IPT-CRLF",
                    crlf + " lines end in CRLF",
                    "iptables-restore accepts them; " + "convert with dos2unix for tidiness");
        }
        if (trailing > 0) {
            warn(new SourceSpan(file, firstTrailing, 1), "IPT-TRAILING-SPACE", trailing + " lines end in blanks", "");
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            warn(new SourceSpan(file, count, 1), "IPT-NO-NEWLINE", "the file does not end with a newline", "");
        }
        if (table != null) {
            error(
                    tableStart,
                    "IPT-NO-COMMIT",
                    "table '" + table + "' has no COMMIT",
                    "end every table with a COMMIT line");
            endTable();
        }
        if (tables.isEmpty() && problems.stream().noneMatch(d -> d.severity() == Severity.ERROR)) {
            error(
                    new SourceSpan(file, 1, 1),
                    "IPT-EMPTY",
                    "no table found",
                    "an iptables-save file starts a table with " + "'*filter' and ends it with 'COMMIT'");
        }
    }

    private void line(String l) {
        String t = l.stripLeading();
        int indent = l.length() - t.length();
        if (t.isEmpty() || t.startsWith("#")) {
            return;
        }
        if (t.startsWith("*")) {
            startTable(t.substring(1), indent + 1);
        } else if (t.equals("COMMIT")) {
            if (table == null) {
                error(at(indent + 1), "IPT-SYNTAX", "COMMIT outside a table", "");
            } else {
                endTable();
            }
        } else if (t.startsWith(":")) {
            chainDeclaration(t, indent + 1);
        } else {
            command(l);
        }
    }

    private void startTable(String name, int col) {
        if (table != null) {
            error(
                    at(col),
                    "IPT-NO-COMMIT",
                    "table '" + table + "' is not closed with COMMIT before '*" + name + "'",
                    "add COMMIT");
            endTable();
        }
        if (!name.matches("[a-z]+")) {
            error(
                    at(col),
                    "IPT-SYNTAX",
                    "'*" + name + "' is not a table name",
                    "tables are filter, nat, mangle, raw, security");
        }
        table = name;
        tableStart = at(col);
        chains = new LinkedHashMap<>();
        rules = new ArrayList<>();
    }

    private void endTable() {
        tables.add(new Table(table, new ArrayList<>(chains.values()), rules));
        table = null;
    }

    private void chainDeclaration(String t, int col) {
        if (!inTable(col)) {
            return;
        }
        String[] parts = t.substring(1).split("\\s+");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            error(at(col), "IPT-SYNTAX", "a chain line is ':NAME POLICY [packets:bytes]'", "");
            return;
        }
        Optional<Counters> counters = Optional.empty();
        if (parts.length == 3) {
            counters = counters(parts[2], col + t.indexOf(parts[2]));
        }
        String policy = parts[1];
        if (!policy.equals("-") && !policy.equals("ACCEPT") && !policy.equals("DROP")) {
            error(
                    at(col + t.indexOf(policy)),
                    "IPT-SYNTAX",
                    "unknown policy '" + policy + "'",
                    "use ACCEPT, DROP or - (user chain)");
        }
        if (chains.containsKey(parts[0])) {
            error(at(col), "IPT-DUPLICATE-CHAIN", "chain '" + parts[0] + "' is declared twice", "");
        }
        chains.put(
                parts[0], new Chain(parts[0], policy.equals("-") ? Optional.empty() : Optional.of(policy), counters));
    }

    private Optional<Counters> counters(String text, int col) {
        if (text.matches("\\[[0-9]+:[0-9]+\\]")) {
            String[] pb = text.substring(1, text.length() - 1).split(":");
            try {
                return Optional.of(new Counters(Long.parseLong(pb[0]), Long.parseLong(pb[1])));
            } catch (NumberFormatException e) {
                // too large: fall through
            }
        }
        error(at(col), "IPT-SYNTAX", "bad counters '" + text + "'", "counters look like [packets:bytes]");
        return Optional.empty();
    }

    private boolean inTable(int col) {
        if (table == null) {
            error(at(col), "IPT-SYNTAX", "outside a table", "start a table with '*filter' first");
            return false;
        }
        return true;
    }

    private void command(String l) {
        List<Tokenizer.Token> tokens;
        try {
            tokens = Tokenizer.split(l);
        } catch (Tokenizer.UnterminatedQuote e) {
            error(at(e.column), "IPT-SYNTAX", "unterminated quote", "close the quote");
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
                if (i + 1 < tokens.size()) {
                    chains.putIfAbsent(
                            tokens.get(i + 1).text(),
                            Chain.user(tokens.get(i + 1).text()));
                } else {
                    error(at(cmd.column()), "IPT-SYNTAX", "-N needs a chain name", "");
                }
                break;
            case "-P":
            case "--policy":
                if (i + 2 < tokens.size()) {
                    String c = tokens.get(i + 1).text();
                    chains.put(c, new Chain(c, Optional.of(tokens.get(i + 2).text()), Optional.empty()));
                } else {
                    error(at(cmd.column()), "IPT-SYNTAX", "-P needs a chain and a policy", "");
                }
                break;
            default:
                error(
                        at(cmd.column()),
                        "IPT-SYNTAX",
                        "unexpected '" + cmd.text() + "'",
                        "lines are '*table', ':CHAIN POLICY [p:b]', '-A CHAIN ...' or 'COMMIT'");
        }
    }

    private void append(List<Tokenizer.Token> tokens, int i, Optional<Counters> counters) {
        boolean insert =
                tokens.get(i).text().startsWith("-I") || tokens.get(i).text().equals("--insert");
        if (i + 1 >= tokens.size()) {
            error(at(tokens.get(i).column()), "IPT-SYNTAX", tokens.get(i).text() + " needs a chain name", "");
            return;
        }
        Tokenizer.Token chainTok = tokens.get(i + 1);
        String chain = chainTok.text();
        int next = i + 2;
        int position = -1;
        if (insert && next < tokens.size() && tokens.get(next).text().matches("[0-9]+")) {
            position = Integer.parseInt(tokens.get(next).text()) - 1;
            next++;
        }
        if (!chains.containsKey(chain)) {
            if (BUILTIN.getOrDefault(table, Set.of()).contains(chain)) {
                chains.put(chain, new Chain(chain, Optional.of("ACCEPT"), Optional.empty()));
            } else {
                error(
                        at(chainTok.column()),
                        "IPT-UNKNOWN-CHAIN",
                        "chain '" + chain + "' is not declared in table '" + table + "'",
                        "declare it first: ':" + chain + " - [0:0]'");
                return;
            }
        }
        RuleReader r = new RuleReader(tokens, next);
        Optional<Rule> rule = r.read(chain, counters);
        if (rule.isPresent()) {
            if (insert) {
                insert(rule.get(), Math.max(position, 0));
            } else {
                rules.add(rule.get());
            }
        }
    }

    /** -I CHAIN N: before the N-th rule of that chain. */
    private void insert(Rule rule, int position) {
        int seen = 0;
        for (int k = 0; k < rules.size(); k++) {
            if (rules.get(k).chain().equals(rule.chain())) {
                if (seen == position) {
                    rules.add(k, rule);
                    return;
                }
                seen++;
            }
        }
        rules.add(rule);
    }

    /** Reads the options of one rule. */
    private final class RuleReader {
        private final List<Tokenizer.Token> tokens;
        private int i;
        /** Matches in order; a module stays open ({@link ModuleBuilder}) until the rule ends. */
        private final List<Object> items = new ArrayList<>();

        private ModuleBuilder module;
        private int currentColumn;
        private String protocol;
        private Target target;
        private String targetName;
        private boolean targetGoto;
        private List<Option> targetOptions;
        private Optional<Counters> counters;
        private boolean failed;

        RuleReader(List<Tokenizer.Token> tokens, int start) {
            this.tokens = tokens;
            this.i = start;
        }

        Optional<Rule> read(String chain, Optional<Counters> prefixCounters) {
            counters = prefixCounters;
            boolean negate = false;
            while (i < tokens.size() && !failed) {
                Tokenizer.Token t = tokens.get(i++);
                if (t.is("!")) {
                    negate = true;
                    continue;
                }
                if (!t.isOption()) {
                    fail(
                            t,
                            "unexpected '" + t.text() + "'",
                            "every value belongs to an option such as -s, --dport or -j");
                    break;
                }
                generic(t, negate);
                negate = false;
            }
            if (failed) {
                return Optional.empty();
            }
            closeTarget();
            List<Match> matches = new ArrayList<>();
            for (Object o : items) {
                matches.add(o instanceof ModuleBuilder ? ((ModuleBuilder) o).build() : (Match) o);
            }
            Tokenizer.Token first = tokens.get(0);
            return Optional.of(new Rule(
                    chain,
                    matches,
                    Optional.ofNullable(target),
                    counters,
                    Optional.of(new SourceSpan(file, line, first.column()))));
        }

        private void generic(Tokenizer.Token t, boolean negate) {
            switch (t.text()) {
                case "-s":
                case "--source":
                case "--src":
                    address(t, true, negate);
                    return;
                case "-d":
                case "--destination":
                case "--dst":
                    address(t, false, negate);
                    return;
                case "-i":
                case "--in-interface":
                    iface(t, true, negate);
                    return;
                case "-o":
                case "--out-interface":
                    iface(t, false, negate);
                    return;
                case "-p":
                case "--protocol": {
                    ValueWithNegation v = value(t, negate);
                    if (v != null) {
                        protocol = v.text.toLowerCase(Locale.ROOT);
                        items.add(new Match.Protocol(v.negated, protocol));
                    }
                    return;
                }
                case "-f":
                case "--fragment":
                    items.add(new Match.Fragment(negate));
                    return;
                case "-m":
                case "--match": {
                    ValueWithNegation v = value(t, false);
                    if (v != null) {
                        module = new ModuleBuilder(v.text);
                        items.add(module);
                    }
                    return;
                }
                case "-j":
                case "--jump":
                case "-g":
                case "--goto": {
                    ValueWithNegation v = value(t, false);
                    if (v != null) {
                        if (targetName != null) {
                            fail(t, "a rule has one target", "remove the second -j/-g");
                            return;
                        }
                        targetName = v.text;
                        targetGoto = t.text().startsWith("-g") || t.text().equals("--goto");
                        targetOptions = new ArrayList<>();
                    }
                    return;
                }
                case "-c":
                case "--set-counters":
                    if (i + 1 < tokens.size()
                            && tokens.get(i).text().matches("[0-9]+")
                            && tokens.get(i + 1).text().matches("[0-9]+")) {
                        counters = Optional.of(new Counters(
                                Long.parseLong(tokens.get(i).text()),
                                Long.parseLong(tokens.get(i + 1).text())));
                        i += 2;
                    } else {
                        fail(t, "-c needs two numbers (packets bytes)", "");
                    }
                    return;
                default:
                    moduleOption(t, negate);
            }
        }

        private void moduleOption(Tokenizer.Token t, boolean negate) {
            if (!t.text().startsWith("--")) {
                fail(t, "unknown option '" + t.text() + "'", "");
                return;
            }
            List<String> values = new ArrayList<>();
            boolean negated = negate;
            while (i < tokens.size()) {
                Tokenizer.Token v = tokens.get(i);
                if (v.is("!")) {
                    if (!values.isEmpty()) {
                        break;
                    }
                    negated = true;
                    i++;
                    continue;
                }
                if (v.isOption()) {
                    break;
                }
                values.add(v.text());
                i++;
            }
            Option o = new Option(t.text().substring(2), negated, values);
            currentColumn = t.column();
            if (targetName != null) {
                targetOptions.add(o);
                return;
            }
            ModuleBuilder owner = owner(o.name());
            if (owner != null) {
                owner.options.add(o);
            } else {
                fail(
                        t,
                        "option '" + t.text() + "' does not belong to a match or target",
                        "load its module first, e.g. '-m " + guessModule(t.text()) + " " + t.text() + "'");
            }
        }

        /**
         * Like iptables: the loaded module that knows the option, else the protocol's implicit module
         * ({@code -p tcp --dport 22}), else the last module when its options are not known to us.
         */
        private ModuleBuilder owner(String option) {
            for (Object o : items) {
                if (o instanceof ModuleBuilder && ModuleOptions.knows(((ModuleBuilder) o).name, option)) {
                    return (ModuleBuilder) o;
                }
            }
            String named = protocol == null ? null : PROTOCOL_NUMBERS.getOrDefault(protocol, protocol);
            String implicit =
                    named == null ? null : named.equals("ipv6-icmp") || named.equals("icmpv6") ? "icmp6" : named;
            if (implicit != null && PROTOCOL_MODULES.contains(named) && ModuleOptions.knows(implicit, option)) {
                ModuleBuilder b = new ModuleBuilder(implicit);
                items.add(b);
                return b;
            }
            if (module != null && !ModuleOptions.isKnown(module.name)) {
                return module;
            }
            if (module != null) {
                warn(
                        at(currentColumn),
                        "IPT-UNKNOWN-OPTION",
                        "'--" + option + "' is not an option of -m " + module.name + "; kept with it",
                        "iptables-restore would reject this rule; analyses treat the match as unknown");
                return module;
            }
            return null;
        }

        private void closeTarget() {
            if (targetName != null) {
                target = new Target(targetName, targetGoto, targetOptions);
            }
        }

        private void address(Tokenizer.Token t, boolean source, boolean negate) {
            ValueWithNegation v = value(t, negate);
            if (v == null) {
                return;
            }
            try {
                Prefix p = parseAddress(v.text);
                if (p.family() == IpFamily.V6) {
                    sawV6 = true;
                } else {
                    sawV4 = true;
                }
                if (family != null && p.family() != family) {
                    fail(v.token, "'" + v.text + "' is " + p.family() + " in an " + family + " ruleset", "");
                    return;
                }
                items.add(new Match.Address(source, v.negated, p));
            } catch (AddressFormatException e) {
                fail(
                        v.token,
                        e.getMessage(),
                        "addresses are written as 10.0.0.0/8, 10.0.0.0/255.0.0.0 or 2001:db8::/32");
            }
        }

        private void iface(Tokenizer.Token t, boolean input, boolean negate) {
            ValueWithNegation v = value(t, negate);
            if (v != null) {
                items.add(new Match.Interface(input, v.negated, v.text));
            }
        }

        /** The option's value; handles the old "-s ! x" negation. */
        private ValueWithNegation value(Tokenizer.Token option, boolean negate) {
            boolean negated = negate;
            if (i < tokens.size() && tokens.get(i).is("!")) {
                negated = !negated;
                i++;
            }
            if (i >= tokens.size()) {
                fail(option, option.text() + " needs a value", "");
                return null;
            }
            Tokenizer.Token v = tokens.get(i++);
            return new ValueWithNegation(v.text(), negated, v);
        }

        private void fail(Tokenizer.Token at, String message, String hint) {
            error(at(at.column()), "IPT-SYNTAX", message, hint);
            failed = true;
        }
    }

    /** A module whose options are still being collected. */
    private static final class ModuleBuilder {
        final String name;
        final List<Option> options = new ArrayList<>();

        ModuleBuilder(String name) {
            this.name = name;
        }

        Match.Module build() {
            return new Match.Module(name, options);
        }
    }

    private record ValueWithNegation(String text, boolean negated, Tokenizer.Token token) {}

    /** {@code a.b.c.d}, {@code a.b.c.d/len}, {@code a.b.c.d/m.m.m.m} (contiguous masks), IPv6 with /len. */
    static Prefix parseAddress(String text) {
        int slash = text.indexOf('/');
        if (slash > 0 && text.indexOf('.', slash) > 0) {
            Prefix mask = Prefix.parse(text.substring(slash + 1));
            long m = mask.lo();
            int len = Long.bitCount(m);
            if (m != ((0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL) && len != 0) {
                throw new AddressFormatException("'" + text + "' has a non-contiguous netmask");
            }
            return network(text.substring(0, slash), len);
        }
        if (slash > 0) {
            String len = text.substring(slash + 1);
            if (len.matches("[0-9]{1,3}")) {
                return network(text.substring(0, slash), Integer.parseInt(len));
            }
        }
        return Prefix.parse(text);
    }

    /** iptables masks host bits silently ("10.0.0.1/8" means 10.0.0.0/8); so does the parser. */
    private static Prefix network(String address, int length) {
        Prefix host = Prefix.parse(address);
        if (length > host.family().bits()) {
            throw new AddressFormatException("'" + address + "/" + length + "': prefix length too long");
        }
        long hi = host.hi();
        long lo = host.lo();
        if (host.family() == IpFamily.V4) {
            lo = length == 0 ? 0 : lo & ((0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL);
        } else {
            hi = length == 0 ? 0 : length >= 64 ? hi : hi & (-1L << (64 - length));
            lo = length <= 64 ? 0 : lo & (-1L << (128 - length));
        }
        return new Prefix(host.family(), hi, lo, length);
    }

    private static String guessModule(String option) {
        switch (option) {
            case "--dport":
            case "--sport":
                return "tcp";
            case "--dports":
            case "--sports":
                return "multiport";
            case "--state":
                return "state";
            case "--ctstate":
                return "conntrack";
            default:
                return "MODULE";
        }
    }

    private SourceSpan at(int column) {
        return new SourceSpan(file, line, column);
    }

    private void error(SourceSpan at, String code, String message, String hint) {
        problems.add(Diagnostic.error(code, at, message, hint));
    }

    private void warn(SourceSpan at, String code, String message, String hint) {
        problems.add(Diagnostic.warning(code, at, message, hint));
    }
}
