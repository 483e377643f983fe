package dev.stockade.audit;

import dev.stockade.analysis.RulesetDiff;
import dev.stockade.iptables.Table;
import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.net.IpFamily;
import dev.stockade.nftables.NftChain;
import dev.stockade.nftables.NftJsonParser;
import dev.stockade.nftables.NftRule;
import dev.stockade.nftables.NftRuleset;
import dev.stockade.nftables.NftRulesetReader;
import dev.stockade.nftables.NftStatement;
import dev.stockade.nftables.NftTable;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.nftables.ParsedNftRuleset;
import dev.stockade.provision.NodePlanner;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's native nftables tables, read as part of the firewall the kernel runs.
 *
 * <p>Design note. The kernel runs every base chain attached to a hook, each table's at its
 * priority, and a packet goes on only if each of them accepts it. iptables-nft keeps the iptables
 * tables ({@link #IPTABLES_NFT}) in nftables too, but {@code nft -j list ruleset} prints their
 * matches as bare {@code xt} expressions without their arguments, while iptables-save prints them
 * exactly. So the audit reads, per family, iptables-save's filter table and every other table of
 * {@code nft -j list ruleset} (the tables of family {@code inet} and {@code ip} or {@code ip6}), and
 * joins them as layered base chains with {@link NftablesToRulesets}, the reading {@code fw} uses for
 * nftables: a packet is accepted only if iptables' INPUT and each native input chain accept it.
 * iptables-nft's tables are left out of the nft reading before it is parsed, so their {@code xt}
 * expressions are neither read nor warned about. What the nft reading does not model (an
 * expression, a base chain on another hook) is an {@code AUD-NFT-UNMODELLED} finding at its place
 * in the nft output, and the exposure reads it as bounds. Not read: iptables' nat, mangle, raw and
 * security tables (as without native tables).
 */
final class NftTables {

    /** The tables iptables-nft (and ip6tables-nft) manage; their rules are in iptables-save output. */
    static final Set<String> IPTABLES_NFT = Set.of(
            "ip filter",
            "ip nat",
            "ip mangle",
            "ip raw",
            "ip security",
            "ip6 filter",
            "ip6 nat",
            "ip6 mangle",
            "ip6 raw",
            "ip6 security");

    private NftTables() {}

    /** The host's native tables (none of iptables-nft's) and the output they were read from. */
    record Native(ProbeOutput output, NftRuleset ruleset) {

        /** The native tables one family's packets pass: {@code inet}, and {@code ip} or {@code ip6}. */
        List<NftTable> tables(IpFamily family) {
            String own = family == IpFamily.V4 ? "ip" : "ip6";
            return ruleset.tables().stream()
                    .filter(t -> t.family().equals("inet") || t.family().equals(own))
                    .toList();
        }
    }

    /**
     * The native tables of the host's {@code nft -j list ruleset}, if it has any; a fact that is
     * missing or does not parse is a finding in {@code out}, each warning of the nft reading an
     * {@code AUD-NFT-UNMODELLED} finding.
     */
    static Optional<Native> read(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.NFT);
        if (o.status() == ProbeOutput.Status.MISSING || o.status() == ProbeOutput.Status.ABSENT) {
            return Optional.empty(); // no nft on the host: every rule is in iptables-save
        }
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, "the checks of native nftables tables"));
            return Optional.empty();
        }
        if (o.stdout().isBlank()) {
            return Optional.empty();
        }
        ParsedNftRuleset parsed;
        try {
            parsed = NftJsonParser.parse(o.source(), withoutIptablesNft(JsonReader.read(o.source(), o.stdout())));
        } catch (InputException e) {
            e.diagnostics().forEach(d -> out.add(unreadable(facts.host(), d, "native nftables tables")));
            return Optional.empty();
        }
        parsed.warnings().forEach(d -> out.add(unmodelled(facts.host(), d)));
        if (parsed.ruleset().tables().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Native(o, parsed.ruleset()));
    }

    /** The JSON with the objects of iptables-nft's tables taken out (the rest keeps its places). */
    private static JsonValue withoutIptablesNft(JsonValue root) {
        if (!(root instanceof JsonValue.JsonObject top)
                || !(top.members().get("nftables") instanceof JsonValue.JsonArray items)) {
            return root; // the parser says what is wrong with it
        }
        List<JsonValue> kept = new ArrayList<>();
        for (JsonValue item : items.items()) {
            if (!(item instanceof JsonValue.JsonObject obj
                    && obj.members().size() == 1
                    && IPTABLES_NFT.contains(tableOf(obj)))) {
                kept.add(item);
            }
        }
        return new JsonValue.JsonObject(
                Map.of("nftables", new JsonValue.JsonArray(kept, items.span())), top.keySpans(), top.span());
    }

    /** {@code FAMILY TABLE} of a {@code {"table": ...}}, {@code {"chain": ...}}, {@code {"rule": ...}}... object. */
    private static String tableOf(JsonValue.JsonObject item) {
        Map.Entry<String, JsonValue> e = item.members().entrySet().iterator().next();
        if (!(e.getValue() instanceof JsonValue.JsonObject body)) {
            return "";
        }
        String table = e.getKey().equals("table") ? text(body, "name") : text(body, "table");
        return text(body, "family") + " " + table;
    }

    private static String text(JsonValue.JsonObject o, String key) {
        return o.members().get(key) instanceof JsonValue.JsonString s ? s.value() : "?";
    }

    /**
     * The filter table the kernel runs for {@code family}: iptables' filter table (if loaded) and the
     * native tables as layers of one table, with the warnings of the conversion.
     */
    static NftablesToRulesets.Converted layered(Native n, IpFamily family, Optional<Table> iptablesFilter) {
        return NftablesToRulesets.convert(
                n.output().source(),
                n.ruleset(),
                family,
                iptablesFilter.map(List::of).orElse(List.of()));
    }

    /** The native base chains of type filter on the input hook, by name ({@code inet stockade input}), and whether each drops what its rules do not accept. */
    static Map<String, Boolean> inputChains(Native n, IpFamily family) {
        Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        for (NftTable t : n.tables(family)) {
            for (NftChain c : t.chains()) {
                if (c.hook()
                        .filter(h -> h.hook().equals("input") && h.type().equals("filter"))
                        .isPresent()) {
                    out.put(t.family() + " " + t.name() + " " + c.name(), dropsByDefault(c));
                }
            }
        }
        return out;
    }

    /** Policy drop, or a last rule that drops or rejects every packet (counting or logging on the way). */
    static boolean dropsByDefault(NftChain c) {
        if (c.hook().orElseThrow().policy().equals("drop")) {
            return true;
        }
        if (c.rules().isEmpty()) {
            return false;
        }
        NftRule last = c.rules().get(c.rules().size() - 1);
        List<NftStatement> s = last.statements();
        if (s.isEmpty() || !(s.get(s.size() - 1) instanceof NftStatement.Verdict v)) {
            return false;
        }
        boolean onlyObserves = s.subList(0, s.size() - 1).stream()
                .allMatch(x -> x instanceof NftStatement.Counter || x instanceof NftStatement.Log);
        return onlyObserves && (v.kind().equals("drop") || v.kind().equals("reject"));
    }

    /**
     * The tables of {@link NodePlanner#NFTABLES_CONF} (what {@code stockade-nftables.service}
     * loads at boot) against the same tables loaded now, per family and chain as packet sets:
     * {@code AUD-RULES-UNSAVED} for each difference, and for a saved table that is not loaded.
     */
    static void saved(HostFacts facts, Optional<Native> loaded, List<Finding> out) {
        ProbeOutput s = facts.output(Probe.NFT_CONF);
        if (s == null || !s.ok() || s.stdout().isBlank()) {
            return; // no saved ruleset (an unreadable one is an AUD-FACT of its own, below)
        }
        String path = NodePlanner.NFTABLES_CONF;
        NftRuleset saved;
        try {
            ParsedNftRuleset parsed = NftRulesetReader.parse(s.source(), s.stdout());
            parsed.warnings().forEach(d -> out.add(unmodelled(facts.host(), d)));
            saved = parsed.ruleset();
        } catch (InputException e) {
            e.diagnostics().forEach(d -> out.add(unreadable(facts.host(), d, "the saved nftables ruleset")));
            return;
        }
        for (NftTable table : saved.tables()) {
            String name = table.family() + " " + table.name();
            Optional<NftTable> now = loaded.flatMap(n -> n.ruleset().table(table.family(), table.name()));
            if (now.isEmpty()) {
                out.add(FirewallChecks.unsaved(
                        facts,
                        s,
                        "table " + name + " of " + path + " is not loaded: the firewall a reboot loads is not the"
                                + " one running",
                        "load it (systemctl restart " + NodePlanner.NFTABLES_UNIT + ") and find out why it was not"));
                continue;
            }
            List<String> changes = changes(table, now.get(), s.source());
            if (!changes.isEmpty()) {
                out.add(FirewallChecks.unsaved(
                        facts,
                        s,
                        "the loaded table " + name + " differs from " + path + ", which a reboot loads: "
                                + String.join("; ", changes),
                        "save it if it is right (nft list table " + name + ", into " + path
                                + "), or load the saved one (systemctl restart " + NodePlanner.NFTABLES_UNIT + ")"));
            }
        }
    }

    /** What the loaded table opens and closes against the saved one, per family and chain. */
    private static List<String> changes(NftTable saved, NftTable loaded, String file) {
        List<String> changes = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            if (!Set.of("inet", family == IpFamily.V4 ? "ip" : "ip6").contains(saved.family())) {
                continue;
            }
            Table savedFilter = NftablesToRulesets.convert(file, new NftRuleset(List.of(saved)), family)
                    .filter();
            Table loadedFilter = NftablesToRulesets.convert(file, new NftRuleset(List.of(loaded)), family)
                    .filter();
            for (String chain : List.of("INPUT", "FORWARD", "OUTPUT")) {
                try {
                    // as for iptables: what a reboot (the saved table) opens and closes
                    RulesetDiff d = RulesetDiff.of(family, loadedFilter, savedFilter, chain);
                    if (!d.identical()) {
                        changes.add(family + " " + chain + FirewallChecks.whatChanges(d));
                    }
                } catch (InputException e) {
                    changes.add(family + " " + chain + " cannot be compared (" + e.getMessage() + ")");
                }
            }
        }
        return changes;
    }

    /** {@code AUD-NFT-UNMODELLED}: something of the native (or saved) tables the reading does not model, where it is. */
    static Finding unmodelled(String host, Diagnostic d) {
        return new Finding(
                "AUD-NFT-UNMODELLED",
                Severity.WARNING,
                host,
                Optional.of(d.span()),
                "nftables: " + d.message(),
                "the exposure reads it both ways: findings that depend on it say 'only if unmodelled matches"
                        + " allow it'");
    }

    private static Finding unreadable(String host, Diagnostic d, String what) {
        return new Finding(
                "AUD-FACT",
                Severity.WARNING,
                host,
                Optional.of(d.span()),
                "cannot read " + what + " (" + d.message() + "): not checked",
                "report it to Stockade's maintainers if nft printed it");
    }
}
