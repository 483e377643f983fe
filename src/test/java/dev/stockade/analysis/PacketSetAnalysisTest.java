package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PacketSetAnalysisTest {

    static Table table(String... lines) throws InputException {
        String text = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + String.join("\n", lines) + "\nCOMMIT\n";
        return IptablesSaveParser.parse("t.rules", text, null)
                .ruleset()
                .table("filter")
                .orElseThrow();
    }

    static String rows(List<Exposure.Entry> entries) {
        return entries.stream()
                .map(e -> e.protocol() + " " + e.keyText() + " " + e.interfaceText() + " "
                        + e.addresses().toCidrText())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void exposure_chainsReturnAndGoto_exactPerPortAndSource() throws Exception {
        Table t = table(
                ":ssh - [0:0]",
                ":web - [0:0]",
                "-A INPUT -i lo -j ACCEPT",
                "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 22 -j ssh",
                "-A INPUT -p tcp -m multiport --dports 80,443,8000:8010 -g web",
                "-A ssh -s 192.0.2.66/32 -j RETURN",
                "-A ssh -s 192.0.2.0/24 -j ACCEPT",
                "-A web ! -s 198.51.100.0/24 -j ACCEPT",
                "-A web -p tcp -m tcp --dport 443 -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V4, t), "INPUT");
        assertTrue(e.exact());
        assertTrue(e.loopbackOpen());
        List<String> ranges = e.accepted().stream()
                .map(x -> x.protocol() + " " + x.keyText() + " " + x.interfaceText() + " "
                        + x.addresses().toRangeText())
                .toList();
        assertEquals(
                List.of(
                        "tcp 22 any {192.0.2.0 .. 192.0.2.65} u {192.0.2.67 .. 192.0.2.255}",
                        "tcp 80,8000-8010 any {0.0.0.0 .. 198.51.99.255} u {198.51.101.0 .. 255.255.255.255}",
                        "tcp 443 any {0.0.0.0 .. 255.255.255.255}"),
                ranges);
    }

    @Test
    void exposure_unmodelledMatch_givesConditionalEntryAndNamesTheRule() throws Exception {
        Table t = table(
                "-A INPUT -p tcp -m tcp --dport 22 -m recent --rcheck --name ssh -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V4, t), "INPUT");
        assertFalse(e.exact());
        assertEquals("tcp 80 any any", rows(e.accepted()));
        assertEquals("tcp 22 any any", rows(e.conditional()));
        assertEquals(1, e.doubts().size());
        assertEquals("t.rules:5:1", e.doubts().get(0).location());
        assertTrue(
                e.doubts().get(0).condition().contains("recent"),
                e.doubts().get(0).condition());
    }

    @Test
    void exposure_allButOnePrefix_writtenAsAnyExcept() throws Exception {
        Table t = table(
                "-A INPUT -p tcp -m tcp --dport 80 ! -s 198.51.100.0/24 -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 443 -s 10.0.0.0/9 -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 443 -s 10.128.0.0/9 -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V4, t), "INPUT");
        assertEquals("tcp 80 any any except 198.51.100.0/24\ntcp 443 any 10.0.0.0/8", rows(e.accepted()));
    }

    @Test
    void verdict_concretePackets_matchTheRules() throws Exception {
        Table t = table(
                ":c - [0:0]",
                "-A INPUT -s 10.250.0.0/16 -j c",
                "-A INPUT -p udp -j REJECT",
                "-A c -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A c -j RETURN");
        FilterAnalysis a = FilterAnalysis.of(IpFamily.V4, t);
        Packet ssh = Packet.of(Prefix.parse("10.250.1.2"), Prefix.parse("10.250.0.1"), 6)
                .withPorts(40000, 22)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        Packet udp = Packet.of(Prefix.parse("10.250.1.2"), Prefix.parse("10.250.0.1"), 17)
                .withPorts(40000, 53)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        Packet outside = Packet.of(Prefix.parse("192.0.2.1"), Prefix.parse("10.250.0.1"), 6)
                .withPorts(40000, 22)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        assertEquals(Verdict.ACCEPT, a.verdict("INPUT", ssh));
        assertEquals(Verdict.REJECT, a.verdict("INPUT", udp));
        assertEquals(Verdict.DROP, a.verdict("INPUT", outside));
        for (Packet p : List.of(ssh, udp, outside)) {
            assertEquals(PacketQuery.query(a, "INPUT", p, true).verdict(), a.verdict("INPUT", p));
        }
    }

    @Test
    void semantics_jumpLoop_isALocatedInputError() throws Exception {
        Table t = table(":a - [0:0]", ":b - [0:0]", "-A INPUT -j a", "-A a -j b", "-A b -j a");
        InputException e = assertThrows(
                InputException.class, () -> FilterAnalysis.of(IpFamily.V4, t).chain("INPUT"));
        assertEquals("FW-JUMP-LOOP", e.diagnostics().get(0).code());
        assertEquals(9, e.diagnostics().get(0).span().line()); // the jump that closes the loop
    }

    @Test
    void unfolding_jumpLoop_isALocatedInputErrorToo() throws Exception {
        Table t = table(":a - [0:0]", ":b - [0:0]", "-A FORWARD -j a", "-A a -j b", "-A b -j a");
        FilterAnalysis a =
                FilterAnalysis.of(IpFamily.V4, List.of(t), List.of(), FilterAnalysis.Approximation.FFFUU, null);
        InputException e = assertThrows(InputException.class, () -> a.chain("FORWARD"));
        assertEquals("FW-JUMP-LOOP", e.diagnostics().get(0).code());
        assertEquals(9, e.diagnostics().get(0).span().line());
    }

    @Test
    void exposure_otherProtocols_namedPerFamily() throws Exception {
        Exposure e = Exposure.of(
                FilterAnalysis.of(IpFamily.V4, table("-A INPUT -p gre -j ACCEPT", "-A INPUT -p 58 -j ACCEPT")),
                "INPUT");
        assertEquals("proto 47,58  any any", rows(e.accepted())); // no port column for other protocols
    }

    @Test
    void diff_narrowedSourceAndNewPort_reportsBothDirections() throws Exception {
        Table before = table("-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT");
        Table after = table(
                "-A INPUT -s 203.0.113.0/25 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -p udp -m udp --dport 53 -j ACCEPT");
        RulesetDiff d = RulesetDiff.of(IpFamily.V4, before, after, "INPUT");
        assertFalse(d.identical());
        assertEquals("udp 53 any any", rows(d.opened().accepted()));
        assertEquals("tcp 22 any 203.0.113.128/25", rows(d.closed().accepted()));
        assertTrue(RulesetDiff.of(IpFamily.V4, before, before, "INPUT").identical());
    }

    @Test
    void matrix_twoZones_classesAndEdges() throws Exception {
        Table t = table(
                "-A FORWARD -s 10.250.1.0/24 -d 10.250.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A FORWARD -s 10.250.0.0/16 -d 10.250.0.0/16 -p tcp -m tcp --dport 80 -j ACCEPT");
        FilterAnalysis a = FilterAnalysis.of(IpFamily.V4, t);
        ServiceMatrix ssh = ServiceMatrix.of(a, "FORWARD", 22, 10000, true);
        assertEquals(
                List.of(
                        "{0.0.0.0 .. 10.250.0.255} u {10.250.3.0 .. 255.255.255.255}",
                        "{10.250.1.0 .. 10.250.1.255}",
                        "{10.250.2.0 .. 10.250.2.255}"),
                ssh.classes().stream().map(AddressSet::toRangeText).toList());
        assertEquals(
                List.of("1,2"),
                ssh.edges().stream().map(x -> x.from() + "," + x.to()).toList());
        ServiceMatrix web = ServiceMatrix.of(a, "FORWARD", 80, 10000, true);
        assertEquals(2, web.classes().size());
        assertEquals(
                List.of("1,1"),
                web.edges().stream().map(x -> x.from() + "," + x.to()).toList());
    }

    @Test
    void matrix_loopbackAcceptedWhole_leftOutSoSourcesStayApart() throws Exception {
        Table t = table("-A INPUT -i lo -j ACCEPT", "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT");
        ServiceMatrix ssh = ServiceMatrix.of(FilterAnalysis.of(IpFamily.V4, t), "INPUT", 22, 10000, true);
        assertTrue(ssh.loopbackLeftOut());
        assertEquals(
                List.of(
                        "{0.0.0.0 .. 203.0.112.255} u {203.0.114.0 .. 255.255.255.255}",
                        "{203.0.113.0 .. 203.0.113.255}"),
                ssh.classes().stream().map(AddressSet::toRangeText).toList());
        assertEquals(
                List.of("1,0", "1,1"),
                ssh.edges().stream().map(x -> x.from() + "," + x.to()).toList());
    }

    @Test
    void exposure_everyInterfaceButNamedOnes_saidByExclusion() throws Exception {
        Table t = table("-A INPUT ! -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -i eth1 -p udp -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V4, t), "INPUT");
        assertEquals("tcp 22 ! eth0 any\nudp any eth1 any", rows(e.accepted()));
    }

    @Test
    void exposure_ipv6_prefixesAndIcmpTypes() throws Exception {
        String text = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -s 2001:db8:ad::/48 -p tcp -m tcp --dport 22 -j ACCEPT\n"
                + "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT\nCOMMIT\n";
        Table t = IptablesSaveParser.parse("t6.rules", text, null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V6, t), "INPUT");
        assertEquals("tcp 22 any 2001:db8:ad::/48\nipv6-icmp 128 any any", rows(e.accepted()));
    }
}
