package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
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
        return new Packet(
                Prefix.parse(src),
                Prefix.parse("198.51.100.1"),
                6,
                40000,
                dport,
                -1,
                Optional.of("eth0"),
                Optional.empty(),
                state);
    }

    static List<String> actions(PacketQuery.Result r) {
        return r.path().stream()
                .map(s -> s.chain() + "#" + s.index() + " " + s.action())
                .toList();
    }

    @Test
    void jumpIntoUserChainAndAccept() throws Exception {
        PacketQuery.Result r = PacketQuery.query(filter(), "INPUT", tcp("192.0.2.9", 22, "NEW"));
        assertEquals(PacketQuery.Verdict.ACCEPT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#1 ACCEPT"), actions(r));
        assertEquals(
                "q.rules:13:1",
                r.path().get(1).rule().orElseThrow().span().orElseThrow().toString());
    }

    @Test
    void returnThenLaterRule() throws Exception {
        PacketQuery.Result r = PacketQuery.query(filter(), "INPUT", tcp("192.0.2.9", 443, "NEW"));
        assertEquals(PacketQuery.Verdict.ACCEPT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#3 RETURN", "INPUT#5 ACCEPT"), actions(r));
    }

    @Test
    void gotoDoesNotComeBack() throws Exception {
        Packet udp = new Packet(
                Prefix.parse("192.0.2.9"),
                Prefix.parse("198.51.100.1"),
                17,
                5000,
                53,
                -1,
                Optional.of("eth0"),
                Optional.empty(),
                "NEW");
        PacketQuery.Result r = PacketQuery.query(filter(), "INPUT", udp);
        assertEquals(PacketQuery.Verdict.REJECT, r.verdict());
        assertEquals(List.of("INPUT#4 jump svc", "svc#2 goto deny", "deny#1 REJECT"), actions(r));
    }

    @Test
    void negatedRangeAndState() throws Exception {
        assertEquals(
                PacketQuery.Verdict.DROP,
                PacketQuery.query(filter(), "INPUT", tcp("203.0.113.1", 8080, "NEW"))
                        .verdict());
        assertEquals(
                PacketQuery.Verdict.ACCEPT,
                PacketQuery.query(filter(), "INPUT", tcp("203.0.113.1", 8080, "ESTABLISHED"))
                        .verdict());
    }

    @Test
    void unmodelledMatch_undeterminedAndNamed() throws Exception {
        PacketQuery.Result r = PacketQuery.query(filter(), "INPUT", tcp("203.0.113.1", 25, "NEW"));
        assertEquals(PacketQuery.Verdict.UNDETERMINED, r.verdict());
        assertTrue(
                r.doubt().orElseThrow().contains("'-m recent --rcheck --name x' in q.rules:12:1"),
                r.doubt().toString());
    }

    @Test
    void policyAppliesAtTheEnd() throws Exception {
        Table t = IptablesSaveParser.parse("p", "*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n", null)
                .ruleset()
                .table("filter")
                .orElseThrow();
        PacketQuery.Result r = PacketQuery.query(t, "INPUT", tcp("203.0.113.1", 25, "NEW"));
        assertEquals(PacketQuery.Verdict.DROP, r.verdict());
        assertEquals(List.of("INPUT#-1 policy DROP"), actions(r));
    }
}
