package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.Packet;
import dev.stockade.net.Prefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How fw query writes the packet it asked about, and the options it read (FwQueryCommandTest runs the verdicts). */
class FwQueryCommandDescribeTest {

    @TempDir
    Path tmp;

    @Test
    void describe_tcpV4_portsFlagsTtlAndInterface() {
        Packet p = Packet.of(Prefix.parse("203.0.113.5"), Prefix.parse("198.51.100.11"), 6)
                .withPorts(40000, 22)
                .withTcpFlags(Packet.SYN | 1 << 4);
        assertEquals(
                "tcp 203.0.113.5:40000 -> 198.51.100.11:22 flags SYN,ACK, ttl 64, in any but lo",
                FwQueryCommand.describe(p));
    }

    @Test
    void describe_v6PortsInBrackets_icmpTypeOutInterfaceFragment() {
        Packet udp = Packet.of(Prefix.parse("2001:db8::1"), Prefix.parse("2001:db8::2"), 17)
                .withPorts(5353, 53)
                .withInterfaces(Optional.of("eth0"), Optional.of("eth1"))
                .withLaterFragment(true);
        assertEquals(
                "udp [2001:db8::1]:5353 -> [2001:db8::2]:53, hop limit 64, in eth0, out eth1, later fragment",
                FwQueryCommand.describe(udp));
        Packet echo = Packet.of(Prefix.parse("2001:db8::1"), Prefix.parse("2001:db8::2"), 58)
                .withIcmp(128, 0);
        assertEquals(
                "ipv6-icmp 2001:db8::1 -> 2001:db8::2 type 128 code 0, hop limit 64, in any but lo",
                FwQueryCommand.describe(echo));
        Packet none = Packet.of(Prefix.parse("192.0.2.1"), Prefix.parse("192.0.2.2"), 6)
                .withPorts(1, 2)
                .withTcpFlags(0);
        assertTrue(FwQueryCommand.describe(none).contains(" flags NONE,"), FwQueryCommand.describe(none));
    }

    @Test
    void query_textNamesFileFamilyChainAndDerivedState() throws Exception {
        Path f = tmp.resolve("q.rules");
        Files.writeString(f, "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n");
        CommandRun r =
                CommandRun.of("fw", "query", f.toString(), "--src", "192.0.2.1", "--dst", "192.0.2.2", "--dport", "22");
        assertEquals(0, r.exit, r::toString);
        String[] lines = r.out.split("\n");
        assertEquals(f + ": IPv4, filter INPUT", lines[0]);
        assertTrue(lines[1].endsWith(", state NEW (as conntrack sees a flow's first packet)"), lines[1]);
        assertEquals("verdict: ACCEPT", lines[2]);
        FwQueryCommand c = r.command(FwQueryCommand.class);
        assertEquals("22", c.dport);
        assertEquals(f, c.file);
    }
}
