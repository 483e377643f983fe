package dev.stockade.net;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An IP protocol number (the IPv4 protocol field, the IPv6 upper-layer next header) with its name.
 *
 * <p>The table is the one place that knows protocol names. It holds what {@code iptables -p}
 * accepts: a number 0-255, {@code all}, the names of the netbase {@code /etc/protocols} (which
 * iptables looks up after lower-casing the word; its upper-case aliases can therefore never
 * match), and the aliases built into libxtables ({@code icmpv6}, {@code ipv6-mh}, {@code mh}).
 * Number 0 means "any protocol" to iptables, so {@code ip} and {@code hopopt} (both 0) do too.
 */
public record IpProtocol(int number, String name) {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public IpProtocol {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("IP protocol number " + number + " is not within 0-255");
        }
        if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("protocol name must be lower case: '" + name + "'");
        }
    }

    /** One row per number: the name iptables-save prints for it. */
    private static final List<IpProtocol> NAMED = List.of(
            new IpProtocol(0, "all"),
            new IpProtocol(1, "icmp"),
            new IpProtocol(2, "igmp"),
            new IpProtocol(3, "ggp"),
            new IpProtocol(4, "ipencap"),
            new IpProtocol(5, "st"),
            new IpProtocol(6, "tcp"),
            new IpProtocol(8, "egp"),
            new IpProtocol(9, "igp"),
            new IpProtocol(12, "pup"),
            new IpProtocol(17, "udp"),
            new IpProtocol(20, "hmp"),
            new IpProtocol(22, "xns-idp"),
            new IpProtocol(27, "rdp"),
            new IpProtocol(29, "iso-tp4"),
            new IpProtocol(33, "dccp"),
            new IpProtocol(36, "xtp"),
            new IpProtocol(37, "ddp"),
            new IpProtocol(38, "idpr-cmtp"),
            new IpProtocol(41, "ipv6"),
            new IpProtocol(43, "ipv6-route"),
            new IpProtocol(44, "ipv6-frag"),
            new IpProtocol(45, "idrp"),
            new IpProtocol(46, "rsvp"),
            new IpProtocol(47, "gre"),
            new IpProtocol(50, "esp"),
            new IpProtocol(51, "ah"),
            new IpProtocol(57, "skip"),
            new IpProtocol(58, "ipv6-icmp"),
            new IpProtocol(59, "ipv6-nonxt"),
            new IpProtocol(60, "ipv6-opts"),
            new IpProtocol(73, "rspf"),
            new IpProtocol(81, "vmtp"),
            new IpProtocol(88, "eigrp"),
            new IpProtocol(89, "ospf"),
            new IpProtocol(93, "ax.25"),
            new IpProtocol(94, "ipip"),
            new IpProtocol(97, "etherip"),
            new IpProtocol(98, "encap"),
            new IpProtocol(103, "pim"),
            new IpProtocol(108, "ipcomp"),
            new IpProtocol(112, "vrrp"),
            new IpProtocol(115, "l2tp"),
            new IpProtocol(124, "isis"),
            new IpProtocol(132, "sctp"),
            new IpProtocol(133, "fc"),
            new IpProtocol(135, "ipv6-mh"),
            new IpProtocol(136, "udplite"),
            new IpProtocol(137, "mpls-in-ip"),
            new IpProtocol(138, "manet"),
            new IpProtocol(139, "hip"),
            new IpProtocol(140, "shim6"),
            new IpProtocol(141, "wesp"),
            new IpProtocol(142, "rohc"),
            new IpProtocol(143, "ethernet"));

    /** Other spellings iptables accepts for a number of the table. */
    private static final Map<String, Integer> ALIASES = Map.of(
            "ip", 0,
            "hopopt", 0,
            "icmpv6", 58,
            "mobility-header", 135,
            "mh", 135);

    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final IpProtocol[] BY_NUMBER = new IpProtocol[256];

    static {
        for (IpProtocol p : NAMED) {
            BY_NAME.put(p.name(), p.number());
            BY_NUMBER[p.number()] = p;
        }
        BY_NAME.putAll(ALIASES);
    }

    /**
     * The number for a name or a number as {@code iptables -p} takes it (case-insensitive);
     * 0 stands for every protocol. Empty when iptables would not know the word either.
     */
    public static OptionalInt number(String nameOrNumber) {
        String s = nameOrNumber.toLowerCase(Locale.ROOT);
        if (!s.isEmpty() && s.length() <= 3 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(s);
            return n <= 255 ? OptionalInt.of(n) : OptionalInt.empty();
        }
        Integer n = BY_NAME.get(s);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The protocol with that number, named when the table has a name for it. */
    public static Optional<IpProtocol> of(int number) {
        return number < 0 || number > 255 ? Optional.empty() : Optional.ofNullable(BY_NUMBER[number]);
    }

    /** The protocol's name, or its number when it has none. */
    public static String nameOf(int number) {
        return of(number).map(IpProtocol::name).orElse(Integer.toString(number));
    }
}
