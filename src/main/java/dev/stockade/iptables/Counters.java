package dev.stockade.iptables;

/** Packet and byte counters, as in {@code [12:3456]}. */
public record Counters(long packets, long bytes) {

    @Override
    public String toString() {
        return "[" + packets + ":" + bytes + "]";
    }
}
