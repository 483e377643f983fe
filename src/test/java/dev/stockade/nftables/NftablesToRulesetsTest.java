package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketSpace;
import dev.stockade.analysis.Verdict;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftablesToRulesetsTest {

    private static NftablesToRulesets.Converted convert(String text, IpFamily family) throws InputException {
        return NftablesToRulesets.convert(
                "t.nft", NftTextParser.parse("t.nft", text).ruleset(), family);
    }

    private static List<String> lines(Table t) {
        return t.rules().stream().map(Rule::toSaveLine).toList();
    }

    private static Packet tcp(String from, String to, int dport) {
        return Packet.of(Prefix.parse(from), Prefix.parse(to), 6).withPorts(40000, dport);
    }

    private static Verdict verdict(Table filter, IpFamily family, Packet p) throws InputException {
        return FilterAnalysis.of(family, filter).verdict("INPUT", p);
    }

    private static final String STOCKADE_LIKE = "table inet stockade {\n"
            + "\tset admins_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
            + "\t\telements = { 192.0.2.7, 203.0.113.0/24, 10.250.1.1-10.250.1.9 }\n\t}\n"
            + "\tset admins_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\telements = { 2001:db8::/48 }\n\t}\n"
            + "\tchain input {\n"
            + "\t\ttype filter hook input priority filter; policy drop;\n"
            + "\t\tiif \"lo\" accept\n"
            + "\t\tct state { established, related } accept\n"
            + "\t\tct state invalid drop\n"
            + "\t\tip saddr @admins_v4 tcp dport 22 accept\n"
            + "\t\tip6 saddr @admins_v6 tcp dport 22 accept\n"
            + "\t\ttcp dport { 80, 443, 8000-8080 } accept\n"
            + "\t\tmeta l4proto { tcp, udp } th dport 53 jump dns\n"
            + "\t\ticmp type { echo-request, destination-unreachable } accept\n"
            + "\t\ticmpv6 type { nd-neighbor-solicit, 148 } ip6 hoplimit 255 accept\n"
            + "\t\tiifname != { \"eth1\", \"veth*\" } udp dport != 5353 drop\n"
            + "\t}\n"
            + "\tchain dns {\n"
            + "\t\tip saddr 10.250.0.0/16 accept\n"
            + "\t}\n"
            + "}\n";

    @Test
    void convert_stockadeLikeTable_givesExactIptablesRules() throws InputException {
        NftablesToRulesets.Converted v4 = convert(STOCKADE_LIKE, IpFamily.V4);
        assertEquals(List.of(), v4.warnings());
        assertEquals(
                List.of(
                        "-A INPUT -i lo -j ACCEPT",
                        "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                        "-A INPUT -m conntrack --ctstate INVALID -j DROP",
                        "-A INPUT -m set --match-set admins_v4 src -p tcp ! -f -m multiport --dports 22 -j ACCEPT",
                        "-A INPUT -p tcp ! -f -m multiport --dports 80,443,8000:8080 -j ACCEPT",
                        "-A INPUT -p tcp -p tcp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p tcp -p udp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p tcp -p udplite ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p tcp -p sctp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p tcp ! -p tcp ! -p udp ! -p udplite ! -p sctp ! -f -m nft --match \"th dport 53\" -j dns",
                        "-A INPUT -p udp -p tcp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p udp -p udp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p udp -p udplite ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p udp -p sctp ! -f -m multiport --dports 53 -j dns",
                        "-A INPUT -p udp ! -p tcp ! -p udp ! -p udplite ! -p sctp ! -f -m nft --match \"th dport 53\" -j dns",
                        "-A INPUT -p icmp ! -f -m icmp --icmp-type 8 -j ACCEPT",
                        "-A INPUT -p icmp ! -f -m icmp --icmp-type 3 -j ACCEPT",
                        "-A INPUT ! -i eth1 ! -i veth+ -p udp ! -f -m multiport ! --dports 5353 -j DROP",
                        "-A dns -s 10.250.0.0/16 -j ACCEPT"),
                lines(v4.filter()));
        assertEquals("DROP", v4.filter().chain("INPUT").orElseThrow().policy().orElseThrow());
        NftablesToRulesets.Converted v6 = convert(STOCKADE_LIKE, IpFamily.V6);
        assertTrue(lines(v6.filter())
                .contains("-A INPUT -p ipv6-icmp ! -f -m icmp6 --icmpv6-type 148 -m hl --hl-eq 255 -j ACCEPT"));
        assertTrue(lines(v6.filter())
                .contains("-A INPUT -m set --match-set admins_v6 src -p tcp ! -f -m multiport --dports 22 -j ACCEPT"));
        assertTrue(lines(v6.filter()).stream().noneMatch(l -> l.contains("icmp-type") || l.contains("admins_v4")));
    }

    @Test
    void convert_addressSetsAndSplits_analyseExactly() throws InputException {
        Table v4 = convert(STOCKADE_LIKE, IpFamily.V4).filter();
        assertEquals(Verdict.ACCEPT, verdict(v4, IpFamily.V4, tcp("10.250.1.5", "198.51.100.1", 22)));
        assertEquals(Verdict.DROP, verdict(v4, IpFamily.V4, tcp("10.250.1.10", "198.51.100.1", 22)));
        assertEquals(Verdict.ACCEPT, verdict(v4, IpFamily.V4, tcp("198.51.100.9", "198.51.100.1", 8080)));
        Packet dns = Packet.of(Prefix.parse("10.250.3.3"), Prefix.parse("198.51.100.1"), 17)
                .withPorts(4000, 53);
        assertEquals(Verdict.ACCEPT, verdict(v4, IpFamily.V4, dns));
        Packet eth1 = Packet.of(Prefix.parse("192.0.2.99"), Prefix.parse("198.51.100.1"), 17)
                .withPorts(4000, 9)
                .withInterfaces(Optional.of("eth1"), Optional.empty());
        assertEquals(Verdict.DROP, verdict(v4, IpFamily.V4, eth1));
        Table v6 = convert(STOCKADE_LIKE, IpFamily.V6).filter();
        assertEquals(Verdict.ACCEPT, verdict(v6, IpFamily.V6, tcp("2001:db8:0:1::5", "2001:db8:1::1", 22)));
        assertEquals(Verdict.DROP, verdict(v6, IpFamily.V6, tcp("2001:db8:1::5", "2001:db8:1::1", 22)));
        Packet established =
                tcp("2001:db8:1::5", "2001:db8:1::1", 22).withState(Optional.of(PacketSpace.State.ESTABLISHED));
        assertEquals(Verdict.ACCEPT, verdict(v6, IpFamily.V6, established));
    }

    @Test
    void convert_severalBaseChainsOnAHook_acceptOnlyWhatEveryOneAccepts() throws InputException {
        String text = "table inet a {\n"
                + "\tchain in { type filter hook input priority 0; policy drop; tcp dport { 22, 23, 80 } accept; }\n"
                + "}\n"
                + "table ip b {\n"
                + "\tchain early { type filter hook input priority -10; policy accept; tcp dport 23 drop; tcp dport 80 jump c; }\n"
                + "\tchain c { accept; }\n"
                + "\tchain late { type filter hook input priority 10; policy accept; tcp dport 22 reject; }\n"
                + "}\n";
        NftablesToRulesets.Converted v4 = convert(text, IpFamily.V4);
        Table f = v4.filter();
        assertEquals(Verdict.REJECT, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 22)));
        assertEquals(Verdict.DROP, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 23)));
        assertEquals(Verdict.ACCEPT, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 80)));
        assertEquals(Verdict.DROP, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 81)));
        assertTrue(
                lines(f).contains("-A ip/b/early -p tcp ! -f -m multiport --dports 80 -j c@INPUT#1"),
                lines(f).toString());
        assertTrue(lines(f).contains("-A c@INPUT#1 -j INPUT#2"), lines(f).toString());
        // IPv6 sees only the inet table
        Table v6 = convert(text, IpFamily.V6).filter();
        assertEquals(Verdict.ACCEPT, verdict(v6, IpFamily.V6, tcp("2001:db8::1", "2001:db8::2", 22)));
    }

    @Test
    void convert_unmodelled_becomesNamedBounds() throws InputException {
        String text = "table inet t {\n"
                + "\tchain in { type filter hook input priority 0; policy drop;\n"
                + "\t\ttcp dport 22 limit rate 10/second accept\n"
                + "\t\ttcp dport 25 meta mark 0x1 accept\n"
                + "\t\ttcp dport 443 meta mark set 0x2 accept\n"
                + "\t\ttcp dport vmap { 80 : accept, 81 : drop }\n"
                + "\t}\n"
                + "\tchain pre { type nat hook prerouting priority dstnat; policy accept; tcp dport 8080 dnat ip to 10.250.0.1:80; }\n"
                + "}\n";
        NftablesToRulesets.Converted v4 = convert(text, IpFamily.V4);
        assertEquals(
                List.of("NFT-NOT-MODELLED"),
                v4.warnings().stream().map(Diagnostic::code).toList());
        assertEquals(
                "t.nft:8:71: warning: base chain inet t pre (type nat hook prerouting) is not modelled: what it may drop"
                        + " makes results bounds [NFT-NOT-MODELLED]",
                v4.warnings().get(0).toString());
        List<String> lines = lines(v4.filter());
        assertEquals("-A INPUT -m nft --match \"chain inet t pre type nat hook prerouting\" -j DROP", lines.get(0));
        assertTrue(
                lines.contains(
                        "-A INPUT -p tcp ! -f -m multiport --dports 22 -m nft --match \"limit rate 10/second\" -j ACCEPT"),
                lines.toString());
        assertTrue(
                lines.contains(
                        "-A INPUT -p tcp ! -f -m multiport --dports 25 -m nft --match \"meta mark 0x1\" -j ACCEPT"),
                lines.toString());
        assertTrue(lines.contains("-A INPUT -p tcp ! -f -m multiport --dports 443 -j ACCEPT"), lines.toString());
        assertTrue(lines.contains("-A INPUT -j VMAP"), lines.toString());
        FilterAnalysis a = FilterAnalysis.of(IpFamily.V4, v4.filter());
        assertEquals(Verdict.UNDETERMINED, a.verdict("INPUT", tcp("192.0.2.1", "198.51.100.1", 22)));
        Table noNat = convert(text.replace("tcp dport 8080 dnat ip to 10.250.0.1:80;", ""), IpFamily.V4)
                .filter();
        FilterAnalysis b = FilterAnalysis.of(IpFamily.V4, noNat);
        assertEquals(Verdict.UNDETERMINED, b.verdict("INPUT", tcp("192.0.2.1", "198.51.100.1", 22)));
        assertEquals(Verdict.ACCEPT, b.verdict("INPUT", tcp("192.0.2.1", "198.51.100.1", 443)));
        assertEquals(Verdict.UNDETERMINED, b.verdict("INPUT", tcp("192.0.2.1", "198.51.100.1", 80)));
        assertEquals(Verdict.UNDETERMINED, b.verdict("INPUT", tcp("192.0.2.1", "198.51.100.1", 444)));
    }

    @Test
    void convert_listedRuleset_everyRuleKeepsItsSpan() throws IOException, InputException {
        ParsedNftRuleset parsed = NftTextParser.parse("l.nft", NftTextParserTest.resource("listed-1.0.6.nft"));
        Table v4 = NftablesToRulesets.convert("l.nft", parsed.ruleset(), IpFamily.V4)
                .filter();
        assertTrue(
                v4.rules().stream()
                        .allMatch(r -> r.span().isPresent()
                                || r.chain().startsWith("INPUT") && r.matches().isEmpty()),
                lines(v4).toString());
        assertTrue(
                lines(v4).contains("-A ext -p tcp ! -f -m multiport --dports 443 -j ACCEPT"),
                lines(v4).toString());
    }

    private static final String IPTABLES_FILTER = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n"
            + ":OUTPUT ACCEPT [0:0]\n:ADMIN - [0:0]\n:WEB - [0:0]\n"
            + "-A INPUT -p tcp -m tcp --dport 22 -j ADMIN\n"
            + "-A INPUT -p tcp -m tcp --dport 80 -g WEB\n"
            + "-A INPUT -p tcp -m tcp --dport 25 -j DROP\n"
            + "-A OUTPUT -p tcp -m tcp --dport 22 -j ADMIN\n"
            + "-A ADMIN -s 203.0.113.0/24 -j ACCEPT\n"
            + "-A ADMIN -j REJECT --reject-with icmp-port-unreachable\n"
            + "-A WEB -s 192.0.2.66/32 -j DROP\n"
            + "-A WEB -j RETURN\n"
            + "COMMIT\n";

    @Test
    void convert_iptablesTableBesideNftTables_acceptsOnlyWhatBothAccept() throws InputException {
        Table ipt = dev.stockade.iptables.IptablesSaveParser.filterOf("iptables-save", IPTABLES_FILTER, IpFamily.V4);
        String text = "table ip filter {\n" // iptables-nft's own table, as nft -j shows it: left out
                + "\tchain INPUT { type filter hook input priority 0; policy drop; }\n"
                + "}\n"
                + "table inet stockade {\n"
                + "\tchain input { type filter hook input priority 10; policy drop;\n"
                + "\t\ttcp dport { 22, 25, 80, 443 } accept\n"
                + "\t}\n"
                + "}\n";
        NftablesToRulesets.Converted v4 = NftablesToRulesets.convert(
                "t.nft", NftTextParser.parse("t.nft", text).ruleset(), IpFamily.V4, List.of(ipt));
        Table f = v4.filter();
        // 22: the iptables layer accepts only the admins and rejects the rest
        assertEquals(Verdict.ACCEPT, verdict(f, IpFamily.V4, tcp("203.0.113.5", "198.51.100.1", 22)));
        assertEquals(Verdict.REJECT, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 22)));
        // 25: dropped by iptables although the nft table accepts it
        assertEquals(Verdict.DROP, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 25)));
        // 80: a goto whose chain returns ends in INPUT's ACCEPT policy, then the nft table accepts
        assertEquals(Verdict.ACCEPT, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 80)));
        assertEquals(Verdict.DROP, verdict(f, IpFamily.V4, tcp("192.0.2.66", "198.51.100.1", 80)));
        // 8080: iptables' ACCEPT policy lets it on, the nft table's drop policy ends it
        assertEquals(Verdict.DROP, verdict(f, IpFamily.V4, tcp("192.0.2.1", "198.51.100.1", 8080)));
        assertEquals(List.of(), v4.warnings());
        List<String> lines = lines(f);
        assertTrue(
                lines.contains("-A ip/filter/INPUT -p tcp -m tcp --dport 22 -j ip/filter/ADMIN@INPUT#1"),
                lines.toString());
        assertTrue(lines.contains("-A ip/filter/ADMIN@INPUT#1 -s 203.0.113.0/24 -j INPUT#2"), lines.toString());
        // OUTPUT has the iptables table only: its chain holds the rules, and its ACCEPT is final
        assertTrue(lines.contains("-A OUTPUT -p tcp -m tcp --dport 22 -j ip/filter/ADMIN"), lines.toString());
        assertTrue(lines.contains("-A ip/filter/ADMIN -s 203.0.113.0/24 -j ACCEPT"), lines.toString());
        assertTrue(f.rules().stream()
                .filter(r -> r.chain().startsWith("ip/filter/"))
                .allMatch(r -> r.span().orElseThrow().file().equals("iptables-save")));
        // the same table for IPv6 is ip6's, and never replaces an ip table
        Table v6 = NftablesToRulesets.convert(
                        "t.nft",
                        NftTextParser.parse("t.nft", text).ruleset(),
                        IpFamily.V6,
                        List.of(dev.stockade.iptables.IptablesSaveParser.filterOf(
                                "ip6tables-save",
                                IPTABLES_FILTER
                                        .replace("203.0.113.0/24", "2001:db8::/32")
                                        .replace("192.0.2.66/32", "2001:db8:66::1/128")
                                        .replace("icmp-port-unreachable", "icmp6-port-unreachable"),
                                IpFamily.V6)))
                .filter();
        assertTrue(
                lines(v6).contains("-A ip6/filter/ADMIN@INPUT#1 -s 2001:db8::/32 -j INPUT#2"),
                lines(v6).toString());
        assertEquals(Verdict.ACCEPT, verdict(v6, IpFamily.V6, tcp("2001:db8::1", "2001:db8::2", 22)));
        assertThrows(
                IllegalArgumentException.class,
                () -> NftablesToRulesets.convert(
                        "t.nft",
                        new NftRuleset(List.of()),
                        IpFamily.V4,
                        List.of(new Table("nat", List.of(), List.of()))));
    }
}
