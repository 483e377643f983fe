package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.nftables.NftExpr.AnonSet;
import dev.stockade.nftables.NftExpr.Ct;
import dev.stockade.nftables.NftExpr.Meta;
import dev.stockade.nftables.NftExpr.Payload;
import dev.stockade.nftables.NftExpr.PrefixValue;
import dev.stockade.nftables.NftExpr.Range;
import dev.stockade.nftables.NftExpr.SetRef;
import dev.stockade.nftables.NftExpr.Value;
import dev.stockade.nftables.NftStatement.Counter;
import dev.stockade.nftables.NftStatement.Log;
import dev.stockade.nftables.NftStatement.Match;
import dev.stockade.nftables.NftStatement.Verdict;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NftTextParserTest {

    static String resource(String name) throws IOException {
        try (InputStream in = NftTextParserTest.class.getResourceAsStream("/nftables/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A table with every form NftWriter writes. */
    static final NftTable TABLE = new NftTable(
            "inet",
            "stockade",
            List.of(
                    new NftSet(
                            "admins_v4",
                            "ipv4_addr",
                            List.of("interval"),
                            List.of(
                                    Value.of("192.0.2.7"),
                                    new PrefixValue("203.0.113.0", 24),
                                    new Range(Value.of("10.250.1.1"), Value.of("10.250.1.9")))),
                    new NftSet(
                            "admins_v6", "ipv6_addr", List.of("interval"), List.of(new PrefixValue("2001:db8::", 48))),
                    new NftSet("ports", "inet_service", List.of(), List.of(Value.of(22), Value.of(443)))),
            List.of(
                    NftChain.base(
                            "input",
                            new NftChain.Hook("filter", "input", 0, "drop"),
                            List.of(
                                    NftRule.of(
                                            List.of(
                                                    Match.eq(new Meta("iif"), Value.string("lo")),
                                                    Verdict.of("accept")),
                                            "loopback"),
                                    NftRule.of(
                                            List.of(
                                                    Match.eq(
                                                            new Ct("state"),
                                                            new AnonSet(List.of(
                                                                    Value.of("established"), Value.of("related")))),
                                                    Verdict.of("accept")),
                                            "replies"),
                                    NftRule.of(
                                            List.of(
                                                    Match.eq(new Payload("ip", "saddr"), new SetRef("admins_v4")),
                                                    Match.eq(new Payload("tcp", "dport"), Value.of(22)),
                                                    new Counter(),
                                                    Verdict.jump("ssh")),
                                            "ssh"),
                                    NftRule.of(
                                            List.of(
                                                    new Match(new Meta("iifname"), "!=", Value.string("eth*")),
                                                    Match.eq(
                                                            new Payload("ip6", "saddr"),
                                                            new PrefixValue("2001:db8::", 32)),
                                                    Match.eq(
                                                            new Payload("tcp", "dport"),
                                                            new AnonSet(List.of(
                                                                    Value.of(80),
                                                                    new Range(Value.of(8000), Value.of(8080))))),
                                                    new Log(Optional.of("in: ")),
                                                    Verdict.of("accept")),
                                            "web"),
                                    NftRule.of(
                                            List.of(
                                                    Match.eq(new Meta("l4proto"), Value.of("udp")),
                                                    Match.eq(
                                                            new Payload("icmpv6", "type"),
                                                            new AnonSet(List.of(
                                                                    Value.of("nd-neighbor-solicit"), Value.of(148)))),
                                                    new Verdict(
                                                            "reject", Optional.of("with icmpx type admin-prohibited"))),
                                            "odd"),
                                    NftRule.of(
                                            List.of(new NftStatement.Other("limit rate 10/second"), Verdict.of("drop")),
                                            "limited"))),
                    NftChain.base("fwd", new NftChain.Hook("filter", "forward", -10, "accept"), List.of()),
                    new NftChain(
                            "ssh",
                            Optional.empty(),
                            List.of(
                                    NftRule.of(List.of(Verdict.of("accept")), "all"),
                                    NftRule.of(List.of(Verdict.of("return")), "back")))));

    /** The rules without their source positions, for comparing content. */
    static NftTable withoutSpans(NftTable t) {
        return new NftTable(
                t.family(),
                t.name(),
                t.sets(),
                t.chains().stream()
                        .map(c -> new NftChain(
                                c.name(),
                                c.hook(),
                                c.rules().stream()
                                        .map(r -> new NftRule(r.statements(), r.comment(), Optional.empty()))
                                        .toList()))
                        .toList());
    }

    @Test
    void parse_writerOutput_readsBackTheSameModel() throws InputException {
        ParsedNftRuleset parsed = NftTextParser.parse("w.nft", NftWriter.write(new NftRuleset(List.of(TABLE))));
        assertEquals(TABLE, withoutSpans(parsed.ruleset().tables().get(0)));
        assertEquals(
                List.of("NFT-UNSUPPORTED"),
                parsed.warnings().stream().map(Diagnostic::code).toList(),
                "only the limit statement is not modelled");
    }

    @Test
    void parse_replacingFile_leavesOnlyTheNewTable() throws InputException {
        String text = NftWriter.replacing(TABLE, List.of("Generated by Stockade", "", "node core-1"));
        ParsedNftRuleset parsed = NftTextParser.parse("w.nft", text);
        assertEquals(1, parsed.ruleset().tables().size());
        assertEquals(TABLE, withoutSpans(parsed.ruleset().tables().get(0)));
        NftRule first = parsed.ruleset()
                .tables()
                .get(0)
                .chain("input")
                .orElseThrow()
                .rules()
                .get(0);
        int line = text.lines().toList().indexOf("\t\tiif \"lo\" accept comment \"loopback\"") + 1;
        assertEquals("w.nft:" + line + ":3", first.span().orElseThrow().toString());
    }

    @Test
    void parse_flushAndDelete_applyInOrder() throws InputException {
        String text = "table ip a { chain c { accept; } }\n"
                + "flush ruleset\n"
                + "table ip b { chain c { drop } }\n"
                + "table inet x\n"
                + "delete table inet x\n"
                + "table ip b { chain c { accept } }\n";
        NftRuleset r = NftTextParser.parse("f.nft", text).ruleset();
        assertEquals(List.of("b"), r.tables().stream().map(NftTable::name).toList());
        assertEquals(
                List.of("drop", "accept"),
                r.tables().get(0).chain("c").orElseThrow().rules().stream()
                        .map(NftRule::text)
                        .toList());
    }

    @Test
    void parse_nftListRulesetOutput_readsEveryFormAndNamesTheRest() throws IOException, InputException {
        ParsedNftRuleset parsed = NftTextParser.parse("listed.nft", resource("listed-1.0.6.nft"));
        NftTable stk = parsed.ruleset().table("inet", "stk").orElseThrow();
        assertEquals(4, stk.sets().size());
        assertEquals(
                List.of(
                        new Range(Value.of("10.250.1.1"), Value.of("10.250.1.9")),
                        Value.of("192.0.2.7"),
                        new PrefixValue("203.0.113.0", 24)),
                stk.set("adm4").orElseThrow().elements());
        assertEquals(
                List.of(Value.string("eth0"), Value.string("veth1")),
                stk.set("ifs").orElseThrow().elements());
        NftChain input = stk.chain("input").orElseThrow();
        assertEquals(
                new NftChain.Hook("filter", "input", 0, "drop"), input.hook().orElseThrow());
        assertEquals(27, input.rules().size());
        assertEquals(
                "ct state { established, related } accept", input.rules().get(1).text());
        assertEquals(
                "ct state { established, related } counter accept",
                input.rules().get(3).text());
        assertEquals(
                "reject with icmp admin-prohibited",
                input.rules().get(14).statements().get(2).text());
        NftTable t2 = parsed.ruleset().table("ip", "t2").orElseThrow();
        assertEquals(-10, t2.chain("in2").orElseThrow().hook().orElseThrow().priority());
        assertEquals(
                new NftChain.Hook("nat", "prerouting", -100, "accept"),
                t2.chain("pre").orElseThrow().hook().orElseThrow());
        String warned = parsed.warnings().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
        assertTrue(warned.contains("listed.nft:46:3: warning: 'limit rate 10/second' is not modelled"), warned);
        assertTrue(warned.contains("'tcp dport vmap { 25 : drop, 26 : accept }' is not modelled"), warned);
        assertTrue(warned.contains("'dnat to 10.250.0.1:80' is not modelled"), warned);
        assertEquals(3, parsed.warnings().size(), warned);
    }

    @Test
    void parse_handwrittenForms_readAsListed() throws IOException, InputException {
        ParsedNftRuleset hand = NftTextParser.parse("h.nft", resource("handwritten.nft"));
        ParsedNftRuleset listed = NftTextParser.parse("l.nft", resource("listed-1.0.6.nft"));
        NftChain a =
                hand.ruleset().table("inet", "stk").orElseThrow().chain("input").orElseThrow();
        NftChain b = listed.ruleset()
                .table("inet", "stk")
                .orElseThrow()
                .chain("input")
                .orElseThrow();
        assertEquals(b.rules().size(), a.rules().size());
        assertEquals(b.hook(), a.hook());
        assertEquals("ip saddr @adm4 tcp dport 22 accept", a.rules().get(4).text());
        assertEquals(
                -10,
                hand.ruleset()
                        .table("ip", "t2")
                        .orElseThrow()
                        .chain("in2")
                        .orElseThrow()
                        .hook()
                        .orElseThrow()
                        .priority());
    }

    @Test
    void parse_malformed_reportsEveryErrorLocated() {
        String text = "table inet x {\n"
                + "\tchain c {\n"
                + "\t\ttype filter hook input priority sideways; policy maybe;\n"
                + "\t}\n"
                + "}\n"
                + "add rule inet x c accept\n"
                + "table inet y {\n";
        InputException e = assertThrows(InputException.class, () -> NftTextParser.parse("bad.nft", text));
        List<String> shown = e.diagnostics().stream().map(Diagnostic::toString).toList();
        assertEquals(
                List.of(
                        "bad.nft:3:3: error: priority 'sideways' is not understood [NFT-SYNTAX]",
                        "bad.nft:3:45: error: policy 'maybe' is not accept or drop [NFT-SYNTAX]",
                        "bad.nft:3:3: error: base chain c needs 'type T hook H priority P' [NFT-SYNTAX]",
                        "bad.nft:6:1: error: 'add' is not a command Stockade reads in an nft file [NFT-SYNTAX]",
                        "bad.nft:7:1: error: table inet y is not closed [NFT-SYNTAX]"),
                shown);
    }

    @Test
    void parse_unterminatedString_isLocated() {
        InputException e = assertThrows(
                InputException.class,
                () -> NftTextParser.parse("s.nft", "table ip t {\n chain c {\n  iifname \"eth0 accept\n }\n}\n"));
        assertEquals(
                "s.nft:3:11: error: string not closed on its line [NFT-SYNTAX]",
                e.diagnostics().get(0).toString());
    }
}
