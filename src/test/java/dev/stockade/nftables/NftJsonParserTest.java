package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.Rule;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NftJsonParserTest {

    private static List<String> converted(NftRuleset r, IpFamily family) {
        return NftablesToRulesets.convert("x", r, family).filter().rules().stream()
                .map(Rule::toSaveLine)
                .filter(l -> !l.contains("nft"))
                .toList();
    }

    @Test
    void parse_nftJsonListing_readsWhatTheTextListingReads() throws IOException, InputException {
        ParsedNftRuleset json = NftJsonParser.parse("l.json", NftTextParserTest.resource("listed-1.0.6.json"));
        ParsedNftRuleset text = NftTextParser.parse("l.nft", NftTextParserTest.resource("listed-1.0.6.nft"));
        NftTable a = json.ruleset().table("inet", "stk").orElseThrow();
        NftTable b = text.ruleset().table("inet", "stk").orElseThrow();
        assertEquals(b.sets(), a.sets());
        assertEquals(
                b.chains().stream().map(NftChain::hook).toList(),
                a.chains().stream().map(NftChain::hook).toList());
        assertEquals(converted(text.ruleset(), IpFamily.V4), converted(json.ruleset(), IpFamily.V4));
        assertEquals(converted(text.ruleset(), IpFamily.V6), converted(json.ruleset(), IpFamily.V6));
        NftRule first = a.chain("input").orElseThrow().rules().get(0);
        assertEquals("l.json:1:", first.span().orElseThrow().toString().substring(0, 9));
        String warned = json.warnings().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
        assertTrue(warned.contains("'limit {\"rate\":10,\"burst\":5,\"per\":\"second\"}' is not modelled"), warned);
        assertTrue(warned.contains("'vmap {"), warned);
        assertTrue(warned.contains("'dnat {"), warned);
        assertEquals(3, json.warnings().size(), warned);
    }

    @Test
    void parse_olderAndNewerShapes_readLeniently() throws InputException {
        String text = "{\"nftables\": [\n"
                + "{\"add\": {\"table\": {\"family\": \"inet\", \"name\": \"t\"}}},\n"
                + "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"in\", \"type\": \"filter\","
                + " \"hook\": \"input\", \"prio\": \"filter\"}},\n"
                + "{\"set\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"a\", \"type\": \"ipv4_addr\","
                + " \"flags\": \"interval\", \"elem\": {\"elem\": {\"val\": {\"prefix\": {\"addr\": \"10.250.0.0\","
                + " \"len\": 16}}, \"timeout\": 30}}}},\n"
                + "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"in\", \"expr\": [\n"
                + "  {\"match\": {\"left\": {\"payload\": {\"name\": \"ip\", \"field\": \"saddr\"}}, \"right\": \"@a\"}},\n"
                + "  {\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": \"new\"}},\n"
                + "  {\"reject\": null}]}}\n"
                + "]}\n";
        ParsedNftRuleset parsed = NftJsonParser.parse("o.json", text);
        NftTable t = parsed.ruleset().table("inet", "t").orElseThrow();
        assertEquals(
                new NftChain.Hook("filter", "input", 0, "accept"),
                t.chain("in").orElseThrow().hook().orElseThrow());
        assertEquals(List.of("interval"), t.set("a").orElseThrow().flags());
        assertEquals(
                List.of(new NftExpr.PrefixValue("10.250.0.0", 16)),
                t.set("a").orElseThrow().elements());
        NftRule r = t.chain("in").orElseThrow().rules().get(0);
        assertEquals("ip saddr @a ct state new reject", r.text());
        assertEquals("o.json:5:10", r.span().orElseThrow().toString());
        assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void parse_commands_flushAndDeleteApply() throws InputException {
        String text =
                "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"a\"}}, {\"flush\": {\"ruleset\": null}},"
                        + " {\"table\": {\"family\": \"ip\", \"name\": \"b\"}}, {\"table\": {\"family\": \"ip\", \"name\": \"c\"}},"
                        + " {\"delete\": {\"table\": {\"family\": \"ip\", \"name\": \"c\"}}}]}";
        assertEquals(
                List.of("b"),
                NftJsonParser.parse("c.json", text).ruleset().tables().stream()
                        .map(NftTable::name)
                        .toList());
    }

    @Test
    void parse_notNftJson_isALocatedError() {
        InputException e = assertThrows(
                InputException.class,
                () -> NftJsonParser.parse("x.json", "{\"nftables\": [{\"rule\": {\"family\": \"ip\"}}, 7]}"));
        assertEquals(
                List.of(
                        "x.json:1:24: error: a rule without a \"table\" string [NFT-JSON]",
                        "x.json:1:24: error: a rule without a \"chain\" string [NFT-JSON]",
                        "x.json:1:43: error: expected an object with one key such as \"table\" or \"rule\", not a number"
                                + " [NFT-JSON]"),
                e.diagnostics().stream().map(Diagnostic::toString).toList());
        InputException syntax =
                assertThrows(InputException.class, () -> NftJsonParser.parse("y.json", "{\"nftables\": [}"));
        assertEquals("JSON-SYNTAX", syntax.diagnostics().get(0).code());
    }

    @Test
    void looksLikeNftJson_onlyForTheNftablesObject() {
        assertTrue(NftJsonParser.looksLikeNftJson("\n { \"nftables\": []}"));
        assertFalse(NftJsonParser.looksLikeNftJson("{\"other\": 1}"));
        assertFalse(NftJsonParser.looksLikeNftJson("*filter\n"));
    }
}
