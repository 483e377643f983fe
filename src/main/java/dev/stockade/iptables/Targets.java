package dev.stockade.iptables;

import java.util.Set;

/**
 * The targets iptables provides (any other {@code -j NAME} must be a chain of the table), and which
 * of them only observe or change a packet: they give no verdict, so the packet goes on to the next
 * rule.
 */
public final class Targets {

    /** Targets that log, mark or otherwise touch a packet and let it continue. */
    private static final Set<String> OBSERVING = Set.of(
            "LOG",
            "NFLOG",
            "ULOG",
            "MARK",
            "CONNMARK",
            "CT",
            "TCPMSS",
            "CLASSIFY",
            "DSCP",
            "TOS",
            "TTL",
            "HL",
            "NOTRACK",
            "TRACE",
            "SET",
            "AUDIT",
            "CHECKSUM",
            "SECMARK",
            "CONNSECMARK",
            "IDLETIMER",
            "LED",
            "RATEEST",
            "TEE",
            "ECN",
            "HMARK");

    /** Every other target iptables provides: verdicts, NAT, queueing and the like. */
    private static final Set<String> DECIDING = Set.of(
            "ACCEPT",
            "DROP",
            "REJECT",
            "RETURN",
            "QUEUE",
            "NFQUEUE",
            "DNAT",
            "SNAT",
            "MASQUERADE",
            "REDIRECT",
            "NETMAP",
            "TPROXY",
            "SYNPROXY",
            "CLUSTERIP",
            "DNPT",
            "SNPT",
            "MIRROR",
            "TARPIT",
            // nftables verdicts the conversion to this model keeps without knowing them: a verdict
            // map, fwd, an xt target iptables-nft could not translate
            "VMAP",
            "FWD",
            "XT");

    private Targets() {}

    /** Whether the target only observes or changes the packet, which then goes on to the next rule. */
    public static boolean isObserving(String name) {
        return OBSERVING.contains(name);
    }

    /** Whether iptables provides a target of this name (so it need not be a chain of the table). */
    public static boolean isBuiltin(String name) {
        return OBSERVING.contains(name) || DECIDING.contains(name);
    }
}
