package dev.stockade.analysis;

import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.net.IpFamily;

/**
 * The connection-tracking state the Linux kernel gives the first packet of a flow, that is a
 * packet that matches no existing connection, as a set of packets in a {@link PacketSpace}.
 *
 * <p>Design note. The filter table sees the state conntrack assigned in PREROUTING/OUTPUT. For a
 * packet without a connection the kernel decides it from the packet alone (netfilter's
 * nf_conntrack_proto_{tcp,icmp,icmpv6}.c):
 *
 * <ul>
 *   <li>TCP: the flags, ignoring PSH, ECE and CWR, must be one of SYN, SYN+URG, SYN+ACK, RST,
 *       RST+ACK, FIN+ACK, FIN+ACK+URG, ACK, ACK+URG, else the packet is INVALID. SYN (and SYN+URG)
 *       starts a connection: NEW. ACK (and ACK+URG) is picked up as NEW when
 *       {@code net.netfilter.nf_conntrack_tcp_loose} is 1 (the default), INVALID when it is 0.
 *       SYN+ACK, RST and FIN+ACK without a connection are INVALID.
 *   <li>ICMP: echo, timestamp, information and address-mask requests (8, 13, 15, 17) are NEW;
 *       every other type, errors (3, 4, 5, 11, 12) and replies included, is INVALID without a
 *       connection (an error about an existing connection is RELATED, a reply ESTABLISHED).
 *   <li>ICMPv6: echo request and node information query (128, 139) are NEW; multicast listener and
 *       neighbour discovery messages (130-136, 143) are not tracked: UNTRACKED; every other type is
 *       INVALID without a connection.
 *   <li>Any other protocol (UDP, SCTP, GRE, ...): NEW. (SCTP and DCCP also look at chunk and
 *       packet types, which the packet space does not model; they are taken as starting a flow.)
 * </ul>
 *
 * The ICMP rules follow the family's own ICMP: protocol 1 in an IPv6 packet, or 58 in an IPv4
 * packet, is an unknown protocol to conntrack and therefore NEW. The kernel differential test
 * checks these facts by sending such packets through real rulesets.
 */
final class Conntrack {

    /** ICMP types that open a flow (IPv4). */
    private static final int[] ICMP_NEW = {8, 13, 15, 17};
    /** ICMPv6 types that open a flow. */
    private static final int[] ICMP6_NEW = {128, 139};
    /** ICMPv6 types conntrack leaves untracked: MLD and neighbour discovery. */
    private static final int[] ICMP6_UNTRACKED = {130, 131, 132, 133, 134, 135, 136, 143};

    private static final int SYN = 1 << 1;
    private static final int PSH = 1 << 3;
    private static final int ACK = 1 << 4;
    private static final int URG = 1 << 5;
    private static final int ECE = 1 << 6;
    private static final int CWR = 1 << 7;

    private Conntrack() {}

    /** The packets, each with the state it gets as the first packet of a flow. */
    static int firstPacket(PacketSpace s, boolean tcpLoose) {
        Bdd bdd = s.bdd();
        int icmpNumber = s.family() == IpFamily.V4 ? 1 : 58;
        int tcp = s.protocol(6);
        int icmp = s.protocol(icmpNumber);
        int other = bdd.not(bdd.or(tcp, icmp));
        int r = bdd.and(other, s.state(State.NEW));
        r = bdd.or(r, bdd.and(tcp, tcpStates(s, tcpLoose)));
        return bdd.or(r, bdd.and(icmp, icmpStates(s)));
    }

    /** TCP: the state of a packet without a connection, from its flags. */
    private static int tcpStates(PacketSpace s, boolean loose) {
        Bdd bdd = s.bdd();
        int start = Bdd.FALSE;
        for (int flags : new int[] {SYN, SYN | URG}) {
            start = bdd.or(start, ignoring(s, flags));
        }
        if (loose) {
            for (int flags : new int[] {ACK, ACK | URG}) {
                start = bdd.or(start, ignoring(s, flags));
            }
        }
        return bdd.or(bdd.and(start, s.state(State.NEW)), bdd.and(bdd.not(start), s.state(State.INVALID)));
    }

    /** The flag sets equal to {@code flags} when PSH, ECE and CWR are not looked at. */
    private static int ignoring(PacketSpace s, int flags) {
        int mask = 0xFF & ~(PSH | ECE | CWR);
        return s.tcpFlags(mask, flags);
    }

    /** ICMP or ICMPv6: the state of a message without a connection, from its type. */
    private static int icmpStates(PacketSpace s) {
        Bdd bdd = s.bdd();
        boolean v4 = s.family() == IpFamily.V4;
        int opening = types(s, v4 ? ICMP_NEW : ICMP6_NEW);
        int untracked = v4 ? Bdd.FALSE : types(s, ICMP6_UNTRACKED);
        int invalid = bdd.not(bdd.or(opening, untracked));
        int r = bdd.and(opening, s.state(State.NEW));
        r = bdd.or(r, bdd.and(untracked, s.state(State.UNTRACKED)));
        return bdd.or(r, bdd.and(invalid, s.state(State.INVALID)));
    }

    private static int types(PacketSpace s, int[] types) {
        Bdd bdd = s.bdd();
        int r = Bdd.FALSE;
        for (int t : types) {
            r = bdd.or(r, s.icmp(t, 0, 255));
        }
        return r;
    }
}
