package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IptablesSaveParserTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = IptablesSaveParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Table filter(ParsedRuleset p) {
        return p.ruleset().table("filter").orElseThrow();
    }

    @Test
    void parse_v4Features_tablesChainsCountersAndRules() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse("f.rules", fixture("features-v4.rules"), null);
        assertEquals(IpFamily.V4, p.ruleset().family());
        assertEquals(
                List.of("nat", "mangle", "filter"),
                p.ruleset().tables().stream().map(Table::name).toList());
        Table f = filter(p);
        assertEquals(
                new Counters(123, 45678),
                f.chain("INPUT").orElseThrow().counters().orElseThrow());
        assertTrue(f.chain("services").orElseThrow().policy().isEmpty());
        assertTrue(f.chain("OUTPUT").isPresent(), "builtin used without declaration");
        assertEquals(new Counters(5, 300), f.rules().get(0).counters().orElseThrow());
        assertEquals(List.of(), p.warnings());
    }

    @Test
    void parse_negationBothSyntaxes_andDottedMask() throws Exception {
        Table f = filter(IptablesSaveParser.parse("f.rules", fixture("features-v4.rules"), null));
        Rule modern = f.rules().get(3);
        assertEquals(
                new Match.Address(true, true, dev.stockade.net.Prefix.parse("10.250.0.0/16")),
                modern.matches().get(0));
        assertEquals(new Match.Interface(true, false, "eth+"), modern.matches().get(1));
        Rule old = f.rules().get(4);
        assertEquals(
                new Match.Address(true, true, dev.stockade.net.Prefix.parse("192.0.2.0/24")),
                old.matches().get(0));
        assertEquals(
                "-A INPUT ! -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j logdrop", old.toSaveLine(), "implicit -m tcp");
    }

    @Test
    void parse_protocolNumber_loadsItsImplicitModule() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "x",
                "*filter\n-A INPUT -p 6 --dport 22 -j ACCEPT\n-A INPUT -p 17 --sport 53 -j ACCEPT\nCOMMIT\n",
                null);
        assertEquals(
                "-A INPUT -p 6 -m tcp --dport 22 -j ACCEPT",
                filter(p).rules().get(0).toSaveLine());
        assertEquals(
                "-A INPUT -p 17 -m udp --sport 53 -j ACCEPT",
                filter(p).rules().get(1).toSaveLine());
    }

    @Test
    void parse_optionsGoToTheirModule() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "x", "*filter\n-A INPUT -p tcp -m state --state NEW --dport 22 -j ACCEPT\nCOMMIT\n", null);
        assertEquals(
                "-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT",
                filter(p).rules().get(0).toSaveLine());
        p = IptablesSaveParser.parse(
                "x", "*filter\n-A INPUT -p udp -m udp --sport 53 ! --dport 1024:65535 -j DROP\nCOMMIT\n", null);
        Match.Module udp = (Match.Module) filter(p).rules().get(0).matches().get(1);
        assertEquals(
                List.of(Option.of("sport", "53"), new Option("dport", true, List.of("1024:65535"))), udp.options());
    }

    @Test
    void parse_targetsWithOptionsAndGoto() throws Exception {
        Table f = filter(IptablesSaveParser.parse("f.rules", fixture("features-v4.rules"), null));
        List<Rule> log = f.rules("logdrop");
        assertEquals(
                new Target("LOG", false, List.of(Option.of("log-prefix", "drop: "), Option.of("log-level", "6"))),
                log.get(0).target().orElseThrow());
        assertEquals(
                new Target("logdrop", true, List.of()),
                f.rules("services").get(1).target().orElseThrow());
        assertEquals(
                Optional.empty(),
                f.rules().stream()
                        .filter(r -> r.toSaveLine().contains("recent"))
                        .findFirst()
                        .orElseThrow()
                        .target());
        Rule counted = f.rules().stream()
                .filter(r -> r.matches().contains(new Match.Fragment(false)))
                .findFirst()
                .orElseThrow();
        assertEquals(new Counters(7, 420), counted.counters().orElseThrow());
    }

    @Test
    void parse_v6_inferredFamily() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse("f6.rules", fixture("features-v6.rules"), null);
        assertEquals(IpFamily.V6, p.ruleset().family());
        assertEquals(
                "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT",
                filter(p).rules().get(2).toSaveLine());
    }

    @Test
    void writeThenParse_givesTheSameModel() throws Exception {
        for (String name : List.of("features-v4.rules", "features-v6.rules")) {
            ParsedRuleset p = IptablesSaveParser.parse(name, fixture(name), null);
            String written = IptablesSaveWriter.write(p.ruleset(), List.of());
            ParsedRuleset again =
                    IptablesSaveParser.parse("written", written, p.ruleset().family());
            assertEquals(strip(p.ruleset()), strip(again.ruleset()), written);
            assertEquals(written, IptablesSaveWriter.write(again.ruleset(), List.of()), "writing is stable");
        }
    }

    static List<Object> strip(Ruleset r) {
        return r.tables().stream()
                .map(t -> (Object) List.of(
                        t.name(),
                        t.chains(),
                        t.rules().stream().map(Rule::withoutOrigin).toList()))
                .toList();
    }

    @Test
    void parse_crlfTrailingSpaceNoNewline_warnings() throws Exception {
        ParsedRuleset p =
                IptablesSaveParser.parse("w", "*filter\r\n:INPUT DROP [0:0]  \r\n-A INPUT -j ACCEPT\r\nCOMMIT", null);
        assertEquals(
                List.of("IPT-CRLF", "IPT-TRAILING-SPACE", "IPT-NO-NEWLINE"),
                p.warnings().stream().map(Diagnostic::code).toList());
        assertEquals(1, filter(p).rules().size());
    }

    @Test
    void parse_errors_allReportedWithPositions() {
        String text = String.join(
                "\n",
                "*filter",
                ":INPUT DROP [0:0]",
                "-A INPUT -s 10.0.0.300 -j DROP",
                "-A NOPE -j DROP",
                "-A INPUT --dport 22 -j ACCEPT",
                "-A INPUT -m comment --comment \"open -j ACCEPT",
                "-A INPUT bogus",
                "");
        InputException e = assertThrows(InputException.class, () -> IptablesSaveParser.parse("bad.rules", text, null));
        List<String> where = e.diagnostics().stream()
                .map(d -> d.span().line() + ":" + d.span().column() + " " + d.code())
                .toList();
        assertEquals(
                List.of(
                        "3:13 IPT-SYNTAX",
                        "4:4 IPT-UNKNOWN-CHAIN",
                        "5:10 IPT-SYNTAX",
                        "6:31 IPT-SYNTAX",
                        "7:10 IPT-SYNTAX",
                        "1:1 IPT-NO-COMMIT"),
                where,
                e.diagnostics().toString());
        assertTrue(
                e.diagnostics().get(2).hint().contains("-m tcp --dport"),
                e.diagnostics().get(2).hint());
    }

    @Test
    void parse_emptyOrNotRules_isError() {
        InputException e = assertThrows(InputException.class, () -> IptablesSaveParser.parse("e", "", null));
        assertEquals("IPT-EMPTY", e.diagnostics().get(0).code());
        e = assertThrows(InputException.class, () -> IptablesSaveParser.parse("p", "hello world\n", null));
        assertEquals("IPT-SYNTAX", e.diagnostics().get(0).code());
    }

    @Test
    void parseAddress_masksAndHostBits() {
        assertEquals("10.0.0.0/8", IptablesSaveParser.parseAddress("10.1.2.3/8").toCidr());
        assertEquals(
                "10.0.0.0/8",
                IptablesSaveParser.parseAddress("10.0.0.0/255.0.0.0").toCidr());
        assertEquals(
                "0.0.0.0/0", IptablesSaveParser.parseAddress("0.0.0.0/0.0.0.0").toCidr());
        assertEquals(
                "2001:db8::/32",
                IptablesSaveParser.parseAddress("2001:db8:1::1/32").toCidr());
        assertThrows(IllegalArgumentException.class, () -> IptablesSaveParser.parseAddress("10.0.0.0/255.0.255.0"));
    }
}
