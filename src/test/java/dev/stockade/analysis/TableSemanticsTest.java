package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableSemanticsTest {

    private static FilterAnalysis analysis(String... lines) throws Exception {
        return FilterAnalysis.of(IpFamily.V4, PacketSetAnalysisTest.table(lines));
    }

    @Test
    void kind_targetsAndChains() {
        Set<String> chains = Set.of("INPUT", "mine");
        assertEquals(TableSemantics.Kind.ACCEPT, TableSemantics.kind("ACCEPT", chains));
        assertEquals(TableSemantics.Kind.RETURN, TableSemantics.kind("RETURN", chains));
        assertEquals(TableSemantics.Kind.OBSERVE, TableSemantics.kind("LOG", chains));
        assertEquals(TableSemantics.Kind.CHAIN, TableSemantics.kind("mine", chains));
        assertEquals(TableSemantics.Kind.DROP, TableSemantics.kind("TARPIT", chains));
        assertEquals(TableSemantics.Kind.UNKNOWN, TableSemantics.kind("NFQUEUE", chains));
        assertEquals(TableSemantics.Kind.UNKNOWN, TableSemantics.kind("undeclared", chains));
    }

    @Test
    void builtin_returnFromUserChain_fallsToThePolicy() throws Exception {
        FilterAnalysis a = analysis(
                ":ssh - [0:0]",
                "-A INPUT -p tcp -m tcp --dport 22 -j ssh",
                "-A ssh -s 192.0.2.66/32 -j RETURN",
                "-A ssh -s 192.0.2.0/24 -j ACCEPT");
        TableSemantics t = a.table(0);
        Bdd bdd = a.space().bdd();
        PacketSpace s = a.space();
        TableSemantics.Summary in = t.builtin("INPUT");
        int office = ssh(s, "192.0.2.5");
        int returned = ssh(s, "192.0.2.66");
        int stranger = ssh(s, "198.51.100.1");
        assertTrue(bdd.intersects(in.accept(), office));
        assertFalse(bdd.intersects(in.accept(), returned));
        assertTrue(bdd.intersects(in.drop(), returned), "policy DROP takes what the user chain returned");
        assertTrue(bdd.intersects(in.drop(), stranger));
        assertFalse(bdd.intersects(in.accept(), in.drop()));
        assertEquals(Bdd.FALSE, in.returned());
        TableSemantics.Summary user = t.summary("ssh");
        assertTrue(bdd.intersects(user.returned(), returned));
        assertTrue(bdd.intersects(user.returned(), stranger), "falling off a user chain returns too");
        assertFalse(bdd.intersects(user.returned(), office));
        assertEquals(2, t.sites("ssh").size());
        assertEquals("INPUT", t.table().rules().get(0).chain());
    }

    private static int ssh(PacketSpace s, String source) {
        return s.point(Packet.of(Prefix.parse(source), Prefix.parse("192.0.2.1"), 6)
                .withPorts(40000, 22)
                .withTcpFlags(Packet.SYN));
    }

    @Test
    void summary_jumpLoop_locatedError() throws Exception {
        FilterAnalysis a = analysis(":a - [0:0]", ":b - [0:0]", "-A INPUT -j a", "-A a -j b", "-A b -j a");
        InputException e = assertThrows(InputException.class, () -> a.table(0).builtin("INPUT"));
        assertTrue(e.getMessage().contains("a") && e.getMessage().contains("b"), e.getMessage());
    }

    @Test
    void doubtsIn_unmodelledMatch_namedWithItsRuleAndLocation() throws Exception {
        FilterAnalysis a = analysis(
                "-A INPUT -p tcp -m tcp --dport 80 -m limit --limit 5/sec -j ACCEPT", "-A INPUT -p udp -j ACCEPT");
        TableSemantics t = a.table(0);
        t.builtin("INPUT");
        List<Doubt> doubts = t.doubtsIn(a.space().valid("INPUT"));
        assertEquals(1, doubts.size(), doubts::toString);
        Doubt d = doubts.get(0);
        assertTrue(d.condition().contains("limit"), d.condition());
        assertEquals("t.rules:5:1", d.location());
        assertEquals(List.of(), t.doubtsIn(a.space().protocol(17)), "udp packets never meet the limit rule");
    }

    @Test
    void doubt_location_chainWhenTheRuleHasNoPosition() {
        dev.stockade.iptables.Rule r = dev.stockade.iptables.Rule.of(
                "mine", List.of(), new dev.stockade.iptables.Target("ACCEPT", false, List.of()));
        assertEquals("mine", new Doubt(r, "-m owner", "not modelled").location());
    }
}
