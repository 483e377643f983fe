package dev.stockade.iptables;

import dev.stockade.net.IpFamily;
import java.util.Map;
import java.util.Optional;

/**
 * The ICMP and ICMPv6 type names iptables and ip6tables accept in {@code --icmp-type} and
 * {@code --icmpv6-type} (the names of libxt_icmp and libip6t_icmp6), besides {@code TYPE} and
 * {@code TYPE/CODE} numbers and {@code any}.
 */
public final class IcmpTypes {

    /** The word that stands for every type. */
    public static final String ANY = "any";

    private static final Map<String, IcmpType> ICMP = Map.ofEntries(
            Map.entry("echo-reply", IcmpType.of(0)),
            Map.entry("pong", IcmpType.of(0)),
            Map.entry("destination-unreachable", IcmpType.of(3)),
            Map.entry("network-unreachable", IcmpType.of(3, 0)),
            Map.entry("host-unreachable", IcmpType.of(3, 1)),
            Map.entry("protocol-unreachable", IcmpType.of(3, 2)),
            Map.entry("port-unreachable", IcmpType.of(3, 3)),
            Map.entry("fragmentation-needed", IcmpType.of(3, 4)),
            Map.entry("source-route-failed", IcmpType.of(3, 5)),
            Map.entry("network-unknown", IcmpType.of(3, 6)),
            Map.entry("host-unknown", IcmpType.of(3, 7)),
            Map.entry("network-prohibited", IcmpType.of(3, 9)),
            Map.entry("host-prohibited", IcmpType.of(3, 10)),
            Map.entry("TOS-network-unreachable", IcmpType.of(3, 11)),
            Map.entry("TOS-host-unreachable", IcmpType.of(3, 12)),
            Map.entry("communication-prohibited", IcmpType.of(3, 13)),
            Map.entry("host-precedence-violation", IcmpType.of(3, 14)),
            Map.entry("precedence-cutoff", IcmpType.of(3, 15)),
            Map.entry("source-quench", IcmpType.of(4)),
            Map.entry("redirect", IcmpType.of(5)),
            Map.entry("network-redirect", IcmpType.of(5, 0)),
            Map.entry("host-redirect", IcmpType.of(5, 1)),
            Map.entry("TOS-network-redirect", IcmpType.of(5, 2)),
            Map.entry("TOS-host-redirect", IcmpType.of(5, 3)),
            Map.entry("echo-request", IcmpType.of(8)),
            Map.entry("ping", IcmpType.of(8)),
            Map.entry("router-advertisement", IcmpType.of(9)),
            Map.entry("router-solicitation", IcmpType.of(10)),
            Map.entry("time-exceeded", IcmpType.of(11)),
            Map.entry("ttl-exceeded", IcmpType.of(11)),
            Map.entry("ttl-zero-during-transit", IcmpType.of(11, 0)),
            Map.entry("ttl-zero-during-reassembly", IcmpType.of(11, 1)),
            Map.entry("parameter-problem", IcmpType.of(12)),
            Map.entry("ip-header-bad", IcmpType.of(12, 0)),
            Map.entry("required-option-missing", IcmpType.of(12, 1)),
            Map.entry("timestamp-request", IcmpType.of(13)),
            Map.entry("timestamp-reply", IcmpType.of(14)),
            Map.entry("address-mask-request", IcmpType.of(17)),
            Map.entry("address-mask-reply", IcmpType.of(18)));

    private static final Map<String, IcmpType> ICMP6 = Map.ofEntries(
            Map.entry("destination-unreachable", IcmpType.of(1)),
            Map.entry("no-route", IcmpType.of(1, 0)),
            Map.entry("communication-prohibited", IcmpType.of(1, 1)),
            Map.entry("beyond-scope", IcmpType.of(1, 2)),
            Map.entry("address-unreachable", IcmpType.of(1, 3)),
            Map.entry("port-unreachable", IcmpType.of(1, 4)),
            Map.entry("failed-policy", IcmpType.of(1, 5)),
            Map.entry("reject-route", IcmpType.of(1, 6)),
            Map.entry("packet-too-big", IcmpType.of(2)),
            Map.entry("time-exceeded", IcmpType.of(3)),
            Map.entry("ttl-exceeded", IcmpType.of(3)),
            Map.entry("ttl-zero-during-transit", IcmpType.of(3, 0)),
            Map.entry("ttl-zero-during-reassembly", IcmpType.of(3, 1)),
            Map.entry("parameter-problem", IcmpType.of(4)),
            Map.entry("bad-header", IcmpType.of(4, 0)),
            Map.entry("unknown-header-type", IcmpType.of(4, 1)),
            Map.entry("unknown-option", IcmpType.of(4, 2)),
            Map.entry("echo-request", IcmpType.of(128)),
            Map.entry("ping", IcmpType.of(128)),
            Map.entry("echo-reply", IcmpType.of(129)),
            Map.entry("pong", IcmpType.of(129)),
            Map.entry("mld-listener-query", IcmpType.of(130)),
            Map.entry("mld-listener-report", IcmpType.of(131)),
            Map.entry("mld-listener-done", IcmpType.of(132)),
            Map.entry("mld-listener-reduction", IcmpType.of(132)),
            Map.entry("router-solicitation", IcmpType.of(133)),
            Map.entry("router-advertisement", IcmpType.of(134)),
            Map.entry("neighbour-solicitation", IcmpType.of(135)),
            Map.entry("neighbor-solicitation", IcmpType.of(135)),
            Map.entry("neighbour-advertisement", IcmpType.of(136)),
            Map.entry("neighbor-advertisement", IcmpType.of(136)),
            Map.entry("redirect", IcmpType.of(137)));

    private IcmpTypes() {}

    /**
     * The type and codes one value names: {@code 8}, {@code 3/4} or a name of the family's table.
     * Empty for {@link #ANY} (every type, no single {@link IcmpType}) and for unknown text.
     */
    public static Optional<IcmpType> lookup(String text, IpFamily family) {
        int slash = text.indexOf('/');
        String typeText = slash < 0 ? text : text.substring(0, slash);
        if (isByte(typeText)) {
            int type = Integer.parseInt(typeText);
            if (slash < 0) {
                return Optional.of(IcmpType.of(type));
            }
            String code = text.substring(slash + 1);
            return isByte(code) ? Optional.of(IcmpType.of(type, Integer.parseInt(code))) : Optional.empty();
        }
        return Optional.ofNullable((family == IpFamily.V6 ? ICMP6 : ICMP).get(text));
    }

    /** True for the word that selects every ICMP type. */
    public static boolean isAny(String text) {
        return text.equals(ANY);
    }

    /** 1-3 ASCII digits with a value up to 255. */
    private static boolean isByte(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= 255;
    }
}
