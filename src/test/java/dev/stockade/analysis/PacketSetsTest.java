package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import org.junit.jupiter.api.Test;

/** The building-block sets, checked against what a ruleset accepts. */
class PacketSetsTest {

    private static final Prefix OFFICE = Prefix.parse("203.0.113.0/24");

    private static FilterAnalysis analysis(String... rules) throws Exception {
        return FilterAnalysis.of(IpFamily.V4, PacketSetAnalysisTest.table(rules));
    }

    @Test
    void sets_composeToWhatARuleAccepts() throws Exception {
        FilterAnalysis a = analysis("-A INPUT -s 203.0.113.0/24 -i eth+ -p tcp -m tcp --dport 22 -j ACCEPT");
        PacketSets p = a.packets();
        PacketSet fresh = p.firstPackets("INPUT");
        PacketSet accepted = a.acceptedLower("INPUT").and(fresh);
        PacketSet built = fresh.and(p.source(OFFICE))
                .and(p.inInterface("eth+"))
                .and(p.protocol(6))
                .and(p.destinationPorts(22, 22));
        assertEquals(built, accepted);
        assertTrue(p.inInterface("eth0").within(p.inInterface("eth+")));
        assertFalse(accepted.intersects(p.inInterface("lo")));
        assertFalse(accepted.intersects(p.destinationPorts(23, 65535)));
    }

    @Test
    void keep_projectsOntoTheFieldsNamed() throws Exception {
        FilterAnalysis a = analysis(
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -s 198.51.100.0/24 -p udp -m udp --dport 53 -j ACCEPT");
        PacketSets p = a.packets();
        PacketSet accepted = a.acceptedLower("INPUT").and(p.firstPackets("INPUT"));
        PacketSet sources = accepted.keep(Field.SOURCE);
        assertEquals(
                p.source(OFFICE).or(p.source(Prefix.parse("198.51.100.0/24"))).keep(Field.SOURCE), sources);
        PacketSet tcpSources = accepted.and(p.protocol(6)).keep(Field.SOURCE, Field.PROTOCOL);
        assertTrue(tcpSources.intersects(p.source(OFFICE)));
        assertFalse(tcpSources.intersects(p.source(Prefix.parse("198.51.100.0/24"))));
    }

    @Test
    void flagsIcmpDestinationAndPoints() throws Exception {
        FilterAnalysis a = analysis(
                "-A INPUT -d 192.0.2.1/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT",
                "-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -j ACCEPT");
        PacketSets p = a.packets();
        PacketSet fresh = p.firstPackets("INPUT");
        PacketSet accepted = a.acceptedLower("INPUT").and(fresh);
        assertTrue(p.protocol(1)
                .and(p.icmpType(8))
                .and(p.destination(Prefix.parse("192.0.2.1")))
                .and(fresh)
                .within(accepted));
        assertFalse(p.icmpType(0).and(p.protocol(1)).intersects(accepted));
        assertTrue(p.protocol(6).and(p.tcpFlags(0x12, Packet.SYN)).and(fresh).within(accepted));
        assertFalse(p.protocol(6).and(p.tcpFlags(0x12, 0x12)).intersects(accepted));
        Packet echo = Packet.of(Prefix.parse("198.51.100.7"), Prefix.parse("192.0.2.1"), 1)
                .withIcmp(8, 0);
        assertTrue(p.packet(echo).intersects(accepted));
        assertTrue(p.none().isEmpty());
        assertFalse(p.all().isEmpty());
        assertNotEquals(p.all(), p.all("INPUT"), "INPUT packets have no output interface");
    }
}
