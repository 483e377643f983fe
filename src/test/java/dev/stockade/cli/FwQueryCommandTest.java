package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fw query through the CLI: options checked against the packet and the file, the batch mode. */
class FwQueryCommandTest {

    static final String V4 = FwCommandsTest.V4;
    static final String V6 = FwCommandsTest.V6;

    @TempDir
    Path tmp;

    static BuildCommandTest.Result query(String file, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "fw";
        args[1] = "query";
        args[2] = file;
        System.arraycopy(options, 0, args, 3, options.length);
        return BuildCommandTest.run(args);
    }

    @Test
    void query_sshFromAdminNetwork_acceptedWithPath() {
        BuildCommandTest.Result r = query(V4, "--src", "203.0.113.5", "--dst", "198.51.100.1", "--dport", "22");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("verdict: ACCEPT"), r.out());
        assertTrue(r.out().contains("v4.rules:7:1"), r.out());
        assertTrue(r.out().contains("state NEW (as conntrack sees a flow's first packet)"), r.out());
    }

    @Test
    void query_synAckWithoutFlow_invalidAndDropped() {
        BuildCommandTest.Result r =
                query(V4, "--src", "198.51.100.9", "--dst", "198.51.100.1", "--dport", "22", "--tcp-flags", "SYN,ACK");
        assertTrue(r.out().contains("state INVALID"), r.out());
        assertTrue(r.out().contains("verdict: DROP"), r.out());
    }

    @Test
    void query_portOutOfRange_usageErrorNamingTheOption() {
        BuildCommandTest.Result r = query(V4, "--src", "203.0.113.5", "--dst", "198.51.100.1", "--dport", "70000");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dport 70000"), r.err());
        assertTrue(r.err().contains("0 to 65535"), r.err());
    }

    @Test
    void query_portForIcmp_refusedNotDropped() {
        BuildCommandTest.Result r =
                query(V4, "--src", "203.0.113.5", "--dst", "198.51.100.1", "--proto", "icmp", "--dport", "22");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dport 22: this field applies to tcp, udp"), r.err());
    }

    @Test
    void query_prefixForAddress_saysOneAddressWithoutSuggestingAPrefix() {
        BuildCommandTest.Result r = query(V4, "--src", "10.0.0.1/24", "--dst", "198.51.100.1", "--dport", "22");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a packet has one address"), r.err());
        assertFalse(r.err().contains("did you mean 10.0.0.0/24"), r.err());
    }

    @Test
    void query_ipv4AddressesOnIpv6File_blamesTheOptionNotTheFile() {
        BuildCommandTest.Result r = query(V6, "--src", "203.0.113.5", "--dst", "198.51.100.1", "--dport", "22");
        assertEquals(2, r.code());
        assertTrue(
                r.err().contains("--src 203.0.113.5: '203.0.113.5' is an IPv4 address, but the ruleset is IPv6"),
                r.err());
        assertFalse(r.err().contains("v6.rules:"), r.err());
    }

    @Test
    void query_icmpv6EchoRequest_defaultTypeIsTheFamilys() {
        BuildCommandTest.Result r =
                query(V6, "--src", "2001:db8::5", "--dst", "2001:db8::1", "--proto", "ipv6-icmp", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("type 128 code 0"), r.out());
    }

    @Test
    void query_packetsFile_oneJsonLineEach() throws IOException {
        Path packets = tmp.resolve("p.jsonl");
        Files.writeString(
                packets,
                String.join(
                                "\n",
                                "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 22}",
                                "",
                                "{\"src\": \"192.0.2.5\", \"dst\": \"198.51.100.1\", \"dport\": 22, \"state\": \"ESTABLISHED\"}",
                                "{\"src\": \"192.0.2.5\", \"dst\": \"198.51.100.1\", \"dport\": \"ssh\"}")
                        + "\n");
        BuildCommandTest.Result r = query(V4, "--packets", packets.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("{\"line\":1,\"verdict\":\"ACCEPT\",\"state\":\"NEW\""), lines.get(0));
        assertTrue(
                lines.get(1).startsWith("{\"line\":3,\"verdict\":\"ACCEPT\",\"state\":\"ESTABLISHED\""), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"line\":4,\"verdict\":\"DROP\""), lines.get(2));
    }

    @Test
    void query_packetsFileWithMistakes_everyLineLocatedNothingPrinted() throws IOException {
        Path packets = tmp.resolve("bad.jsonl");
        Files.writeString(
                packets,
                String.join(
                                "\n",
                                "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 99999}",
                                "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 22, \"dport\": 23}",
                                "[1, 2]")
                        + "\n");
        BuildCommandTest.Result r = query(V4, "--packets", packets.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("bad.jsonl:1:"), r.err());
        assertTrue(r.err().contains("bad.jsonl:2:"), r.err());
        assertTrue(r.err().contains("bad.jsonl:3:1"), r.err());
    }

    @Test
    void query_outputInterfaceForInput_usageError() {
        BuildCommandTest.Result r =
                query(V4, "--src", "203.0.113.5", "--dst", "198.51.100.1", "--dport", "22", "--oface", "eth0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a packet in INPUT has no output interface"), r.err());
    }

    @Test
    void query_packetsFileMistakes_packetErrorsWithLineColumnAndMessage() throws IOException {
        Path packets = tmp.resolve("bad.jsonl");
        Files.writeString(
                packets,
                String.join(
                                "\n",
                                "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 99999}",
                                "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 22, \"oface\": \"eth1\"}",
                                "{\"src\": [1]}",
                                "{\"src\": ",
                                "[1, 2]")
                        + "\n");
        BuildCommandTest.Result r = query(V4, "--packets", packets.toString());
        assertEquals(2, r.code());
        assertEquals("", r.out());
        List<String> errors =
                r.err().lines().filter(l -> l.contains(": error: ")).toList();
        assertEquals(5, errors.size(), r.err());
        assertEquals(packets + ":1:56: error: dport: '99999' is not a port [QUERY-PACKET]", errors.get(0));
        assertTrue(
                errors.get(1)
                        .equals(packets + ":2:1: error: oface: a packet in INPUT has no output interface (give it for"
                                + " FORWARD or OUTPUT) [QUERY-PACKET]"),
                errors.get(1));
        assertEquals(packets + ":3:9: error: src: give a string, number or boolean [QUERY-PACKET]", errors.get(2));
        assertTrue(errors.get(3).startsWith(packets + ":4:"), errors.get(3));
        assertTrue(errors.get(3).contains(": error: not JSON: "), errors.get(3));
        assertEquals(packets + ":5:1: error: a packet is a JSON object on one line [QUERY-PACKET]", errors.get(4));
        errors.forEach(e -> assertTrue(e.endsWith("[QUERY-PACKET]"), e));
    }

    @Test
    void query_packetsFileMissing_readErrorExit2() {
        String missing = tmp.resolve("none.jsonl").toString();
        BuildCommandTest.Result r = query(V4, "--packets", missing);
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(missing + ":1:1: error: no such file [QUERY-READ]\n"), r.err());
    }

    @Test
    void query_packetsFromStandardInput_answersAndReadFailureIsLocated() {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(
                    "{\"src\": \"203.0.113.5\", \"dst\": \"198.51.100.1\", \"dport\": 22}\n"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            BuildCommandTest.Result ok = query(V4, "--packets", "-");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().startsWith("{\"line\":1,\"verdict\":\"ACCEPT\""), ok.out());
            System.setIn(new java.io.InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("Input/output error");
                }
            });
            BuildCommandTest.Result failed = query(V4, "--packets", "-");
            assertEquals(2, failed.code(), failed.err());
            assertTrue(
                    failed.err()
                            .startsWith("-:1:1: error: cannot read standard input: Input/output error [QUERY-READ]"),
                    failed.err());
        } finally {
            System.setIn(stdin);
        }
    }
}
