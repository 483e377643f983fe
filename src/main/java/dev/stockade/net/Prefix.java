package dev.stockade.net;

import java.util.Comparator;
import java.util.Objects;

/**
 * An IPv4 or IPv6 prefix (an address with a length; a single address has the full length).
 * The address is kept in two longs (IPv4 uses the low 32 bits of {@code lo}), which keeps
 * comparison and containment cheap. Host bits below the length are always zero.
 */
public record Prefix(IpFamily family, long hi, long lo, int length) implements Comparable<Prefix> {

    private static final Comparator<Prefix> ORDER = Comparator.comparing(Prefix::family)
            .thenComparing(Prefix::hi, Long::compareUnsigned)
            .thenComparing(Prefix::lo, Long::compareUnsigned)
            .thenComparingInt(Prefix::length);

    public Prefix {
        Objects.requireNonNull(family, "family");
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + family);
        }
        if (family == IpFamily.V4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of range");
        }
        if (!hostBitsZero(family, hi, lo, length)) {
            throw new IllegalArgumentException("host bits set below /" + length);
        }
    }

    /** The whole address space of a family: {@code 0.0.0.0/0} or {@code ::/0}. */
    public static Prefix any(IpFamily family) {
        return new Prefix(family, 0, 0, 0);
    }

    /**
     * Parses {@code 192.0.2.1}, {@code 192.0.2.0/24}, {@code 2001:db8::1} or {@code 2001:db8::/32}.
     *
     * @throws AddressFormatException with a message fit for a user when the text is not a prefix
     */
    public static Prefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        long[] bits = new long[2];
        IpFamily family = addr.indexOf(':') >= 0 ? IpFamily.V6 : IpFamily.V4;
        if (family == IpFamily.V4) {
            bits[1] = parseV4(addr, t);
        } else {
            parseV6(addr, t, bits);
        }
        int length = family.bits();
        if (slash >= 0) {
            String len = t.substring(slash + 1);
            if (!isDecimal(len, 3)) {
                throw new AddressFormatException("'" + text + "' has a bad prefix length '" + len + "'");
            }
            length = Integer.parseInt(len);
            if (length > family.bits()) {
                throw new AddressFormatException("'" + text + "': prefix length /" + length + " is longer than an "
                        + family + " address (max /" + family.bits() + ")");
            }
        }
        if (!hostBitsZero(family, bits[0], bits[1], length)) {
            Prefix network = new Prefix(
                    family, bits[0] & mask(family, length, true), bits[1] & mask(family, length, false), length);
            throw new AddressFormatException("'" + text + "' has host bits set; did you mean " + network + "?");
        }
        return new Prefix(family, bits[0], bits[1], length);
    }

    /**
     * Parses an address as iptables reads {@code -s}/{@code -d}: like {@link #parse}, but host bits
     * below the length are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}), and the length may be
     * written as a contiguous netmask of the same family ({@code 10.0.0.0/255.0.0.0},
     * {@code 2001:db8::/ffff:ffff::}).
     *
     * @throws AddressFormatException with a message fit for a user when the text is not a prefix
     */
    public static Prefix parseIptables(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return parse(t);
        }
        Prefix host = parse(t.substring(0, slash));
        String len = t.substring(slash + 1);
        int length = isDecimal(len, 3) ? Integer.parseInt(len) : maskLength(len, host.family(), text);
        if (length > host.family().bits()) {
            throw new AddressFormatException("'" + text + "': prefix length /" + length + " is longer than an "
                    + host.family() + " address (max /" + host.family().bits() + ")");
        }
        return host.network(length);
    }

    /** The prefix of the given length that holds this one's address: the host bits below it cleared. */
    public Prefix network(int length) {
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + family);
        }
        return new Prefix(family, hi & mask(family, length, true), lo & mask(family, length, false), length);
    }

    /** The length a netmask written as an address stands for ({@code 255.255.255.0} is 24). */
    private static int maskLength(String maskText, IpFamily family, String whole) {
        boolean looksLikeMask = maskText.indexOf('.') >= 0 || maskText.indexOf(':') >= 0;
        if (!looksLikeMask || maskText.indexOf('/') >= 0) {
            throw new AddressFormatException("'" + whole + "' has a bad prefix length '" + maskText + "'");
        }
        Prefix mask = parse(maskText);
        if (mask.family() != family) {
            throw new AddressFormatException(
                    "'" + whole + "' has an " + mask.family() + " netmask on an " + family + " address");
        }
        int length = Long.bitCount(mask.hi()) + Long.bitCount(mask.lo());
        if (mask.hi() != mask(family, length, true) || mask.lo() != mask(family, length, false)) {
            throw new AddressFormatException(
                    "'" + whole + "' has a non-contiguous netmask; " + "write the prefix length instead (e.g. /24)");
        }
        return length;
    }

    /**
     * Four dotted decimal octets without leading zeros, in one pass; -1 for anything else, which
     * {@link #parseV4} then reads again to say what is wrong. (Parsing a large ruleset runs mostly
     * before the JIT has compiled it, where splitting every address into strings costs.)
     */
    private static long parseV4Plain(String s) {
        long value = 0;
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int octet = 0;
            while (i < n && i - start < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || (digits > 1 && s.charAt(start) == '0') || octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (i == n) {
                return octets == 4 ? value : -1;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return -1;
            }
            i++;
        }
    }

    /** One to {@code max} ASCII digits. */
    private static boolean isDecimal(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public boolean isHost() {
        return length == family.bits();
    }

    /** True when every address of {@code other} is in this prefix. */
    public boolean contains(Prefix other) {
        if (other.family != family || other.length < length) {
            return false;
        }
        return (other.hi & mask(family, length, true)) == hi && (other.lo & mask(family, length, false)) == lo;
    }

    /** The address part alone, without the length, e.g. {@code 2001:db8::1}. */
    public String address() {
        return family == IpFamily.V4 ? formatV4(lo) : formatV6(hi, lo);
    }

    /** Always with the length, as iptables-save prints it: {@code 192.0.2.1/32}. */
    public String toCidr() {
        return address() + "/" + length;
    }

    /** The shortest natural form: a host is printed without its length. */
    @Override
    public String toString() {
        return isHost() ? address() : toCidr();
    }

    @Override
    public int compareTo(Prefix o) {
        return ORDER.compare(this, o);
    }

    private static boolean hostBitsZero(IpFamily family, long hi, long lo, int length) {
        return (hi & ~mask(family, length, true)) == 0 && (lo & ~mask(family, length, false)) == 0;
    }

    /** Network mask for the high or low long of an address of this family and prefix length. */
    private static long mask(IpFamily family, int length, boolean high) {
        if (family == IpFamily.V4) {
            return high ? 0 : (length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL);
        }
        int bits = high ? Math.min(length, 64) : Math.max(length - 64, 0);
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    private static long parseV4(String addr, String whole) {
        long fast = parseV4Plain(addr);
        if (fast >= 0) {
            return fast;
        }
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw new AddressFormatException("'" + whole + "' is not an IPv4 address (expected four dotted numbers)");
        }
        long value = 0;
        for (String p : parts) {
            if (!isDecimal(p, 3)) { // a loop, not a stream: parsing runs before the JIT has warmed up
                throw new AddressFormatException("'" + whole + "' is not an IPv4 address");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw new AddressFormatException(
                        "'" + whole + "' has a leading zero in '" + p + "' (ambiguous: some tools read it as octal)");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new AddressFormatException("'" + whole + "': " + octet + " is not an IPv4 octet (0-255)");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static void parseV6(String addr, String whole, long[] out) {
        String bad = "'" + whole + "' is not an IPv6 address";
        if (addr.indexOf('%') >= 0) {
            throw new AddressFormatException(bad + " (zone indexes like %eth0 are not allowed)");
        }
        int dc = addr.indexOf("::");
        if (dc >= 0 && addr.indexOf("::", dc + 1) >= 0) {
            throw new AddressFormatException(bad + " ('::' may appear only once)");
        }
        int[] groups = new int[8];
        int n;
        if (dc < 0) {
            n = parseGroups(addr, groups, 0, 8, bad);
            if (n != 8) {
                throw new AddressFormatException(bad + " (expected 8 groups or '::')");
            }
        } else {
            int[] tail = new int[8];
            int head = dc == 0 ? 0 : parseGroups(addr.substring(0, dc), groups, 0, 7, bad);
            String rest = addr.substring(dc + 2);
            int tn = rest.isEmpty() ? 0 : parseGroups(rest, tail, 0, 7 - head, bad);
            if (head + tn > 7) {
                throw new AddressFormatException(bad + " (too many groups)");
            }
            System.arraycopy(tail, 0, groups, 8 - tn, tn);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        out[0] = hi;
        out[1] = lo;
    }

    /** Parses colon-separated hex groups (the last may be a dotted IPv4 address); returns the count. */
    private static int parseGroups(String s, int[] into, int offset, int max, String bad) {
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                long v4 = parseV4(p, bad.substring(1, bad.indexOf('\'', 1)));
                if (n + 2 > max) {
                    throw new AddressFormatException(bad + " (too many groups)");
                }
                into[offset + n++] = (int) (v4 >>> 16);
                into[offset + n++] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(Prefix::isHexDigit)) {
                throw new AddressFormatException(bad);
            }
            if (n >= max) {
                throw new AddressFormatException(bad + " (too many groups)");
            }
            into[offset + n++] = Integer.parseInt(p, 16);
        }
        return n;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String formatV4(long v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as '::'. */
    private static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
