package dev.stockade.net;

/** A closed range of TCP/UDP ports, 1-65535; a single port has {@code from == to}. */
public record PortRange(int from, int to) implements Comparable<PortRange> {

    public static final int MIN = 1;
    public static final int MAX = 65535;

    public PortRange {
        if (from < MIN || to > MAX || from > to) {
            throw new AddressFormatException("port range " + from + "-" + to + " is not within 1-65535 (low to high)");
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /** Parses {@code 443}, {@code 8000-8010} or {@code 8000:8010}. */
    public static PortRange parse(String text) {
        String t = text.trim();
        int sep = Math.max(t.indexOf('-'), t.indexOf(':'));
        if (sep < 0) {
            return of(parsePort(t, text));
        }
        return new PortRange(parsePort(t.substring(0, sep), text), parsePort(t.substring(sep + 1), text));
    }

    private static int parsePort(String s, String whole) {
        if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new AddressFormatException("'" + whole + "' is not a port or port range (e.g. 443 or 8000-8010)");
        }
        int p = Integer.parseInt(s);
        if (p < MIN || p > MAX) {
            throw new AddressFormatException("port " + p + " is outside 1-65535");
        }
        return p;
    }

    public boolean isSingle() {
        return from == to;
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    /** How iptables writes it: {@code 443} or {@code 8000:8010}. */
    public String toIptables() {
        return isSingle() ? Integer.toString(from) : from + ":" + to;
    }

    @Override
    public String toString() {
        return isSingle() ? Integer.toString(from) : from + "-" + to;
    }

    @Override
    public int compareTo(PortRange o) {
        return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
    }
}
