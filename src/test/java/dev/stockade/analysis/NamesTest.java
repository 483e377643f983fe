package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest
    @CsvSource({"tcp, 6", "udp, 17", "6, 6", "icmp, 1", "ipv6-icmp, 58", "all, -1", "0, -1"})
    void protocol_nameOrNumber_allIsMinusOne(String name, int number) {
        assertEquals(Optional.of(number), Names.protocol(name));
    }

    @ParameterizedTest
    @CsvSource({"nosuchproto", "256"})
    void protocol_unknown_empty(String name) {
        assertEquals(Optional.empty(), Names.protocol(name));
    }

    @ParameterizedTest
    @CsvSource({"22, 22", "0, 0", "65535, 65535", "65536, -1", "123456, -1", "ssh, 22", "https, 443", "nosuch, -1"})
    void port_numberOrServiceName(String text, int port) {
        assertEquals(port, Names.port(text));
    }

    @ParameterizedTest
    @CsvSource({"''", "-1", "2x"})
    void port_notANumberOrName_minusOne(String text) {
        assertEquals(-1, Names.port(text));
    }
}
