package dev.stockade.analysis;

/** A range of values of one field, both ends included: ports, ICMP types, protocol numbers, IPv4 addresses. */
public record Interval(long from, long to) {

    public Interval {
        if (from > to) {
            throw new IllegalArgumentException("an interval ends before it starts: " + from + "-" + to);
        }
    }

    public boolean contains(long value) {
        return from <= value && value <= to;
    }
}
