package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketQueryTest {

    static final String RULES = String.join(
            "\n",
            "*filter",
            ":INPUT DROP [0:0]",
            ":FORWARD DROP [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            ":svc - [0:0]",
            ":deny - [0:0]",
            "-A INPUT -i lo -j ACCEPT",
            "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A INPUT -p tcp -m tcp ! --dport 1:1023 -j DROP",
            "-A INPUT -s 192.0.2.0/24 -j svc",
            "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT",
            "-A INPUT -m recent --rcheck --name x -j DROP",
            "-A svc -p tcp -m tcp --dport 22 -j ACCEPT",
            "-A svc -p udp -g deny",
            "-A svc -j RETURN",
            "-A deny -j REJECT",
            "COMMIT",
            "");

    static Table filter() throws Exception {
        return IptablesSaveParser.parse("q.rules", RULES, null)
                .ruleset()
                .table("filter")
                .orElseThrow();
    }

    static Packet tcp(String src, int dport, String state) {
        return Packet.of(Prefix.parse(src), Prefix.parse("198.51.100.1"), 6)
                .withPorts(40000, dport)
                .withInterfaces(Optional.of("eth0"), Optional.empty())
                .withState(Optional.of(PacketSpace.State.valueOf(state)));
    }

    static PacketQuery.Result query(Table t, Packet p) throws Exception {
        return PacketQuery.query(FilterAnalysis.of(IpFamily.V4, t), "INPUT", p, true);
    }

    static List<String> actions(PacketQuery.Result r) {
        return r.path().stream()
                .map(s -> s.chain() + "#" + s.index() + " " + s.action())
                .toList();
    }

    @Test
    void jumpIntoUserChainAndAccept() throws Exception {
        PacketQuery.Result r = query(filter(), tcp("192.0.2.9", 22, "NEW"));
        assertEquals(Verdict.ACCEPT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#1 ACCEPT"), actions(r));
        assertEquals(
                "q.rules:13:1",
                r.path().get(1).rule().orElseThrow().span().orElseThrow().toString());
    }

    @Test
    void returnThenLaterRule() throws Exception {
        PacketQuery.Result r = query(filter(), tcp("192.0.2.9", 443, "NEW"));
        assertEquals(Verdict.ACCEPT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#3 RETURN", "INPUT#5 ACCEPT"), actions(r));
    }

    @Test
    void gotoDoesNotComeBack() throws Exception {
        Packet udp = Packet.of(Prefix.parse("192.0.2.9"), Prefix.parse("198.51.100.1"), 17)
                .withPorts(5000, 53)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        PacketQuery.Result r = query(filter(), udp);
        assertEquals(Verdict.REJECT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#2 goto deny", "deny#1 REJECT"), actions(r));
    }

    @Test
    void negatedRangeAndState() throws Exception {
        assertEquals(
                Verdict.DROP, query(filter(), tcp("203.0.113.1", 8080, "NEW")).verdict());
        assertEquals(
                Verdict.ACCEPT,
                query(filter(), tcp("203.0.113.1", 8080, "ESTABLISHED")).verdict());
    }

    @Test
    void unmodelledMatch_pathStopsThereAndNamesIt_verdictExactWhenBothWaysAgree() throws Exception {
        // '-m recent ... -j DROP' may or may not match, but the policy drops what it lets by: DROP either way
        PacketQuery.Result r = query(filter(), tcp("203.0.113.1", 25, "NEW"));
        assertEquals(Verdict.DROP, r.verdict());
        assertEquals("INPUT#6 may match", actions(r).get(actions(r).size() - 1));
        assertEquals("-m recent --rcheck --name x", r.doubts().get(0).condition());
        assertEquals("q.rules:12:1", r.doubts().get(0).location());
        assertTrue(
                r.undecided().orElseThrow().contains("depends on -m recent"),
                r.undecided().toString());
    }

    @Test
    void policyAppliesAtTheEnd() throws Exception {
        Table t = IptablesSaveParser.parse("p", "*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n", null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        PacketQuery.Result r = query(t, tcp("203.0.113.1", 25, "NEW"));
        assertEquals(Verdict.DROP, r.verdict());
        assertEquals(List.of("INPUT#-1 policy DROP"), actions(r));
    }

    @Test
    void query_stateLeftOpen_derivedAsConntrackDoes() throws Exception {
        Table t = filter();
        Packet syn = Packet.of(Prefix.parse("192.0.2.9"), Prefix.parse("198.51.100.1"), 6)
                .withPorts(40000, 22)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        PacketQuery.Result r = query(t, syn);
        assertEquals(PacketSpace.State.NEW, r.state());
        assertTrue(r.stateDerived());
        assertEquals(Verdict.ACCEPT, r.verdict());
        // a SYN+ACK without a connection is INVALID: the ESTABLISHED rule does not take it
        PacketQuery.Result synAck = query(t, syn.withTcpFlags(Packet.SYN | 1 << 4));
        assertEquals(PacketSpace.State.INVALID, synAck.state());
        // a lone ACK is picked up as NEW, unless nf_conntrack_tcp_loose is 0
        Packet ack = syn.withTcpFlags(1 << 4);
        assertEquals(PacketSpace.State.NEW, query(t, ack).state());
        assertEquals(
                PacketSpace.State.INVALID,
                PacketQuery.query(FilterAnalysis.of(IpFamily.V4, t), "INPUT", ack, false)
                        .state());
    }

    @Test
    void query_icmpErrorsAndReplies_invalidWithoutAFlow() throws Exception {
        Table t = filter();
        Packet icmp = Packet.of(Prefix.parse("192.0.2.9"), Prefix.parse("198.51.100.1"), 1)
                .withInterfaces(Optional.of("eth0"), Optional.empty());
        assertEquals(PacketSpace.State.NEW, query(t, icmp.withIcmp(8, 0)).state());
        assertEquals(PacketSpace.State.INVALID, query(t, icmp.withIcmp(0, 0)).state());
        assertEquals(PacketSpace.State.INVALID, query(t, icmp.withIcmp(3, 3)).state());
    }

    @Test
    void query_interfaceLeftOpen_undecidedNamesTheOption() throws Exception {
        Packet open = tcp("203.0.113.1", 22, "NEW").withInterfaces(Optional.empty(), Optional.empty());
        // an open input interface is any but lo: -i lo passes it by, -i eth1 may take it
        Table t = IptablesSaveParser.parse(
                        "i",
                        "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -i eth1 -j ACCEPT\nCOMMIT\n",
                        null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        PacketQuery.Result r = query(t, open);
        assertEquals(Verdict.UNDETERMINED, r.verdict());
        assertEquals(List.of("INPUT#2 may match"), actions(r));
        assertTrue(
                r.undecided().orElseThrow().contains("--iface"), r.undecided().toString());
        assertTrue(r.doubts().isEmpty());
        assertEquals(Verdict.DROP, query(filter(), open).verdict());
    }

    @Test
    void query_macSource_exactWhenGiven() throws Exception {
        Table t = IptablesSaveParser.parse(
                        "m",
                        "*filter\n:INPUT DROP [0:0]\n-A INPUT -m mac --mac-source 52:54:00:AB:cd:01 -j ACCEPT\nCOMMIT\n",
                        null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        Packet p = tcp("203.0.113.1", 25, "NEW");
        assertEquals(
                Verdict.ACCEPT,
                query(t, p.withMac(Packet.parseMac("52:54:00:ab:CD:01"))).verdict());
        assertEquals(
                Verdict.DROP,
                query(t, p.withMac(Packet.parseMac("52:54:00:ab:cd:02"))).verdict());
        PacketQuery.Result open = query(t, p);
        assertEquals(Verdict.UNDETERMINED, open.verdict());
        assertTrue(
                open.undecided().orElseThrow().contains("--mac"),
                open.undecided().toString());
    }

    @Test
    void query_outputInterfaceInInput_noneSoNegationMatches() throws Exception {
        // an INPUT packet has no output interface: '-o eth2' never matches it, '! -o eth2' always does
        Table t = IptablesSaveParser.parse(
                        "o",
                        "*filter\n:INPUT DROP [0:0]\n:c1 - [0:0]\n-A INPUT -j c1\n-A c1 -o eth1 -j REJECT\n"
                                + "-A c1 ! -o eth2 -j ACCEPT\nCOMMIT\n",
                        null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        PacketQuery.Result r = query(t, tcp("203.0.113.1", 22, "NEW"));
        assertEquals(Verdict.ACCEPT, r.verdict());
        assertEquals(List.of("INPUT#1 jump c1", "c1#2 ACCEPT"), actions(r));
    }

    @Test
    void query_tcpFlagsAll_isTheSixClassicFlags() throws Exception {
        Table t = IptablesSaveParser.parse(
                        "f",
                        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --tcp-flags ALL SYN -j DROP\nCOMMIT\n",
                        null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        int ece = 1 << 6;
        int cwr = 1 << 7;
        // ALL is FIN,SYN,RST,PSH,ACK,URG: a SYN with ECE and CWR (an ECN set-up) still matches
        assertEquals(
                Verdict.DROP,
                query(t, tcp("203.0.113.1", 22, "NEW").withTcpFlags(Packet.SYN | ece | cwr))
                        .verdict());
        assertEquals(
                Verdict.ACCEPT,
                query(t, tcp("203.0.113.1", 22, "NEW").withTcpFlags(Packet.SYN | 1 << 4))
                        .verdict());
    }
}
