package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExtensionHeadersTest {

    static Table v6(String... rules) throws Exception {
        String text = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + String.join("\n", rules) + "\nCOMMIT\n";
        return IptablesSaveParser.parse("v6.rules", text, IpFamily.V6)
                .ruleset()
                .table("filter")
                .orElseThrow();
    }

    @Test
    void exposure_routingHeaderType0Dropped_exactAndPortStillOpen() throws Exception {
        Table t = v6("-A INPUT -m rt --rt-type 0 -j DROP", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT");
        FilterAnalysis a = FilterAnalysis.of(IpFamily.V6, t);
        Exposure e = Exposure.of(a, "INPUT");
        assertTrue(e.exact(), () -> e.doubts().toString());
        assertEquals("tcp 22 any any", PacketSetAnalysisTest.rows(e.accepted()));
        // the packet set knows the difference: with a type 0 routing header the same SYN is dropped
        int rh0 = a.space().routingHeader(0);
        int ssh = a.space()
                .point(Packet.of(Prefix.parse("2001:db9::1"), Prefix.parse("2001:db9::2"), 6)
                        .withPorts(40000, 22)
                        .withInterfaces(Optional.of("eth0"), Optional.empty())
                        .withState(Optional.of(PacketSpace.State.NEW)));
        assertEquals(
                Verdict.ACCEPT,
                a.verdict(
                        "INPUT",
                        Packet.of(Prefix.parse("2001:db9::1"), Prefix.parse("2001:db9::2"), 6)
                                .withPorts(40000, 22)));
        assertFalse(a.bdd().intersects(a.bdd().and(ssh, a.space().valid()), rh0)); // a query packet has none
        assertTrue(a.bdd().intersects(a.lower(0, "INPUT"), a.space().routingHeader(2)));
        assertFalse(a.bdd().intersects(a.upper(0, "INPUT"), rh0));
    }

    @Test
    void encode_otherExtensionHeaderMatches_namedBoundsWithTheReason() throws Exception {
        Table t = v6(
                "-A INPUT -m frag --fragmore -j DROP",
                "-A INPUT -m rt --rt-segsleft 0 -j DROP",
                "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V6, t), "INPUT");
        assertFalse(e.exact());
        assertEquals(2, e.doubts().size());
        assertTrue(e.doubts().stream().allMatch(d -> d.reason().startsWith("IPv6 extension header not modelled")));
    }

    @Test
    void encode_moduleWithoutOptions_unknownUnlessNeutral() throws Exception {
        Table t = v6("-A INPUT -m addrtype -j DROP", "-A INPUT -p tcp -m tcp -m comment --comment x -j ACCEPT");
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V6, t), "INPUT");
        assertEquals(1, e.doubts().size());
        assertEquals("-m addrtype", e.doubts().get(0).condition());
    }
}
