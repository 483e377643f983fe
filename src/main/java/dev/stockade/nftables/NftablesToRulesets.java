package dev.stockade.nftables;

import dev.stockade.iptables.Chain;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.iptables.Targets;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.SourceSpan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts an nftables ruleset into the iptables model the analysis reads: for one family, a
 * {@code filter} table whose INPUT, FORWARD and OUTPUT chains do what the ruleset's base chains on
 * those hooks do, so {@code FilterAnalysis} and {@code TableSemantics} answer for nftables as they
 * do for iptables, with no second evaluator.
 *
 * <p>Design note. Base chains of type filter (or route, on output) on the hooks input, forward and
 * output of the tables of family {@code inet} (both families), {@code ip} (IPv4) and {@code ip6}
 * (IPv6) are read; regular chains become user chains. Each nft rule becomes one iptables rule, or
 * several when a match has no single iptables form (see {@link NftMatches}); the rules of a split
 * are tried in order and a packet matches at most one of them unless the alternatives overlap, in
 * which case the later ones see only what the first let through, so the split is exact.
 *
 * <p>Several base chains on one hook (another table's, or two of one table) are evaluated in
 * priority order, and a packet passes the hook only if each of them accepts it: {@code accept}
 * ends only its own base chain, {@code drop} and {@code reject} are final (nft(8), "VERDICT
 * STATEMENT"). iptables has no such verdict, but it is expressible with final verdicts alone: base
 * chain k becomes a user chain B_k in which {@code accept} is a jump to the wrapper W_(k+1) =
 * {@code -j B_(k+1)} followed by B_(k+1)'s policy (accept: {@code -j W_(k+2)}; drop: DROP), and the
 * last layer's accept is ACCEPT. Every wrapper ends in a final verdict, so a jump into it never
 * returns, and the builtin chain is W_1. Regular chains called from a layer that is not the last
 * get a copy per (hook, layer) whose accept leads on to the next layer ({@code CHAIN@INPUT#k}).
 * Since each chain is summarised once by {@code TableSemantics}, the cost stays linear in the
 * rules. With one base chain on a hook, the builtin chain holds its rules and policy directly.
 *
 * <p>Tables already in the iptables model join as layers of their own ({@link #convert(String,
 * NftRuleset, IpFamily, List)}): the filter table iptables-save shows, whose builtin chains are base
 * chains at the filter priority (iptables-nft's {@code ip filter} and iptables-legacy's register
 * there alike). {@code nft -j} prints iptables-nft's matches as bare {@code xt} expressions without
 * their arguments, so iptables-save's reading of that table is the exact one and replaces the nft
 * table of the same name. Its chains become {@code ip/filter/CHAIN} ({@code ip6/...} for IPv6); its
 * ACCEPT leads on to the next layer as an nft accept does, and its user chains get copies per layer
 * as regular chains do. Which packets pass a hook does not depend on the order of its layers (each
 * must accept), so equal priorities need no tie-break.
 *
 * <p>What is not modelled stays a named bound (the analysis' doubts, read both ways): matches and
 * statements Stockade does not know are {@code -m nft --match TEXT} conditions; verdicts it does not
 * know (vmap, NAT statements, queue: -j VMAP, DNAT, NFQUEUE...) are targets whose verdict is unknown; base chains on other hooks
 * (prerouting, postrouting, ingress) or of other types (nat) that may drop a packet add, in front of
 * each builtin chain they precede, a rule that may drop anything. Each of these is also a warning.
 */
public final class NftablesToRulesets {

    /** The iptables model of one family of an nft ruleset, with warnings naming what is read as a bound. */
    public record Converted(Ruleset ruleset, List<Diagnostic> warnings) {
        public Converted {
            warnings = List.copyOf(warnings);
        }

        /** The filter table the analysis reads. */
        public Table filter() {
            return ruleset.table("filter").orElseThrow();
        }
    }

    static final List<String> HOOKS = List.of("input", "forward", "output");

    /** Chain names an nft chain's name must not be mistaken for (besides iptables' targets). */
    private static final Set<String> RESERVED = Set.of("INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING");

    /** Statements that decide a verdict Stockade does not model, and the iptables target that stands for each. */
    private static final Map<String, String> VERDICT_STATEMENTS = Map.of(
            "dnat", "DNAT",
            "snat", "SNAT",
            "masquerade", "MASQUERADE",
            "redirect", "REDIRECT",
            "tproxy", "TPROXY",
            "synproxy", "SYNPROXY",
            "queue", "NFQUEUE",
            "fwd", "FWD",
            "vmap", "VMAP",
            "xt", "XT");

    /** One base chain on a hook: an nft chain, or a builtin chain of a table in the iptables model. */
    private sealed interface Base permits NftBase, IptablesBase {
        int priority();

        boolean accepts();
    }

    /** A base chain and its table. */
    private record NftBase(NftTable table, NftChain chain) implements Base {
        @Override
        public int priority() {
            return chain.hook().orElseThrow().priority();
        }

        @Override
        public boolean accepts() {
            return chain.hook().orElseThrow().policy().equals("accept");
        }
    }

    /** A builtin chain of an iptables table, {@code prefix} naming its chains in the result. */
    private record IptablesBase(Table table, String chain, String prefix, int priority) implements Base {
        @Override
        public boolean accepts() {
            return table.chain(chain).flatMap(Chain::policy).orElse("ACCEPT").equals("ACCEPT");
        }
    }

    /** Where a chain's rules send {@code accept} and which copy of a callee they call. */
    private record Context(String acceptTarget, String suffix) {
        static final Context LAST = new Context("ACCEPT", "");
    }

    private final String file;
    private final IpFamily family;
    private final List<NftTable> tables = new ArrayList<>();
    private final List<Table> iptables;
    private final Map<String, String> plainNames = new HashMap<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Set<String> emitted = new HashSet<>();
    private final Deque<Runnable> pending = new ArrayDeque<>();
    /** Rules that go first in a builtin chain: the bounds for base chains that run before it. */
    private final Map<String, List<Rule>> front = new HashMap<>();

    private NftablesToRulesets(String file, IpFamily family, List<Table> iptables) {
        this.file = file;
        this.family = family;
        this.iptables = List.copyOf(iptables);
    }

    /**
     * The iptables model of {@code ruleset} for {@code family}.
     *
     * @param file where the ruleset was read from, for warnings that have no rule to point at
     */
    public static Converted convert(String file, NftRuleset ruleset, IpFamily family) {
        return convert(file, ruleset, family, List.of());
    }

    /**
     * As {@link #convert(String, NftRuleset, IpFamily)}, with tables in the iptables model (as
     * iptables-save shows them for {@code family}) as layers beside the nft tables: each builtin
     * chain a base chain of the table's named priority ({@code filter} 0, {@code mangle} -150,
     * {@code security} 50) on its hook. An nft table of the same family and name ({@code ip filter}
     * for IPv4) is the one iptables-nft keeps for it and is left out.
     *
     * @throws IllegalArgumentException for a table that is not filter, mangle or security
     */
    public static Converted convert(String file, NftRuleset ruleset, IpFamily family, List<Table> iptables) {
        for (Table t : iptables) {
            if (!Set.of("filter", "mangle", "security").contains(t.name())) {
                throw new IllegalArgumentException(
                        "table " + t.name() + " has no input, forward or output filter hook");
            }
        }
        NftablesToRulesets c = new NftablesToRulesets(file, family, iptables);
        return c.run(ruleset);
    }

    /** nft's name of this family's iptables tables: {@code ip} or {@code ip6}. */
    private String iptablesFamily() {
        return family == IpFamily.V4 ? "ip" : "ip6";
    }

    private boolean replaced(NftTable t) {
        return t.family().equals(iptablesFamily())
                && iptables.stream().anyMatch(i -> i.name().equals(t.name()));
    }

    private static boolean applies(String tableFamily, IpFamily family) {
        return tableFamily.equals("inet") || tableFamily.equals(family == IpFamily.V4 ? "ip" : "ip6");
    }

    private static String key(NftTable t, String chain) {
        return t.family() + "/" + t.name() + "/" + chain;
    }

    private Converted run(NftRuleset ruleset) {
        Map<String, Integer> uses = new HashMap<>();
        for (NftTable t : ruleset.tables()) {
            if (replaced(t)) {
                continue;
            }
            if (applies(t.family(), family)) {
                tables.add(t);
                t.chains().stream().filter(c -> !c.isBase()).forEach(c -> uses.merge(c.name(), 1, Integer::sum));
            } else if (!Set.of("ip", "ip6", "inet").contains(t.family())) {
                otherFamily(t);
            }
        }
        for (NftTable t : tables) {
            for (NftChain c : t.chains()) {
                boolean bare = uses.getOrDefault(c.name(), 0) == 1
                        && !RESERVED.contains(c.name())
                        && !Targets.isBuiltin(c.name())
                        && c.name().chars().allMatch(ch -> ch > ' ' && ch != '/' && ch != '@' && ch != '#' && ch < 127);
                plainNames.put(key(t, c.name()), bare ? c.name() : key(t, c.name()));
            }
        }
        for (NftTable t : tables) {
            for (NftChain c : t.chains()) {
                c.hook().ifPresent(h -> {
                    if (!modelled(h)) {
                        notModelled(t, c);
                    }
                });
            }
        }
        for (String hook : HOOKS) {
            String builtin = hook.toUpperCase(java.util.Locale.ROOT);
            List<Base> layers = new ArrayList<>();
            for (NftTable t : tables) {
                for (NftChain c : t.chains()) {
                    if (c.hook().isPresent()
                            && modelled(c.hook().get())
                            && c.hook().get().hook().equals(hook)) {
                        layers.add(new NftBase(t, c));
                    }
                }
            }
            for (Table t : iptables) {
                if (t.chain(builtin).isPresent()) {
                    layers.add(new IptablesBase(
                            t,
                            builtin,
                            iptablesFamily() + "/" + t.name() + "/",
                            RulesetBuilder.namedPriority(iptablesFamily(), t.name())
                                    .orElseThrow()));
                }
            }
            layers.sort(Comparator.comparingInt(Base::priority));
            rules.addAll(front.getOrDefault(builtin, List.of()));
            hook(builtin, layers);
        }
        // regular chains no base chain reaches are still part of the table (lints name them)
        for (NftTable t : tables) {
            for (NftChain c : t.chains()) {
                if (!c.isBase()) {
                    userChain(t, c.name(), Context.LAST);
                }
            }
        }
        for (Table t : iptables) {
            for (Chain c : t.chains()) {
                if (!c.isBuiltin()) {
                    iptablesChain(t, iptablesFamily() + "/" + t.name() + "/", c.name(), Context.LAST);
                }
            }
        }
        drain();
        List<Chain> all = new ArrayList<>(chains.values());
        Table filter = new Table("filter", all, order(all));
        return new Converted(new Ruleset(family, List.of(filter)), warnings);
    }

    /** Rules grouped by chain in the order of the chains, each chain's in the order made. */
    private List<Rule> order(List<Chain> all) {
        Map<String, List<Rule>> by = new LinkedHashMap<>();
        all.forEach(c -> by.put(c.name(), new ArrayList<>()));
        rules.forEach(r -> by.get(r.chain()).add(r));
        List<Rule> out = new ArrayList<>();
        by.values().forEach(out::addAll);
        return out;
    }

    private static boolean modelled(NftChain.Hook h) {
        return HOOKS.contains(h.hook())
                && (h.type().equals("filter")
                        || (h.type().equals("route") && h.hook().equals("output")));
    }

    private void hook(String builtin, List<Base> layers) {
        if (layers.isEmpty()) {
            chains.put(builtin, Chain.builtin(builtin, "ACCEPT"));
            return;
        }
        if (layers.size() == 1) {
            Base b = layers.get(0);
            chains.put(builtin, Chain.builtin(builtin, b.accepts() ? "ACCEPT" : "DROP"));
            body(b, builtin, Context.LAST);
            return;
        }
        chains.put(builtin, Chain.builtin(builtin, "DROP"));
        int n = layers.size();
        for (int k = 1; k <= n; k++) {
            Base b = layers.get(k - 1);
            String wrapper = k == 1 ? builtin : builtin + "#" + k;
            String bodyName = b instanceof NftBase nb
                    ? key(nb.table(), nb.chain().name())
                    : ((IptablesBase) b).prefix() + builtin;
            String next = k < n ? builtin + "#" + (k + 1) : "ACCEPT";
            if (k > 1) {
                chains.put(wrapper, Chain.user(wrapper));
            }
            chains.put(bodyName, Chain.user(bodyName));
            rules.add(Rule.of(wrapper, List.of(), Target.jump(bodyName)));
            rules.add(Rule.of(wrapper, List.of(), Target.jump(b.accepts() ? next : "DROP")));
            Context ctx = k < n ? new Context(next, "@" + builtin + "#" + k) : Context.LAST;
            body(b, bodyName, ctx);
        }
    }

    private void body(Base b, String name, Context ctx) {
        if (b instanceof NftBase n) {
            body(n.table(), n.chain(), name, ctx);
        } else {
            IptablesBase i = (IptablesBase) b;
            iptablesBody(i.table(), i.prefix(), i.chain(), name, ctx);
        }
    }

    /**
     * Copies an iptables chain's rules into {@code name}: ACCEPT goes where {@code ctx} sends an
     * accept, jumps and gotos to the table's user chains go to their copies for {@code ctx}; every
     * other target (DROP, REJECT, RETURN, LOG...) stays as it is.
     */
    private void iptablesBody(Table t, String prefix, String chain, String name, Context ctx) {
        for (Rule r : t.rules(chain)) {
            Optional<Target> target = r.target().map(x -> {
                if (x.name().equals("ACCEPT")) {
                    return Target.jump(ctx.acceptTarget());
                }
                if (t.chain(x.name()).filter(c -> !c.isBuiltin()).isPresent()) {
                    return new Target(iptablesChain(t, prefix, x.name(), ctx), x.isGoto(), x.options());
                }
                return x;
            });
            rules.add(new Rule(name, r.matches(), target, Optional.empty(), r.span()));
        }
    }

    private String iptablesChain(Table t, String prefix, String chain, Context ctx) {
        String name = prefix + chain + ctx.suffix();
        if (emitted.add(name)) {
            chains.put(name, Chain.user(name));
            pending.add(() -> iptablesBody(t, prefix, chain, name, ctx));
        }
        return name;
    }

    /** Converts a chain's rules into {@code name}, queueing the chains they call. */
    private void body(NftTable t, NftChain c, String name, Context ctx) {
        NftMatches matches = new NftMatches(family, t);
        for (NftRule r : c.rules()) {
            rules.addAll(rule(t, matches, r, name, ctx));
        }
    }

    private String userChain(NftTable t, String chain, Context ctx) {
        String name = plainNames.getOrDefault(key(t, chain), key(t, chain)) + ctx.suffix();
        if (emitted.add(name)) {
            Optional<NftChain> c = t.chain(chain);
            if (c.isPresent() && !c.get().isBase()) {
                chains.put(name, Chain.user(name));
                pending.add(() -> body(t, c.get(), name, ctx));
            }
        }
        return name;
    }

    private void drain() {
        int guard = 0;
        while (!pending.isEmpty() && guard++ < 1_000_000) {
            pending.poll().run();
        }
    }

    private List<Rule> rule(NftTable t, NftMatches matches, NftRule r, String chain, Context ctx) {
        NftMatches.Cond cond = NftMatches.Cond.ALWAYS;
        Optional<Target> target = Optional.empty();
        for (NftStatement s : r.statements()) {
            if (s instanceof NftStatement.Match) {
                cond = cond.and(matches.convert((NftStatement.Match) s));
            } else if (s instanceof NftStatement.Verdict) {
                target = verdict(t, (NftStatement.Verdict) s, ctx);
                break;
            } else if (s instanceof NftStatement.Other) {
                String text = ((NftStatement.Other) s).text();
                String word = text.split(" ", 2)[0];
                String key = text.contains(" vmap ") ? "vmap" : word;
                if (VERDICT_STATEMENTS.containsKey(key) && (!key.equals("xt") || text.startsWith("xt target"))) {
                    target = Optional.of(Target.jump(VERDICT_STATEMENTS.get(key)));
                    break;
                }
                if (!observes(text, word)) {
                    cond = cond.and(NftMatches.Cond.of(NftMatches.unknown(text)));
                }
            }
            if (cond.alternatives().size() > 4096) {
                cond = NftMatches.Cond.of(NftMatches.unknown(r.text()));
            }
        }
        List<Rule> out = new ArrayList<>();
        for (List<Match> alt : cond.alternatives()) {
            out.add(new Rule(chain, alt, target, Optional.empty(), r.span()));
        }
        return out;
    }

    /** Statements that only log, count or set a mark: the packet goes on, its verdict unchanged. */
    private static boolean observes(String text, String word) {
        return word.equals("log")
                || word.equals("counter")
                || word.equals("notrack")
                || word.equals("dup")
                || text.contains(" set ");
    }

    private Optional<Target> verdict(NftTable t, NftStatement.Verdict v, Context ctx) {
        switch (v.kind()) {
            case "accept":
                return Optional.of(Target.jump(ctx.acceptTarget()));
            case "drop":
                return Optional.of(Target.jump("DROP"));
            case "reject":
                return Optional.of(Target.jump("REJECT"));
            case "return":
                return Optional.of(Target.jump("RETURN"));
            case "continue":
                return Optional.empty();
            case "queue":
                return Optional.of(Target.jump("NFQUEUE"));
            default:
                String callee = userChain(t, v.argument().orElseThrow(), ctx);
                return Optional.of(new Target(callee, v.kind().equals("goto"), List.of()));
        }
    }

    /** The builtin chains a packet reaches after a hook Stockade does not model. */
    private static List<String> after(String hook) {
        switch (hook) {
            case "prerouting":
            case "ingress":
                return List.of("INPUT", "FORWARD");
            case "postrouting":
                return List.of("FORWARD", "OUTPUT");
            default:
                return List.of(hook.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private void notModelled(NftTable t, NftChain c) {
        NftChain.Hook h = c.hook().orElseThrow();
        String name = t.family() + " " + t.name() + " " + c.name();
        boolean drops = mayDrop(t, c, new HashSet<>());
        SourceSpan at = c.rules().stream()
                .map(NftRule::span)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(SourceSpan.ofFile(file));
        warnings.add(Diagnostic.warning(
                "NFT-NOT-MODELLED",
                at,
                "base chain " + name + " (type " + h.type() + " hook " + h.hook() + ") is not modelled"
                        + (drops
                                ? ": what it may drop makes results bounds"
                                : " and gives no verdict that matters here"),
                "Stockade analyses filter chains on the input, forward and output hooks"));
        if (!drops) {
            return;
        }
        Match doubt = NftMatches.unknown("chain " + name + " type " + h.type() + " hook " + h.hook());
        Rule r = new Rule("", List.of(doubt), Optional.of(Target.jump("DROP")), Optional.empty(), Optional.of(at));
        for (String builtin : after(h.hook())) {
            front.computeIfAbsent(builtin, k -> new ArrayList<>())
                    .add(new Rule(builtin, r.matches(), r.target(), Optional.empty(), r.span()));
        }
    }

    /** Whether a chain (or one it calls) may end a packet's way: a drop, reject, queue or unknown statement. */
    private static boolean mayDrop(NftTable t, NftChain c, Set<String> seen) {
        if (!seen.add(c.name())) {
            return false;
        }
        if (c.hook().map(h -> h.policy().equals("drop")).orElse(false)) {
            return true;
        }
        for (NftRule r : c.rules()) {
            for (NftStatement s : r.statements()) {
                if (s instanceof NftStatement.Other) {
                    String text = ((NftStatement.Other) s).text();
                    if (!observes(text, text.split(" ", 2)[0])) {
                        return true;
                    }
                } else if (s instanceof NftStatement.Verdict) {
                    NftStatement.Verdict v = (NftStatement.Verdict) s;
                    if (Set.of("drop", "reject", "queue").contains(v.kind())) {
                        return true;
                    }
                    if (v.argument().isPresent()
                            && (v.kind().equals("jump") || v.kind().equals("goto"))) {
                        Optional<NftChain> callee = t.chain(v.argument().get());
                        if (callee.isEmpty() || mayDrop(t, callee.get(), seen)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Tables of the arp and bridge families filter other traffic; a netdev ingress chain sees IP packets first. */
    private void otherFamily(NftTable t) {
        for (NftChain c : t.chains()) {
            if (!c.isBase()) {
                continue;
            }
            if (t.family().equals("netdev")) {
                notModelled(t, c);
            } else {
                warnings.add(Diagnostic.warning(
                        "NFT-NOT-MODELLED",
                        SourceSpan.ofFile(file),
                        "table " + t.family() + " " + t.name() + " (chain " + c.name()
                                + ") is not analysed: it filters " + (t.family().equals("arp") ? "ARP" : "bridged")
                                + " traffic, not the host's IP packets",
                        ""));
            }
        }
    }
}
