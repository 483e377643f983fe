package dev.stockade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CraftedPacketTest {

    @Test
    void spec_tcpSegments_carryFlagsAndWhetherTheyContinueAHandshake() {
        assertEquals(
                "tcp,10.250.1.2,10.250.1.1,40000,22,120,64,18,new",
                CraftedPacket.tcp("10.250.1.2", "10.250.1.1", 40000, 22, 120, 64, 0x12)
                        .spec());
        assertEquals(
                "tcp,2001:db8:1::2,2001:db8:1::1,40000,22,120,9,16,flow",
                CraftedPacket.tcpInFlow("2001:db8:1::2", "2001:db8:1::1", 40000, 22, 120, 9, 0x10)
                        .spec());
    }

    @Test
    void spec_udpAndIcmp_carryTtlTypeAndCode() {
        assertEquals(
                "udp,10.250.1.2,10.250.1.1,40000,53,100,255,-,-",
                CraftedPacket.udp("10.250.1.2", "10.250.1.1", 40000, 53, 100, 255)
                        .spec());
        assertEquals(
                "icmp,10.250.1.2,10.250.1.1,40000,53,100,1,3,3",
                CraftedPacket.icmp("10.250.1.2", "10.250.1.1", 40000, 53, 100, 1, 3, 3)
                        .spec());
    }

    @Test
    void new_addressOutsideTheLabRanges_isRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.udp("10.250.1.2", "192.168.1.1", 40000, 53, 100, 64));
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.udp("2001:db9::2", "2001:db8::1", 40000, 53, 100, 64));
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.udp("10.250.1.2", "2001:db8::1", 40000, 53, 100, 64));
    }

    @Test
    void new_linkLocalSourceWithItsInterface_isAllowedAsSourceOnly() {
        assertEquals(
                "udp,fe80::547%s0,2001:db8::1,547,546,100,64,-,-",
                CraftedPacket.udp("fe80::547%s0", "2001:db8::1", 547, 546, 100, 64)
                        .spec());
        CraftedPacket.udp("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff%eth0.100", "2001:db8::1", 547, 546, 100, 64);
        for (String bad : List.of("fe80::547", "fec0::1%s0", "2001:db8::2%s0", "fe80::1%a/b", "fe80::1%")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> CraftedPacket.udp(bad, "2001:db8::1", 547, 546, 100, 64),
                    bad);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.udp("2001:db8::2", "fe80::1%s0", 547, 546, 100, 64));
    }

    @Test
    void new_errorTooShortToQuoteADatagram_isRefused() {
        // ICMPv6 header 8 + quoted IPv6 and UDP headers 48 after the 40 of the packet's own header
        CraftedPacket.icmp("2001:db8:1::2", "2001:db8:1::1", 40000, 53, 96, 64, 1, 4);
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.icmp("2001:db8:1::2", "2001:db8:1::1", 40000, 53, 95, 64, 1, 4));
        // an echo request needs its 8-byte header only
        CraftedPacket.icmp("2001:db8:1::2", "2001:db8:1::1", 40000, 0, 48, 64, 128, 0);
    }

    @Test
    void new_fieldsOutOfRange_areRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.tcp("10.250.1.2", "10.250.1.1", 40000, 22, 120, 0, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> CraftedPacket.tcp("10.250.1.2", "10.250.1.1", 40000, 22, 1501, 64, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CraftedPacket("udp", "10.250.1.2", "10.250.1.1", 40000, 53, 100, 64, 0, true, -1, -1));
    }
}
