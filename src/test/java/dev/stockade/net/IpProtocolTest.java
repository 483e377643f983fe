package dev.stockade.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpProtocolTest {

    @ParameterizedTest
    @CsvSource({
        "tcp, 6",
        "TCP, 6",
        "udp, 17",
        "icmp, 1",
        "ipv6-icmp, 58",
        "icmpv6, 58",
        "sctp, 132",
        "udplite, 136",
        "all, 0",
        "ip, 0",
        "0, 0",
        "255, 255",
        "47, 47",
        "gre, 47",
        "ipv6-route, 43",
        "ipv6-frag, 44",
        "ipv6-nonxt, 59",
        "ipv6-opts, 60",
        "ospf, 89",
        "ipcomp, 108",
        "l2tp, 115",
        "mh, 135",
        "ipv6-mh, 135",
        "vrrp, 112",
        "esp, 50",
        "ah, 51"
    })
    void number_namesAndNumbersIptablesAccepts(String text, int number) {
        assertEquals(OptionalInt.of(number), IpProtocol.number(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256", "9999", "", "tcpp", "ipsec-esp", "-1", "١"})
    void number_unknown_empty(String text) {
        assertEquals(OptionalInt.empty(), IpProtocol.number(text));
    }

    @Test
    void nameOf_canonicalNameOrNumber() {
        assertEquals("ipv6-icmp", IpProtocol.nameOf(58));
        assertEquals("tcp", IpProtocol.nameOf(IpProtocol.TCP));
        assertEquals("200", IpProtocol.nameOf(200));
    }

    @Test
    void services_portByName_caseMatters() {
        assertEquals(OptionalInt.of(22), Services.port("ssh"));
        assertEquals(OptionalInt.empty(), Services.port("SSH"));
        assertEquals(OptionalInt.empty(), Services.port("nope"));
    }
}
