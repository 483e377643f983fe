package dev.stockade.net;

/** The two address families Stockade handles; every firewall is compiled once per family. */
public enum IpFamily {
    V4(32, "IPv4"),
    V6(128, "IPv6");

    private final int bits;
    private final String label;

    IpFamily(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    public int bits() {
        return bits;
    }

    @Override
    public String toString() {
        return label;
    }
}
