package dev.stockade.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1/32",
        "192.0.2.0/24, 192.0.2.0/24",
        "0.0.0.0/0, 0.0.0.0/0",
        "2001:DB8::1, 2001:db8::1/128",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:0db8:0000:0000:0000:0000:0000:0000/32, 2001:db8::/32",
        "::, ::/128",
        "::1, ::1/128",
        "::ffff:192.0.2.1, ::ffff:c000:201/128",
        "fe80::/10, fe80::/10",
        "2001:db8:1:0:0:0:0:0/48, 2001:db8:1::/48",
    })
    void parse_validText_canonicalCidr(String text, String cidr) {
        assertEquals(cidr, Prefix.parse(text).toCidr());
    }

    @Test
    void toString_rfc5952_compressesLongestZeroRunOnly() {
        assertEquals("2001:0:0:1::1", Prefix.parse("2001:0:0:1:0:0:0:1").address());
        assertEquals("2001:db8::1:0:0:1", Prefix.parse("2001:db8:0:0:1:0:0:1").address());
        assertEquals(
                "2001:db8:0:1:1:1:1:1", Prefix.parse("2001:db8:0:1:1:1:1:1").address());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.256",
                "10.0.0",
                "10.0.0.1.2",
                "010.0.0.1",
                "10.0.0.1/33",
                "10.0.0.1/",
                "2001:db8::1::2",
                "2001:db8:::1",
                "12345::",
                "2001:db8::/129",
                "fe80::1%eth0",
                "example.com",
                "",
                "1:2:3:4:5:6:7:8:9",
                "::g"
            })
    void parse_invalid_throwsUserMessage(String text) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Prefix.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") || e.getMessage().contains("port"), e.getMessage());
    }

    @Test
    void parse_hostBitsSet_suggestsNetwork() {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Prefix.parse("192.0.2.7/24"));
        assertTrue(e.getMessage().contains("did you mean 192.0.2.0/24"), e.getMessage());
        e = assertThrows(AddressFormatException.class, () -> Prefix.parse("2001:db8::1/32"));
        assertTrue(e.getMessage().contains("did you mean 2001:db8::/32"), e.getMessage());
    }

    @Test
    void contains_respectsFamilyAndLength() {
        Prefix net = Prefix.parse("10.250.0.0/16");
        assertTrue(net.contains(Prefix.parse("10.250.3.4")));
        assertTrue(net.contains(net));
        assertFalse(net.contains(Prefix.parse("10.251.0.1")));
        assertFalse(net.contains(Prefix.parse("10.0.0.0/8")));
        assertFalse(Prefix.any(IpFamily.V6).contains(Prefix.parse("10.0.0.1")));
        assertTrue(Prefix.parse("2001:db8::/32").contains(Prefix.parse("2001:db8:ffff::1")));
        assertFalse(Prefix.parse("2001:db8::/33").contains(Prefix.parse("2001:db8:8000::1")));
    }

    @Test
    void portRange_parseAndLimits() {
        assertEquals(new PortRange(8000, 8010), PortRange.parse("8000-8010"));
        assertEquals("8000:8010", PortRange.parse("8000:8010").toIptables());
        assertThrows(AddressFormatException.class, () -> PortRange.parse("0"));
        assertThrows(AddressFormatException.class, () -> PortRange.parse("70000"));
        assertThrows(AddressFormatException.class, () -> PortRange.parse("90-80"));
        assertThrows(AddressFormatException.class, () -> PortRange.parse("http"));
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3/8, 10.0.0.0/8",
        "10.1.2.3, 10.1.2.3/32",
        "10.0.0.0/255.0.0.0, 10.0.0.0/8",
        "10.1.2.3/255.255.255.0, 10.1.2.0/24",
        "0.0.0.0/0.0.0.0, 0.0.0.0/0",
        "192.0.2.1/0, 0.0.0.0/0",
        "2001:db8:1::1/32, 2001:db8::/32",
        "2001:db8:1::1/ffff:ffff::, 2001:db8::/32",
        "::1/128, ::1/128"
    })
    void parseIptables_masksAndDottedNetmasks_network(String text, String cidr) {
        assertEquals(cidr, Prefix.parseIptables(text).toCidr());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/255.0.255.0",
                "10.0.0.0/33",
                "10.0.0.0/",
                "10.0.0.0/ffff::",
                "2001:db8::/255.0.0.0",
                "2001:db8::/129",
                "10.0.0.0/0024",
                "10.0.0.0/8/8",
                "10.0.0.0/٨"
            })
    void parseIptables_badLengthOrMask_userMessage(String text) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Prefix.parseIptables(text));
        assertTrue(e.getMessage().contains(text) || e.getMessage().contains("'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "0.0.0.0 => 0",
                "255.255.255.255 => 4294967295",
                "10.0.200.9 => 167823369",
                "192.0.2.10/31 => 3221225994",
            })
    void parse_ipv4_valueOfTheFourOctets(String text, long value) {
        assertEquals(value, Prefix.parseIptables(text).lo());
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "1.2.3.4. => expected four dotted numbers",
                "1.2.3 => expected four dotted numbers",
                "1..2.3 => is not an IPv4 address",
                "1.2.3.1234 => is not an IPv4 address",
                "01.2.3.4 => has a leading zero in '01'",
                "1.2.3.00 => has a leading zero in '00'",
                "1.2.256.4 => 256 is not an IPv4 octet",
                "1.2.3.4x => is not an IPv4 address",
            })
    void parse_badIpv4_saysWhatIsWrong(String text, String message) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> Prefix.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void parse_nonAsciiDigits_rejected() {
        assertThrows(AddressFormatException.class, () -> Prefix.parse("10.0.0.0/٢٤"));
        assertThrows(AddressFormatException.class, () -> Prefix.parse("2001:db8::١"));
        assertThrows(AddressFormatException.class, () -> PortRange.parse("٨٠"));
    }

    @Test
    void network_clearsHostBits() {
        assertEquals(Prefix.parse("192.0.2.0/24"), Prefix.parse("192.0.2.77").network(24));
        assertEquals(
                Prefix.parse("2001:db8::/32"), Prefix.parse("2001:db8:ab::1").network(32));
        assertEquals(Prefix.parse("::/0"), Prefix.parse("2001:db8::1").network(0));
        assertThrows(
                IllegalArgumentException.class, () -> Prefix.parse("10.0.0.1").network(33));
    }
}
