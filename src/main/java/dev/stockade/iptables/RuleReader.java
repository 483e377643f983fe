package dev.stockade.iptables;

import dev.stockade.net.AddressFormatException;
import dev.stockade.net.HostsFile;
import dev.stockade.net.IpProtocol;
import dev.stockade.net.Prefix;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The rule level: reads the words after {@code -A CHAIN} into matches and a target, as iptables
 * does: negation in the current ({@code ! -s x}) and the old ({@code -s ! x}) syntax, dotted masks,
 * host names, options landing in the module that owns them, implicit protocol modules
 * ({@code -p tcp --dport 22}), targets with options and {@code -g} gotos, {@code -c} counters.
 * Errors and family clues go to the file's {@link Problems} and {@link FamilyClues}.
 */
final class RuleReader {

    /** The module {@code -p NUMBER} loads for options it does not know itself (libxtables' rule). */
    private static final Map<Integer, String> IMPLICIT_MODULES = Map.of(
            6, "tcp", 17, "udp", 136, "udplite", 1, "icmp", 58, "icmp6", 132, "sctp", 33, "dccp", 50, "esp", 51, "ah");

    /** A host name in {@code -s}/{@code -d}, where it was written. */
    record HostUse(String name, boolean negated, SourceSpan where) {}

    private final Problems problems;
    private final FamilyClues clues;
    private final List<HostUse> hosts;
    private final int line;
    private final List<Tokenizer.Token> tokens;
    private int i;
    /** Matches in order; a module stays open ({@link ModuleBuilder}) until the rule ends. */
    private final List<Object> items = new ArrayList<>();
    /** The generic flags the rule has used. */
    private final Set<String> seen = new HashSet<>();

    private ModuleBuilder module;
    private String protocol;
    private String targetName;
    private boolean targetGoto;
    private List<Option> targetOptions;
    private Optional<Counters> counters;
    private boolean failed;

    RuleReader(
            Problems problems,
            FamilyClues clues,
            List<HostUse> hosts,
            int line,
            List<Tokenizer.Token> tokens,
            int start) {
        this.problems = problems;
        this.clues = clues;
        this.hosts = hosts;
        this.line = line;
        this.tokens = tokens;
        this.i = start;
    }

