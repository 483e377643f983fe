package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state conntrack gives the first packet of a flow, as a set over (protocol, flags, type, state). */
class ConntrackTest {

    /** The only state {@code packets} get among the first packets, or null when they get several or none. */
    private static State stateOf(PacketSpace s, int first, int packets) {
        Bdd bdd = s.bdd();
        int hit = bdd.and(first, packets);
        State only = null;
        for (State st : State.values()) {
            if (bdd.intersects(hit, s.state(st))) {
                if (only != null) {
                    return null;
                }
                only = st;
            }
        }
        return only;
    }

    private static int tcp(PacketSpace s, int flags) {
        return s.bdd().and(s.protocol(6), s.tcpFlags(0xFF, flags));
    }

    @Test
    void firstPacket_tcp_synNewSynAckInvalidLoneAckNewOnlyWhenLoose() {
        PacketSpace s = new PacketSpace(IpFamily.V4, List.of("eth0"));
        int loose = Conntrack.firstPacket(s, true);
        int strict = Conntrack.firstPacket(s, false);
        assertEquals(State.NEW, stateOf(s, loose, tcp(s, Packet.SYN)));
        assertEquals(State.INVALID, stateOf(s, loose, tcp(s, Packet.SYN | 1 << 4)));
        assertEquals(State.NEW, stateOf(s, loose, tcp(s, 1 << 4)));
        assertEquals(State.INVALID, stateOf(s, strict, tcp(s, 1 << 4)));
        assertEquals(State.INVALID, stateOf(s, loose, tcp(s, 1 << 2)), "a lone RST");
    }

    @Test
    void firstPacket_icmp_echoRequestNewReplyInvalid_udpNew() {
        PacketSpace s = new PacketSpace(IpFamily.V4, List.of());
        int first = Conntrack.firstPacket(s, true);
        assertEquals(State.NEW, stateOf(s, first, s.bdd().and(s.protocol(1), s.icmp(8, 0, 255))));
        assertEquals(State.INVALID, stateOf(s, first, s.bdd().and(s.protocol(1), s.icmp(0, 0, 255))));
        assertEquals(State.INVALID, stateOf(s, first, s.bdd().and(s.protocol(1), s.icmp(3, 0, 255))));
        assertEquals(State.NEW, stateOf(s, first, s.protocol(17)));
    }

    @Test
    void firstPacket_icmpv6_neighbourDiscoveryUntracked() {
        PacketSpace s = new PacketSpace(IpFamily.V6, List.of());
        int first = Conntrack.firstPacket(s, true);
        assertEquals(State.UNTRACKED, stateOf(s, first, s.bdd().and(s.protocol(58), s.icmp(135, 0, 255))));
        assertEquals(State.NEW, stateOf(s, first, s.bdd().and(s.protocol(58), s.icmp(128, 0, 255))));
        assertFalse(s.bdd().intersects(first, s.state(State.ESTABLISHED)), "no first packet is ESTABLISHED");
        assertFalse(s.bdd().intersects(first, s.state(State.RELATED)), "nor RELATED");
    }
}
