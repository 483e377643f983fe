package dev.stockade.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The network-safety guard of {@link NetnsLab}: lab interfaces only ever get addresses from the
 * documentation/test ranges 10.250.0.0/16, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32,
 * and, where a test asks for them by name ({@link NetnsLab#addLinkLocal}), IPv6 link-local addresses
 * (fe80::/10), which every veth has anyway and which no router forwards off the link.
 */
final class LabAddresses {

    private static final int[][] V4_PREFIXES = {{10, 250}, {192, 0, 2}, {198, 51, 100}, {203, 0, 113}};
    private static final int[] V6_PREFIX = {0x20, 0x01, 0x0d, 0xb8};

    private LabAddresses() {}

    /**
     * Checks an interface address such as {@code 198.51.100.11/24} or {@code 2001:db8::11/64}.
     *
     * @return true when it is IPv6
     * @throws IllegalArgumentException when it is malformed or outside the allowed ranges
     */
    static boolean requireAllowedCidr(String cidr) {
        String[] parts = cidr.split("/", -1);
        if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
            throw new IllegalArgumentException("expected ADDRESS/PREFIXLEN, got: " + cidr);
        }
        byte[] address = parseLiteral(parts[0]);
        int prefixLength = Integer.parseInt(parts[1]);
        if (prefixLength > address.length * 8 || !allowed(address)) {
            throw new IllegalArgumentException("address " + cidr + " is not inside the lab's test ranges "
                    + "(10.250.0.0/16, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)");
        }
        return address.length == 16;
    }

    static boolean allowed(byte[] address) {
        if (address.length == 16) {
            return startsWith(address, V6_PREFIX);
        }
        for (int[] prefix : V4_PREFIXES) {
            if (startsWith(address, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code address} is an IPv6 link-local address (fe80::/10). */
    static boolean linkLocal(byte[] address) {
        return address.length == 16 && (address[0] & 0xff) == 0xfe && (address[1] & 0xc0) == 0x80;
    }

    /**
     * Checks an IPv6 link-local address such as {@code fe80::547} (no length, no zone).
     *
     * @throws IllegalArgumentException when it is malformed or not inside fe80::/10
     */
    static void requireLinkLocal(String address) {
        if (!linkLocal(parseLiteral(address))) {
            throw new IllegalArgumentException("not an IPv6 link-local address (fe80::/10): " + address);
        }
    }

    /** Parses a numeric address literal; anything else (a host name, garbage) is rejected without DNS. */
    static byte[] parseLiteral(String literal) {
        if (!literal.matches("[0-9A-Fa-f.:]+") || !(literal.contains(".") || literal.contains(":"))) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }

    private static boolean startsWith(byte[] address, int[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
