package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.net.IpFamily;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Meaning, not only syntax: every corpus dump the kernel accepts is loaded twice, each time into a
 * fresh network namespace, the original file into one and Stockade's re-written text
 * ({@link IptablesSaveParser} then {@link IptablesSaveWriter}) into the other; the kernel's own
 * {@code iptables-save} (or {@code ip6tables-save}) of the two must be equal, line for line, once
 * counters and comment lines are set aside. The kernel prints its normal form of whatever it was
 * given, so spelling differences vanish and what remains is a change of meaning: an option the
 * parser dropped, a negation it lost, a value it re-quoted into another, a rule out of order.
 *
 * <p>Two mechanical edits make a dump loadable and are applied to both sides: the censored MAC
 * addresses of some dumps ({@code XX:XX:...}) become a valid one, and, for the original only, CR line
 * ends and trailing blanks, which iptables-restore refuses but the parser must (and does) read, are
 * removed. Files that are not dumps are those of {@link IptablesCorpusIT#NOT_DUMPS}; originals the
 * kernel refuses even so are listed below with the reason, and a new refusal fails the test.
 *
 * <p>As controls, two deliberate changes of meaning ({@link #CONTROLS}) are loaded once each in place
 * of a re-written text, and the comparison must report both. The counts (files, rules, chains,
 * tables) are printed; one namespace pair per dump, deleted right after it, takes about a second.
 */
class IptablesKernelRoundTripIT {

    /** Dumps whose original text iptables-restore refuses, with a fragment of its error message. */
    static final Map<String, String> REJECTED_ORIGINALS = Map.of(
            "iptables_semantics/inputs/parser_test_iptables-save",
            "unknown option \"--something-else\""); // a parser test that carries a made-up option on purpose

    private static final String CENSORED_MAC = "XX:XX:XX:XX:XX:XX";
    private static final String SOME_MAC = "02:00:00:00:00:01";
    private static final Pattern TRAILING_BLANKS =
            Pattern.compile("[ \\t\\r]+$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final Pattern CHAIN_COUNTERS = Pattern.compile("^(:\\S+ \\S+) \\[\\d+:\\d+]$");
    private static final Pattern RULE_COUNTERS = Pattern.compile("^\\[\\d+:\\d+] ");
    private static final int SHOWN_LINES = 6;

    /**
     * Changes of meaning the comparison must see, each made to one rule of the re-written model (the
     * first rule it applies to, in the first dump that has one) and loaded in place of the re-written
     * text: if the kernel's dump of that equals the original's, the comparison is blind.
     */
    private static final Map<String, UnaryOperator<Rule>> CONTROLS = Map.of(
            "first address match negated", IptablesKernelRoundTripIT::negateFirstAddress,
            "--log-prefix dropped from a LOG target", IptablesKernelRoundTripIT::dropLogPrefix);

    private final Map<String, String> rejected = new TreeMap<>();
    private final Map<String, String> differences = new TreeMap<>();
    /** Control name -> what the comparison said of it. */
    private final Map<String, ControlOutcome> controls = new TreeMap<>();

    /** A control tried on {@code file}: whether the comparison saw the change, and its first words. */
    private record ControlOutcome(String file, boolean seen, String detail) {
        @Override
        public String toString() {
            return (seen ? "seen in " : "NOT SEEN in ") + file + " (" + detail + ")";
        }
    }

    private final Tally tally = new Tally();
    private NetnsLab lab;
    private Path tmp;

    @Test
    void everyDumpTheKernelAccepts_meansTheSameWhenRewritten() throws Exception {
        GeneratedFilesIT.requireTool("iptables-save");
        GeneratedFilesIT.requireTool("ip6tables-save");
        Path root = IptablesCorpusIT.shared();
        long start = System.nanoTime();
        tmp = Files.createTempDirectory("stockade-kernel-round-trip");
        try (NetnsLab created = NetnsLab.create()) {
            lab = created;
            for (Path p : IptablesCorpusIT.dumps(root)) {
                String rel = root.relativize(p).toString();
                if (!IptablesCorpusIT.NOT_DUMPS.containsKey(rel)) {
                    compare(rel, IptablesCorpusIT.read(p));
                }
            }
        } finally {
            deleteRecursively(tmp);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
                "[kernel round trip] %d files compared (%d IPv4, %d IPv6): %d rules, %d chains, %d tables"
                        + " equal in the kernel; %d re-written texts differ from their original line by line;"
                        + " %d originals needed CR/trailing blanks removed; %d originals refused by the kernel"
                        + " (%s); %d files not dumps; controls: %s; %.1f s%n",
                tally.files,
                tally.files - tally.v6Files,
                tally.v6Files,
                tally.rules,
                tally.chains,
                tally.tables,
                tally.rewrittenDiffers,
                tally.cleaned,
                rejected.size(),
                String.join(", ", rejected.keySet()),
                IptablesCorpusIT.NOT_DUMPS.size(),
                controls,
                took.toMillis() / 1000.0);

        assertEquals(Map.of(), differences, "the kernel sees a different ruleset in the re-written text");
        assertEquals(REJECTED_ORIGINALS.keySet(), rejected.keySet(), "originals refused by the kernel: " + rejected);
        REJECTED_ORIGINALS.forEach((file, reason) -> assertTrue(
                rejected.get(file).contains(reason), file + " refused for another reason: " + rejected.get(file)));
        assertEquals(CONTROLS.keySet(), controls.keySet(), "controls tried");
        controls.forEach((name, outcome) -> assertTrue(outcome.seen(), name + ": " + outcome));
        assertTrue(tally.files >= 45, "only " + tally.files + " dumps compared");
        assertTrue(tally.v6Files >= 3, "only " + tally.v6Files + " IPv6 dumps compared");
    }

    /** Counts for the report. */
    private static final class Tally {
        int files;
        int v6Files;
        int rules;
        int chains;
        int tables;
        int rewrittenDiffers;
        int cleaned;

        void count(List<String> kernelDump, boolean v6, boolean rewrittenDiffers, boolean cleaned) {
            files++;
            v6Files += v6 ? 1 : 0;
            rules += (int) kernelDump.stream().filter(l -> l.startsWith("-A ")).count();
            chains += (int) kernelDump.stream().filter(l -> l.startsWith(":")).count();
            tables += (int) kernelDump.stream().filter(l -> l.startsWith("*")).count();
            this.rewrittenDiffers += rewrittenDiffers ? 1 : 0;
            this.cleaned += cleaned ? 1 : 0;
        }
    }

    /** One dump: original and re-written text into two fresh namespaces, deleted again whatever happens. */
    private void compare(String rel, String raw) throws Exception {
        String text = raw.replace(CENSORED_MAC, SOME_MAC);
        Ruleset parsed = IptablesSaveParser.parse(rel, text, null).ruleset();
        String rewritten = IptablesSaveWriter.write(parsed, List.of());
        String original = TRAILING_BLANKS.matcher(text).replaceAll("");
        Tools tools = parsed.family() == IpFamily.V6 ? Tools.V6 : Tools.V4;
        Host a = lab.host("original");
        try {
            Host b = lab.host("rewritten");
            try {
                ExecResult loadA = load(a, tools, original);
                if (!loadA.ok()) {
                    rejected.put(rel, firstLine(loadA));
                    return;
                }
                List<String> fromOriginal = dump(a, tools);
                Optional<String> difference = difference(b, tools, rewritten, fromOriginal);
                if (difference.isPresent()) {
                    differences.put(rel, difference.get());
                    return;
                }
                tally.count(
                        fromOriginal,
                        tools == Tools.V6,
                        !canonical(original).equals(canonical(rewritten)),
                        !original.equals(text));
                runControls(rel, parsed, b, tools, fromOriginal);
            } finally {
                lab.delete(b);
            }
        } finally {
            lab.delete(a);
        }
    }

    /** Loads {@code text} into {@code host} and says how the kernel's dump differs from {@code expected}. */
    private Optional<String> difference(Host host, Tools tools, String text, List<String> expected) throws IOException {
        ExecResult load = load(host, tools, text);
        if (!load.ok()) {
            return Optional.of("the kernel accepts the original but refuses the re-written text: " + firstLine(load)
                    + "\n" + numbered(text, load));
        }
        List<String> got = dump(host, tools);
        return got.equals(expected) ? Optional.empty() : Optional.of(describe(expected, got));
    }

    private void runControls(String rel, Ruleset parsed, Host host, Tools tools, List<String> fromOriginal)
            throws IOException {
        for (Map.Entry<String, UnaryOperator<Rule>> control : CONTROLS.entrySet()) {
            if (controls.containsKey(control.getKey())) {
                continue;
            }
            Optional<Ruleset> changed = changeFirst(parsed, control.getValue());
            if (changed.isPresent()) {
                String text = IptablesSaveWriter.write(changed.get(), List.of());
                Optional<String> difference = difference(host, tools, text, fromOriginal);
                controls.put(
                        control.getKey(),
                        new ControlOutcome(
                                rel,
                                difference.isPresent(),
                                difference
                                        .map(d -> d.lines()
                                                .skip(1)
                                                .limit(2)
                                                .map(String::strip)
                                                .toList()
                                                .toString())
                                        .orElse("the kernel's dumps are equal")));
            }
        }
    }

    /** The ruleset with the first rule {@code change} applies to (returns another rule) changed. */
    private static Optional<Ruleset> changeFirst(Ruleset ruleset, UnaryOperator<Rule> change) {
        List<Table> tables = new ArrayList<>(ruleset.tables());
        for (int t = 0; t < tables.size(); t++) {
            List<Rule> rules = new ArrayList<>(tables.get(t).rules());
            for (int r = 0; r < rules.size(); r++) {
                Rule changed = change.apply(rules.get(r));
                if (!changed.equals(rules.get(r))) {
                    rules.set(r, changed);
                    Table table = tables.get(t);
                    tables.set(t, new Table(table.name(), table.chains(), rules));
                    return Optional.of(new Ruleset(ruleset.family(), tables));
                }
            }
        }
        return Optional.empty();
    }

    private static Rule negateFirstAddress(Rule rule) {
        List<Match> matches = new ArrayList<>(rule.matches());
        for (int i = 0; i < matches.size(); i++) {
            if (matches.get(i) instanceof Match.Address a) {
                matches.set(i, new Match.Address(a.source(), !a.negated(), a.prefix()));
                return new Rule(rule.chain(), matches, rule.target(), rule.counters(), rule.span());
            }
        }
        return rule;
    }

    private static Rule dropLogPrefix(Rule rule) {
        return rule.target()
                .filter(t -> t.name().equals("LOG"))
                .filter(t -> t.options().stream().anyMatch(o -> o.name().equals("log-prefix")))
                .map(t -> new Target(
                        t.name(),
                        t.isGoto(),
                        t.options().stream()
                                .filter(o -> !o.name().equals("log-prefix"))
                                .toList()))
                .map(t -> new Rule(rule.chain(), rule.matches(), Optional.of(t), rule.counters(), rule.span()))
                .orElse(rule);
    }

    /** The restore and save programs of one family. */
    private enum Tools {
        V4("iptables-restore", "iptables-save"),
        V6("ip6tables-restore", "ip6tables-save");

        final String restore;
        final String save;

        Tools(String restore, String save) {
            this.restore = restore;
            this.save = save;
        }
    }

    private ExecResult load(Host host, Tools tools, String text) throws IOException {
        Path file = Files.writeString(tmp.resolve(host.name() + ".rules"), text, StandardCharsets.ISO_8859_1);
        return lab.exec(host, tools.restore, file.toString());
    }

    private List<String> dump(Host host, Tools tools) {
        ExecResult save = lab.exec(host, tools.save);
        assertTrue(save.ok(), () -> tools.save + " failed in " + host.netns() + ": " + save.describe());
        return canonical(save.stdout());
    }

    /**
     * The lines of a dump without comments, blank lines and counters ({@code [packets:bytes]} after a
     * chain's policy or before a rule).
     */
    static List<String> canonical(String dump) {
        List<String> out = new ArrayList<>();
        for (String line : dump.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            l = CHAIN_COUNTERS.matcher(l).replaceFirst("$1");
            out.add(RULE_COUNTERS.matcher(l).replaceFirst(""));
        }
        return out;
    }

    /** Where the two dumps part: the first differing line, and lines found in only one of them. */
    private static String describe(List<String> original, List<String> rewritten) {
        int i = 0;
        while (i < original.size() && i < rewritten.size() && original.get(i).equals(rewritten.get(i))) {
            i++;
        }
        StringBuilder sb = new StringBuilder()
                .append(original.size())
                .append(" lines from the original, ")
                .append(rewritten.size())
                .append(" from the re-written text; first difference at line ")
                .append(i + 1)
                .append(":\n  original:  ")
                .append(i < original.size() ? original.get(i) : "(end)")
                .append("\n  rewritten: ")
                .append(i < rewritten.size() ? rewritten.get(i) : "(end)");
        appendOnlyIn(sb, "only from the original", original, rewritten);
        appendOnlyIn(sb, "only from the re-written text", rewritten, original);
        return sb.toString();
    }

    private static void appendOnlyIn(StringBuilder sb, String title, List<String> these, List<String> others) {
        Map<String, Integer> left = new HashMap<>();
        others.forEach(l -> left.merge(l, 1, Integer::sum));
        List<String> only = new ArrayList<>();
        for (String l : these) {
            if (left.merge(l, -1, Integer::sum) < 0) {
                only.add(l);
            }
        }
        if (!only.isEmpty()) {
            sb.append("\n  ").append(title).append(" (").append(only.size()).append("):");
            only.stream().limit(SHOWN_LINES).forEach(l -> sb.append("\n    ").append(l));
        }
    }

    private static String firstLine(ExecResult r) {
        return (r.stderr() + r.stdout()).strip().lines().findFirst().orElse("exit " + r.exit());
    }

    /** The lines around the one iptables-restore names in its error ("line N"), numbered. */
    private static String numbered(String text, ExecResult r) {
        Matcher m = Pattern.compile("line (\\d+)").matcher(r.stderr());
        int at = m.find() ? Integer.parseInt(m.group(1)) : 1;
        List<String> lines = text.lines().toList();
        StringBuilder sb = new StringBuilder();
        for (int n = Math.max(1, at - 2); n <= Math.min(lines.size(), at + 2); n++) {
            sb.append(String.format("%6d  %s%n", n, lines.get(n - 1)));
        }
        return sb.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
