package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.HostsFile;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
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
    void parse_bangAfterAFlagOption_negatesTheNextOption() throws Exception {
        Rule r = filter(IptablesSaveParser.parse(
                        "x",
                        "*filter\n-A INPUT -p tcp --syn ! -f -j ACCEPT\n-A INPUT -p tcp --dport ! 22 -j DROP\nCOMMIT\n",
                        null))
                .rules()
                .get(0);
        assertEquals(new Match.Fragment(true), r.matches().get(2));
        assertEquals(
                new Option("syn", false, List.of()),
                ((Match.Module) r.matches().get(1)).options().get(0));
        Rule old = filter(
                        IptablesSaveParser.parse("x", "*filter\n-A INPUT -p tcp --dport ! 22 -j DROP\nCOMMIT\n", null))
                .rules()
                .get(0);
        assertEquals("-A INPUT -p tcp -m tcp ! --dport 22 -j DROP", old.toSaveLine());
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

    static InputException error(String text) {
        return assertThrows(InputException.class, () -> IptablesSaveParser.parse("bad.rules", text, null));
    }

    static String where(Diagnostic d) {
        return d.span().line() + ":" + d.span().column() + " " + d.code();
    }

    @Test
    void parse_insertPositionBeyondInt_locatedError() {
        InputException e = error("*filter\n-I INPUT 2147483648 -j ACCEPT\nCOMMIT\n");
        assertEquals("2:10 IPT-SYNTAX", where(e.diagnostics().get(0)));
        assertTrue(e.diagnostics().get(0).message().contains("invalid rule number '2147483648'"));
        assertTrue(e.diagnostics().get(0).hint().contains("1 to 2147483647"));
        e = error("*filter\n-I INPUT 99999999999999999999999 -j ACCEPT\nCOMMIT\n");
        assertEquals("2:10 IPT-SYNTAX", where(e.diagnostics().get(0)));
        e = error("*filter\n-I INPUT 0 -j ACCEPT\nCOMMIT\n");
        assertEquals("2:10 IPT-SYNTAX", where(e.diagnostics().get(0)));
    }

    @Test
    void parse_insertPositions_beforeTheNthRule() throws Exception {
        Table f = filter(IptablesSaveParser.parse(
                "i",
                "*filter\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p udp -j ACCEPT\n-I INPUT 2 -p icmp -j ACCEPT\n"
                        + "-I INPUT 2147483647 -p gre -j ACCEPT\n-I INPUT -p esp -j ACCEPT\nCOMMIT\n",
                null));
        assertEquals(
                List.of("esp", "tcp", "icmp", "udp", "gre"),
                f.rules().stream()
                        .map(r -> ((Match.Protocol) r.matches().get(0)).name())
                        .toList());
    }

    @Test
    void parse_counters_unsigned64BitAndBeyondIsLocatedError() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "c",
                "*filter\n:INPUT ACCEPT [18446744073709551615:1]\n-A INPUT -c 9999999999999999999 1 -j ACCEPT\nCOMMIT\n",
                null);
        assertEquals(
                "[9999999999999999999:1]",
                filter(p).rules().get(0).counters().orElseThrow().toString());
        assertEquals(
                ":INPUT ACCEPT [18446744073709551615:1]",
                filter(p).chain("INPUT").orElseThrow().toSaveLine());
        InputException e = error("*filter\n-A INPUT -c 99999999999999999999 1 -j ACCEPT\nCOMMIT\n");
        assertEquals("2:10 IPT-SYNTAX", where(e.diagnostics().get(0)));
        assertTrue(e.diagnostics().get(0).hint().contains("-c 12 3456"));
        e = error("*filter\n:INPUT ACCEPT [18446744073709551616:0]\n[1:99999999999999999999] -A INPUT\nCOMMIT\n");
        assertEquals(
                List.of("2:15 IPT-SYNTAX", "3:1 IPT-SYNTAX"),
                e.diagnostics().stream().map(IptablesSaveParserTest::where).toList());
    }

    @Test
    void parse_oddInput_locatedErrorsNotExceptions() {
        String text = String.join(
                "\n",
                "*filter",
                ":INPUT DROP [0:0]",
                ": INPUT DROP",
                "-A INPUT -- x -j ACCEPT",
                "-A INPUT -m \"\" -j ACCEPT",
                "-A INPUT -p '' -j ACCEPT",
                "-N",
                "-P foo DROP",
                "-P INPUT MAYBE",
                "-A INPUT -s 10.0.0.0/255.0.255.0 -j DROP",
                "-A INPUT -s 2001:db8::/255.0.0.0 -j DROP",
                "*",
                "COMMIT",
                "");
        InputException e = error(text);
        assertEquals(
                List.of(
                        "3:1 IPT-SYNTAX",
                        "4:10 IPT-SYNTAX",
                        "5:10 IPT-SYNTAX",
                        "6:10 IPT-SYNTAX",
                        "7:1 IPT-SYNTAX",
                        "8:4 IPT-SYNTAX",
                        "9:10 IPT-SYNTAX",
                        "10:13 IPT-SYNTAX",
                        "11:13 IPT-SYNTAX",
                        "12:1 IPT-NO-COMMIT",
                        "12:1 IPT-SYNTAX"),
                e.diagnostics().stream().map(IptablesSaveParserTest::where).toList(),
                e.diagnostics().toString());
    }

    @Test
    void parse_implicitModules_espAhAndIcmp6Spellings() throws Exception {
        Table f = filter(IptablesSaveParser.parse(
                "m",
                "*filter\n-A INPUT -p esp --espspi 5 -j ACCEPT\n-A INPUT -p 58 --icmpv6-type 1 -j ACCEPT\n"
                        + "-A INPUT -m ipv6-icmp --icmpv6-type 2 -j ACCEPT\nCOMMIT\n",
                null));
        assertEquals(
                "-A INPUT -p esp -m esp --espspi 5 -j ACCEPT", f.rules().get(0).toSaveLine());
        assertEquals(
                "-A INPUT -p 58 -m icmp6 --icmpv6-type 1 -j ACCEPT",
                f.rules().get(1).toSaveLine());
        assertEquals(
                "-A INPUT -m icmp6 --icmpv6-type 2 -j ACCEPT", f.rules().get(2).toSaveLine());
    }

    @Test
    void parse_hostNames_unresolvedHostMatchWithOneWarningPerName() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse("h.rules", fixture("hostnames.rules"), null);
        assertEquals(IpFamily.V4, p.ruleset().family());
        Table f = filter(p);
        assertEquals(
                Match.Host.of(false, false, "ntp.example.net"),
                f.rules().get(1).matches().get(0));
        assertEquals(
                Match.Host.of(false, true, "backup.example.net"),
                f.rules().get(3).matches().get(0));
        assertEquals(
                "-A OUTPUT ! -d backup.example.net -j DROP", f.rules().get(3).toSaveLine());
        assertEquals(
                List.of("7:14 IPT-HOSTNAME", "8:14 IPT-HOSTNAME", "9:16 IPT-HOSTNAME"),
                p.warnings().stream().map(IptablesSaveParserTest::where).toList());
        assertTrue(
                p.warnings().get(0).hint().contains("--hosts"),
                p.warnings().get(0).hint());
    }

    @Test
    void parse_hostNames_resolvedToTheFilesFamily() throws Exception {
        HostsFile hosts = HostsFile.parse(
                "hosts",
                "192.0.2.123 ntp.example.net\n2001:db8::123 ntp.example.net\n"
                        + "198.51.100.7 mirror.example.net\n198.51.100.8 mirror.example.net\n"
                        + "198.51.100.9 backup.example.net\n198.51.100.10 backup.example.net\n");
        ParsedRuleset p = IptablesSaveParser.parse("h.rules", fixture("hostnames.rules"), null, hosts);
        Table f = filter(p);
        assertEquals(
                new Match.Host(false, false, "ntp.example.net", List.of(Prefix.parse("192.0.2.123"))),
                f.rules().get(1).matches().get(0));
        assertEquals(
                List.of(Prefix.parse("198.51.100.7"), Prefix.parse("198.51.100.8")),
                ((Match.Host) f.rules().get(2).matches().get(0)).addresses());
        assertEquals(
                List.of("9:16 IPT-HOSTNAME"),
                p.warnings().stream().map(IptablesSaveParserTest::where).toList(),
                "only the negated name of several addresses: iptables-restore refuses it");
        ParsedRuleset v6 = IptablesSaveParser.parse(
                "h6.rules",
                "*filter\n-A OUTPUT -d ntp.example.net -j ACCEPT\n-A OUTPUT -d mirror.example.net -j ACCEPT\nCOMMIT\n",
                IpFamily.V6,
                hosts);
        assertEquals(
                new Match.Host(false, false, "ntp.example.net", List.of(Prefix.parse("2001:db8::123"))),
                filter(v6).rules().get(0).matches().get(0));
        assertEquals(
                Match.Host.of(false, false, "mirror.example.net"),
                filter(v6).rules().get(1).matches().get(0));
        assertEquals(1, v6.warnings().size());
        assertTrue(
                v6.warnings().get(0).message().contains("'mirror.example.net' has no IPv6 address"),
                v6.warnings().get(0).message());
    }

    @Test
    void parse_badNames_stayLocatedErrors() {
        InputException e = error("*filter\n-A INPUT -s bad_host!.example -j DROP\n-A INPUT -d -x.example -j DROP\n"
                + "-A INPUT -s 10.0.0.300 -j DROP\n-A INPUT -s host.example/24 -j DROP\nCOMMIT\n");
        assertEquals(
                List.of("2:13 IPT-SYNTAX", "3:13 IPT-SYNTAX", "4:13 IPT-SYNTAX", "5:13 IPT-SYNTAX"),
                e.diagnostics().stream().map(IptablesSaveParserTest::where).toList(),
                e.diagnostics().toString());
        assertTrue(e.diagnostics().get(0).message().contains("neither an address nor a host name"));
        assertTrue(e.diagnostics().get(2).message().contains("300"));
        assertTrue(
                e.diagnostics().get(3).message().contains("host name with a prefix length"),
                e.diagnostics().get(3).message());
    }

    @Test
    void parse_crlfOnRuleLines_warnsThatIptablesRestoreRejectsIt() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "w", "# c\r\n*filter\n:INPUT DROP [0:0]\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n", null);
        Diagnostic crlf = p.warnings().get(0);
        assertEquals("4:1 IPT-CRLF", where(crlf));
        assertTrue(
                crlf.message().startsWith("4 lines end in CRLF: iptables-restore rejects this file"), crlf.message());
        assertTrue(crlf.hint().contains("dos2unix"), crlf.hint());
        assertEquals(1, filter(p).rules().size());
        assertEquals("-A INPUT -j ACCEPT", filter(p).rules().get(0).toSaveLine());
    }

    @Test
    void parse_crlfOnlyOnCommentAndChainLines_saysIptablesRestoreAcceptsIt() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "w", "# c\r\n*filter\n:INPUT DROP [0:0]\r\n-A INPUT -j ACCEPT\nCOMMIT\n", null);
        Diagnostic crlf = p.warnings().get(0);
        assertEquals("1:1 IPT-CRLF", where(crlf));
        assertTrue(crlf.message().contains("which iptables-restore accepts"), crlf.message());
    }

    @Test
    void writeThenParse_valuesThatLookLikeSyntax_stayValues() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "q", "*filter\n-A INPUT -m foo --bar \"!\" --baz \"-x\" -j LOG --log-prefix \"-y\"\nCOMMIT\n", null);
        String written = IptablesSaveWriter.write(p.ruleset(), List.of());
        assertTrue(written.contains("-m foo --bar \"!\" --baz \"-x\" -j LOG --log-prefix \"-y\""), written);
        assertEquals(
                strip(p.ruleset()),
                strip(IptablesSaveParser.parse("w", written, null).ruleset()));
    }

    @Test
    void parse_repeatedGenericFlag_locatedError() {
        InputException e = error("*filter\n-A INPUT -p tcp -s 10.0.0.1 --protocol udp -j ACCEPT\n"
                + "-A INPUT -s 10.0.0.1 --src 10.0.0.2 -j ACCEPT\nCOMMIT\n");
        assertEquals(
                List.of("2:29 IPT-SYNTAX", "3:22 IPT-SYNTAX"),
                e.diagnostics().stream().map(IptablesSaveParserTest::where).toList());
        assertTrue(e.diagnostics().get(0).message().contains("multiple -p flags"));
    }

    @Test
    void parse_chainDeclaredTwice_duplicateChainErrorAtTheSecond() {
        InputException e = assertThrows(
                InputException.class,
                () -> IptablesSaveParser.parse(
                        "f.rules", "*filter\n:INPUT DROP [0:0]\n:mine - [0:0]\n:mine - [0:0]\nCOMMIT\n", null));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals("IPT-DUPLICATE-CHAIN", d.code());
        assertEquals(new dev.stockade.report.SourceSpan("f.rules", 4, 1), d.span());
        assertEquals("chain 'mine' is declared twice", d.message());
        assertEquals("a table declares each chain once; remove this line", d.hint());
    }

    @Test
    void parse_optionTheModuleDoesNotHave_unknownOptionWarningAndKept() throws Exception {
        ParsedRuleset p = IptablesSaveParser.parse(
                "f.rules", "*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --ctstate NEW -j ACCEPT\nCOMMIT\n", null);
        Diagnostic d = p.warnings().get(0);
        assertEquals("IPT-UNKNOWN-OPTION", d.code());
        assertEquals(new dev.stockade.report.SourceSpan("f.rules", 3, 21), d.span());
        assertEquals("'--ctstate' is not an option of -m comment; kept with it", d.message());
        assertEquals(
                "-A INPUT -m comment --ctstate NEW -j ACCEPT",
                filter(p).rules().get(0).toSaveLine());
    }
}
