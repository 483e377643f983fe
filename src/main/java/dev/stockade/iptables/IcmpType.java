package dev.stockade.iptables;

/**
 * An ICMP or ICMPv6 type with a range of codes, as one {@code --icmp-type}/{@code --icmpv6-type}
 * value selects it: a type alone takes every code (0-255), a type with a code just that code.
 */
public record IcmpType(int type, int codeLo, int codeHi) {

    public IcmpType {
        if (type < 0 || type > 255 || codeLo < 0 || codeHi > 255 || codeLo > codeHi) {
            throw new IllegalArgumentException(
                    "ICMP type " + type + " codes " + codeLo + "-" + codeHi + " out of range (0-255, low to high)");
        }
    }

    /** The type with every code. */
    public static IcmpType of(int type) {
        return new IcmpType(type, 0, 255);
    }

    /** The type with one code. */
    public static IcmpType of(int type, int code) {
        return new IcmpType(type, code, code);
    }

    public boolean everyCode() {
        return codeLo == 0 && codeHi == 255;
    }
}