    /** The rule, or empty after an error (already reported). */
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
                fail(t, "unexpected '" + t.text() + "'", "every value belongs to an option such as -s, --dport or -j");
                break;
            }
            generic(t, negate);
            negate = false;
        }
        if (failed) {
            return Optional.empty();
        }
        List<Match> matches = new ArrayList<>();
        for (Object o : items) {
            matches.add(o instanceof ModuleBuilder ? ((ModuleBuilder) o).build() : (Match) o);
        }
        return Optional.of(new Rule(
                chain, matches, target(), counters, Optional.of(at(tokens.get(0).column()))));
    }

    private void generic(Tokenizer.Token t, boolean negate) {
        if (!once(t)) {
            return;
        }
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
            case "--protocol":
                protocol(t, negate);
                return;
            case "-f":
            case "--fragment":
                clues.fragment(at(t.column()));
                items.add(new Match.Fragment(negate));
                return;
            case "-m":
            case "--match":
                match(t);
                return;
            case "-j":
            case "--jump":
            case "-g":
            case "--goto":
                jump(t);
                return;
            case "-c":
            case "--set-counters":
                setCounters(t);
                return;
            default:
                moduleOption(t, negate);
        }
    }

    /** iptables takes each of -s -d -i -o -p -f once per rule ("multiple -s flags not allowed"). */
    private boolean once(Tokenizer.Token t) {
        String flag;
        switch (t.text()) {
            case "-s":
            case "--source":
            case "--src":
                flag = "-s";
                break;
            case "-d":
            case "--destination":
            case "--dst":
                flag = "-d";
                break;
            case "-i":
            case "--in-interface":
                flag = "-i";
                break;
            case "-o":
            case "--out-interface":
                flag = "-o";
                break;
            case "-p":
            case "--protocol":
                flag = "-p";
                break;
            case "-f":
            case "--fragment":
                flag = "-f";
                break;
            default:
                return true;
        }
        if (!seen.add(flag)) {
            fail(t, "multiple " + flag + " flags are not allowed in one rule", "keep one " + flag + " per rule");
            return false;
        }
        return true;
    }

    private void protocol(Tokenizer.Token t, boolean negate) {
        Value v = value(t, negate);
        if (v != null) {
            protocol = v.text.toLowerCase(Locale.ROOT);
            clues.protocol(protocol, at(v.token.column()));
            items.add(new Match.Protocol(v.negated, protocol));
        }
    }

    private void match(Tokenizer.Token t) {
        Value v = value(t, false);
        if (v != null) {
            String name = moduleName(v.text);
            clues.module(name, at(v.token.column()));
            module = new ModuleBuilder(name);
            items.add(module);
        }
    }

    /** libxtables loads the icmp6 match for every spelling of ICMPv6. */
    private static String moduleName(String text) {
        return text.equals("icmpv6") || text.equals("ipv6-icmp") ? "icmp6" : text;
    }

    private void jump(Tokenizer.Token t) {
        Value v = value(t, false);
        if (v == null) {
            return;
        }
        if (targetName != null) {
            fail(t, "a rule has one target", "remove the second -j/-g");
            return;
        }
        targetName = v.text;
        targetGoto = t.text().startsWith("-g") || t.text().equals("--goto");
        targetOptions = new ArrayList<>();
        clues.target(targetName, at(v.token.column()));
    }

    private void setCounters(Tokenizer.Token t) {
        if (i + 1 >= tokens.size()) {
            fail(t, "-c needs two numbers (packets bytes)", "");
            return;
        }
        Optional<Counters> c =
                Counters.parse(tokens.get(i).text(), tokens.get(i + 1).text());
        if (c.isEmpty()) {
            fail(t, "-c needs two numbers (packets bytes) of 0 to 18446744073709551615", "e.g. -c 12 3456");
            return;
        }
        counters = c;
        i += 2;
    }

    private void moduleOption(Tokenizer.Token t, boolean negate) {
        if (!t.text().startsWith("--") || t.text().length() == 2) {
            fail(t, "unknown option '" + t.text() + "'", "");
            return;
        }
        List<String> values = new ArrayList<>();
        boolean negated = negate;
        while (i < tokens.size()) {
            Tokenizer.Token v = tokens.get(i);
            if (v.is("!")) {
                // '--opt ! value' is the old way to negate an option; a '!' followed by an option
                // (or nothing) negates that next option instead: '--syn ! -f'
                boolean valueFollows = i + 1 < tokens.size()
                        && !tokens.get(i + 1).isOption()
                        && !tokens.get(i + 1).is("!");
                if (!values.isEmpty() || !valueFollows) {
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
        if (targetName != null) {
            targetOptions.add(o);
            if (o.name().equals("reject-with")) {
                clues.rejectType(o.value(), at(t.column()));
            }
            return;
        }
        ModuleBuilder owner = owner(o.name(), t);
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
    private ModuleBuilder owner(String option, Tokenizer.Token at) {
        for (Object o : items) {
            if (o instanceof ModuleBuilder && ModuleOptions.knows(((ModuleBuilder) o).name, option)) {
                return (ModuleBuilder) o;
            }
        }
        OptionalInt number = protocol == null ? OptionalInt.empty() : IpProtocol.number(protocol);
        String implicit = number.isPresent() ? IMPLICIT_MODULES.get(number.getAsInt()) : null;
        if (implicit != null && ModuleOptions.knows(implicit, option)) {
            clues.module(implicit, at(at.column()));
            ModuleBuilder b = new ModuleBuilder(implicit);
            items.add(b);
            return b;
        }
        if (module != null && !ModuleOptions.isKnown(module.name)) {
            return module;
        }
        if (module != null) {
            problems.warn(
                    at(at.column()),
                    "IPT-UNKNOWN-OPTION",
                    "'--" + option + "' is not an option of -m " + module.name + "; kept with it",
                    "iptables-restore would reject this rule; analyses treat the match as unknown");
            return module;
        }
        return null;
    }

    private Optional<Target> target() {
        return targetName == null ? Optional.empty() : Optional.of(new Target(targetName, targetGoto, targetOptions));
    }

    /** An address or prefix; a host name when it is neither (iptables-restore resolves it). */
    private void address(Tokenizer.Token t, boolean source, boolean negate) {
        Value v = value(t, negate);
        if (v == null) {
            return;
        }
        SourceSpan where = at(v.token.column());
        try {
            Prefix p = Prefix.parseIptables(v.text);
            clues.address(p.family(), v.text, where);
            items.add(new Match.Address(source, v.negated, p));
        } catch (AddressFormatException e) {
            if (looksLikeName(v.text) && HostsFile.isHostName(v.text)) {
                hosts.add(new HostUse(v.text, v.negated, where));
                items.add(Match.Host.of(source, v.negated, v.text));
                return;
            }
            fail(
                    v.token,
                    looksLikeName(v.text)
                            ? "'" + v.text + "' is neither an address nor a host name"
                            : isNameWithLength(v.text)
                                    ? "'" + v.text + "': a host name with a prefix length is not supported"
                                    : e.getMessage(),
                    "addresses are written as 10.0.0.0/8, 10.0.0.0/255.0.0.0 or 2001:db8::/32, "
                            + "host names as ntp.example.net");
        }
    }

    /** Text meant as a name rather than a (bad) address: no ':', '/', and not all digits and dots. */
    private static boolean looksLikeName(String text) {
        return text.indexOf(':') < 0
                && text.indexOf('/') < 0
                && !text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static boolean isNameWithLength(String text) {
        int slash = text.indexOf('/');
        return slash > 0 && looksLikeName(text.substring(0, slash)) && HostsFile.isHostName(text.substring(0, slash));
    }

    private void iface(Tokenizer.Token t, boolean input, boolean negate) {
        Value v = value(t, negate);
        if (v != null) {
            items.add(new Match.Interface(input, v.negated, v.text));
        }
    }

    /** The option's value; handles the old "-s ! x" negation. */
    private Value value(Tokenizer.Token option, boolean negate) {
        boolean negated = negate;
        if (i < tokens.size() && tokens.get(i).is("!")) {
            negated = !negated;
            i++;
        }
        if (i >= tokens.size() || tokens.get(i).text().isEmpty()) {
            fail(option, option.text() + " needs a value", "");
            return null;
        }
        Tokenizer.Token v = tokens.get(i++);
        return new Value(v.text(), negated, v);
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
        return problems.at(line, column);
    }

    private void fail(Tokenizer.Token at, String message, String hint) {
        problems.error(at(at.column()), "IPT-SYNTAX", message, hint);
        failed = true;
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

    private record Value(String text, boolean negated, Tokenizer.Token token) {}
}
