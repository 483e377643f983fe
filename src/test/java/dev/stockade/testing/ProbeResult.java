package dev.stockade.testing;

/**
 * What happened to one {@link Probe}.
 *
 * @param probe   the probe
 * @param reached tcp: the handshake with the listener completed; udp/icmp: the echo came back
 * @param detail  "connected" or "echo" when reached; otherwise "timeout" (dropped somewhere),
 *                "refused" (RST or ICMP port unreachable) or a lower-case errno name such as
 *                "ehostunreach" or "eperm" (blocked by the prober's own OUTPUT chain)
 */
public record ProbeResult(Probe probe, boolean reached, String detail) {

    @Override
    public String toString() {
        return probe + " => " + (reached ? "reached" : "NOT reached") + " (" + detail + ")";
    }
}
