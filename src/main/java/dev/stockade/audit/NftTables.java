package dev.stockade.audit;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Native nftables: {@code nft -j list ruleset} shows every table, including those iptables-nft
 * keeps for the iptables commands. Rules in any other table are not analysed here (the analysis
 * reads iptables-save), so each such table is a finding, never silently ignored.
 */
final class NftTables {

    /** The tables iptables-nft (and ip6tables-nft) manage; their rules are in iptables-save output. */
    private static final Set<String> IPTABLES_NFT = Set.of(
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

    static void check(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.NFT);
        if (o.status() == ProbeOutput.Status.MISSING || o.status() == ProbeOutput.Status.ABSENT) {
            return; // no nft on the host: every rule is in iptables-save
        }
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, "the check for native nftables rules"));
            return;
        }
        if (o.stdout().isBlank()) {
            return;
        }
        JsonValue root;
        try {
            root = JsonReader.read(o.source(), o.stdout());
        } catch (InputException e) {
            out.add(new Finding(
                    "AUD-FACT",
                    Severity.WARNING,
                    facts.host(),
                    Optional.of(e.diagnostics().get(0).span()),
                    "the nftables ruleset is not JSON ("
                            + e.diagnostics().get(0).message() + "): native nftables rules are not checked",
                    ""));
            return;
        }
        Map<String, Integer> rules = new TreeMap<>();
        if (root instanceof JsonValue.JsonObject top
                && top.members().get("nftables") instanceof JsonValue.JsonArray items) {
            for (JsonValue item : items.items()) {
                if (item instanceof JsonValue.JsonObject obj
                        && obj.members().get("rule") instanceof JsonValue.JsonObject rule) {
                    String table = text(rule, "family") + " " + text(rule, "table");
                    if (!IPTABLES_NFT.contains(table)) {
                        rules.merge(table, 1, Integer::sum);
                    }
                }
            }
        }
        rules.forEach((table, n) -> out.add(new Finding(
                "AUD-NFT-NATIVE",
                Severity.WARNING,
                facts.host(),
                Optional.of(o.file()),
                "table " + table + " holds " + n + " native nftables rule" + (n == 1 ? "" : "s")
                        + ", which this audit does not analyse: what they drop or accept is not in the exposure",
                "read them with 'nft list table " + table + "', or keep the host's firewall in iptables")));
    }

    private static String text(JsonValue.JsonObject o, String key) {
        return o.members().get(key) instanceof JsonValue.JsonString s ? s.value() : "?";
    }
}
