package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketTextTest {

    private static PacketText.FieldException refused(Map<String, String> fields, IpFamily family) {
        return assertThrows(PacketText.FieldException.class, () -> PacketText.parse(fields, family));
    }

    @Test
    void parse_tcpDefaults_synFromPort40000Ttl64() throws Exception {
        Packet p = PacketText.parse(Map.of("src", "203.0.113.5", "dst", "198.51.100.11", "dport", "22"), IpFamily.V4);
        assertEquals(Prefix.parse("203.0.113.5"), p.source());
        assertEquals(6, p.protocol());
        assertEquals(40000, p.sport());
        assertEquals(22, p.dport());
        assertEquals(Packet.SYN, p.tcpFlags());
        assertEquals(64, p.ttl());
        assertEquals(Optional.empty(), p.inInterface());
        assertEquals(Optional.empty(), p.state());
    }

    @Test
    void parse_everyField() throws Exception {
        Packet p = PacketText.parse(
                Map.of(
                        "src",
                        "2001:db8::1",
                        "dst",
                        "2001:db8::2",
                        "proto",
                        "tcp",
                        "sport",
                        "1234",
                        "dport",
                        "443",
                        "tcpFlags",
                        "syn,ack",
                        "ttl",
                        "3",
                        "iface",
                        "eth0",
                        "mac",
                        "52:54:00:12:34:56",
                        "state",
                        "established"),
                IpFamily.V6);
        assertEquals(1234, p.sport());
        assertEquals(Packet.SYN | 1 << 4, p.tcpFlags());
        assertEquals(3, p.ttl());
        assertEquals(Optional.of("eth0"), p.inInterface());
        assertEquals(0x525400123456L, p.mac().getAsLong());
        assertEquals(Optional.of(PacketSpace.State.ESTABLISHED), p.state());
    }

    @Test
    void parse_icmpTypeAndCode() throws Exception {
        Packet p = PacketText.parse(
                Map.of("src", "192.0.2.1", "dst", "192.0.2.2", "proto", "icmp", "icmpType", "3", "icmpCode", "4"),
                IpFamily.V4);
        assertEquals(1, p.protocol());
        assertEquals(3, p.icmpType());
        assertEquals(4, p.icmpCode());
    }

    @Test
    void parse_refusals_nameTheField() {
        assertEquals("nope", refused(Map.of("nope", "1"), IpFamily.V4).field());
        assertEquals(
                "src",
                refused(Map.of("dst", "192.0.2.2", "dport", "1"), IpFamily.V4).field());
        PacketText.FieldException prefix =
                refused(Map.of("src", "192.0.2.0/24", "dst", "192.0.2.2", "dport", "1"), IpFamily.V4);
        assertTrue(prefix.getMessage().contains("is a prefix"), prefix.getMessage());
        PacketText.FieldException family =
                refused(Map.of("src", "2001:db8::1", "dst", "2001:db8::2", "dport", "1"), IpFamily.V4);
        assertTrue(family.hint().contains("-6"), family.hint());
        assertEquals(
                "dport",
                refused(Map.of("src", "192.0.2.1", "dst", "192.0.2.2"), IpFamily.V4)
                        .field());
        assertEquals(
                "dport",
                refused(Map.of("src", "192.0.2.1", "dst", "192.0.2.2", "proto", "icmp", "dport", "1"), IpFamily.V4)
                        .field());
        assertEquals(
                "tcpFlags",
                refused(Map.of("src", "192.0.2.1", "dst", "192.0.2.2", "dport", "1", "tcpFlags", "SIN"), IpFamily.V4)
                        .field());
        assertEquals(
                "ttl",
                refused(Map.of("src", "192.0.2.1", "dst", "192.0.2.2", "dport", "1", "ttl", "256"), IpFamily.V4)
                        .field());
        assertEquals(
                "mac",
                refused(Map.of("src", "192.0.2.1", "dst", "192.0.2.2", "dport", "1", "mac", "xx"), IpFamily.V4)
                        .field());
    }

    @Test
    void protocolName_asIptablesPrintsIt() {
        assertEquals("tcp", PacketText.protocolName(6));
        assertEquals("udp", PacketText.protocolName(17));
        assertEquals("ipv6-icmp", PacketText.protocolName(58));
        assertEquals("253", PacketText.protocolName(253));
    }
}
