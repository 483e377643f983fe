package dev.stockade.analysis;

import dev.stockade.analysis.PacketSpace.State;
import dev.stockade.iptables.IcmpType;
import dev.stockade.iptables.IcmpTypes;
import dev.stockade.net.AddressFormatException;
import dev.stockade.net.IpFamily;
import dev.stockade.net.IpProtocol;
import dev.stockade.net.Prefix;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A packet as a user writes it, one text per field (options of {@code fw query}, keys of its
 * {@code --packets} lines), checked and turned into a {@link Packet} of a ruleset's family. Every
 * problem names the field, so the caller can point at the option or the JSON value.
 */
public final class PacketText {

    /** The fields, by the names JSON lines use; options spell them in kebab case ({@code --icmp-type}). */
    public static final List<String> FIELDS = List.of(
            "src",
            "dst",
            "proto",
            "sport",
            "dport",
            "icmpType",
            "icmpCode",
            "tcpFlags",
            "ttl",
            "iface",
            "oface",
            "mac",
            "state",
            "fragment");

    /** A field that does not describe a packet of the ruleset's family. */
    public static final class FieldException extends Exception {
        private final String field;
        private final String hint;

        FieldException(String field, String message, String hint) {
            super(message, null, false, false);
            this.field = field;
            this.hint = hint;
        }

        /** The field's name, one of {@link #FIELDS}. */
        public String field() {
            return field;
        }

        public String hint() {
            return hint;
        }
    }

    private PacketText() {}

    /**
     * The packet the fields describe, for a ruleset of {@code family}. {@code src}, {@code dst} and,
     * for protocols with ports, {@code dport} are required; the protocol defaults to tcp, TCP flags
     * to SYN, an ICMP type to echo request, the source port to 40000 and the TTL to 64; interfaces,
     * MAC and state stay open when not given.
     */
    public static Packet parse(Map<String, String> fields, IpFamily family) throws FieldException {
        for (String key : fields.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new FieldException(
                        key, "unknown field '" + key + "'", "the fields are " + String.join(", ", FIELDS));
            }
        }
        Prefix src = address(fields, "src", family);
        Prefix dst = address(fields, "dst", family);
        int proto = protocol(fields.getOrDefault("proto", "tcp"));
        Packet p = Packet.of(src, dst, proto);
        String protoName = protocolName(proto);
        if (Packet.hasPorts(proto)) {
            if (!fields.containsKey("dport")) {
                throw new FieldException(
                        "dport", "a " + protoName + " packet needs a destination port", "give the port");
            }
            p = p.withPorts(port(fields, "sport", "40000"), port(fields, "dport", null));
        } else {
            notFor(fields, "sport", protoName, "tcp, udp, sctp, udplite and dccp");
            notFor(fields, "dport", protoName, "tcp, udp, sctp, udplite and dccp");
        }
        int icmp = family == IpFamily.V4 ? 1 : 58;
        if (proto == icmp) {
            p = icmp(fields, p, family);
        } else {
            String what = family == IpFamily.V4 ? "icmp" : "ipv6-icmp";
            notFor(fields, "icmpType", protoName, what + " (this is an " + family + " ruleset)");
            notFor(fields, "icmpCode", protoName, what + " (this is an " + family + " ruleset)");
        }
        if (proto == 6) {
            p = p.withTcpFlags(flags(fields.getOrDefault("tcpFlags", "SYN")));
        } else {
            notFor(fields, "tcpFlags", protoName, "tcp");
        }
        p = p.withTtl(number(fields, "ttl", "64", 0, 255));
        p = p.withInterfaces(iface(fields, "iface"), iface(fields, "oface"));
        p = p.withLaterFragment(bool(fields, "fragment"));
        if (fields.containsKey("mac")) {
            OptionalLong mac = Packet.parseMac(fields.get("mac"));
            if (mac.isEmpty()) {
                throw new FieldException(
                        "mac", "'" + fields.get("mac") + "' is not a MAC address", "write it as 52:54:00:12:34:56");
            }
            p = p.withMac(mac);
        }
        return p.withState(state(fields));
    }

    /** The protocol's name as iptables prints it, or its number. */
    public static String protocolName(int protocol) {
        return IpProtocol.nameOf(protocol);
    }

    private static Prefix address(Map<String, String> fields, String key, IpFamily family) throws FieldException {
        String text = fields.get(key);
        if (text == null) {
            throw new FieldException(
                    key,
                    "the packet needs a " + (key.equals("src") ? "source" : "destination") + " address",
                    "give one address");
        }
        Prefix p;
        try {
            p = Prefix.parse(text.contains("/") ? text.substring(0, text.indexOf('/')) : text);
        } catch (AddressFormatException e) {
            throw new FieldException(key, "'" + text + "' is not an address", "give one IPv4 or IPv6 address");
        }
        if (text.contains("/")) {
            throw new FieldException(
                    key,
                    "'" + text + "' is a prefix; a packet has one address",
                    "give one address, " + "e.g. " + p.address());
        }
        if (p.family() != family) {
            throw new FieldException(
                    key,
                    "'" + text + "' is an " + p.family() + " address, but the ruleset is " + family,
                    "give an " + family + " address, or -" + (family == IpFamily.V4 ? "6" : "4") + " if the file is an "
                            + p.family() + " ruleset");
        }
        return p;
    }

    private static int protocol(String text) throws FieldException {
        OptionalInt n = IpProtocol.number(text);
        if (n.isEmpty()) {
            throw new FieldException(
                    "proto",
                    "unknown protocol '" + text + "'",
                    "give a name such as tcp, udp, icmp, ipv6-icmp, or a number 1 to 255");
        }
        if (n.getAsInt() == 0) {
            throw new FieldException(
                    "proto", "a packet has one protocol, not '" + text + "'", "give tcp, udp, icmp ...");
        }
        return n.getAsInt();
    }

    private static int port(Map<String, String> fields, String key, String fallback) throws FieldException {
        String text = fields.getOrDefault(key, fallback);
        int port = Names.port(text);
        if (port < 0) {
            throw new FieldException(
                    key, "'" + text + "' is not a port", "a port is a number from 0 to 65535 or a service name");
        }
        return port;
    }

    private static void notFor(Map<String, String> fields, String key, String proto, String applies)
            throws FieldException {
        if (fields.containsKey(key)) {
            throw new FieldException(
                    key,
                    "this field applies to " + applies + ", not to a " + proto + " packet",
                    "leave it out, or give the protocol it belongs to");
        }
    }

    private static Packet icmp(Map<String, String> fields, Packet p, IpFamily family) throws FieldException {
        boolean v6 = family == IpFamily.V6;
        String typeText = fields.getOrDefault("icmpType", v6 ? "echo-request" : "echo-request");
        Optional<IcmpType> t = IcmpTypes.isAny(typeText) ? Optional.empty() : IcmpTypes.lookup(typeText, family);
        if (t.isEmpty()) {
            throw new FieldException(
                    "icmpType",
                    "'" + typeText + "' is not an " + (v6 ? "ICMPv6" : "ICMP") + " type",
                    "give a number 0 to 255, type/code, or a name such as echo-request");
        }
        int code = t.get().everyCode() ? 0 : t.get().codeLo();
        if (fields.containsKey("icmpCode")) {
            int given = number(fields, "icmpCode", "0", 0, 255);
            if (!t.get().everyCode() && given != code) {
                throw new FieldException(
                        "icmpCode", "'" + typeText + "' already says code " + code, "give one of them");
            }
            code = given;
        }
        return p.withIcmp(t.get().type(), code);
    }

    private static int flags(String text) throws FieldException {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.equals("NONE")) {
            return 0;
        }
        if (t.equals("ALL")) {
            return 0xFF;
        }
        int bits = 0;
        for (String f : t.split(",", -1)) {
            int i = PacketSpace.TCP_FLAGS.indexOf(f.strip());
            if (i < 0) {
                throw new FieldException(
                        "tcpFlags",
                        "'" + f + "' is not a TCP flag",
                        "list the flags set, e.g. SYN or SYN,ACK (of " + String.join(",", PacketSpace.TCP_FLAGS)
                                + "), or NONE or ALL");
            }
            bits |= 1 << i;
        }
        return bits;
    }

    private static int number(Map<String, String> fields, String key, String fallback, int lo, int hi)
            throws FieldException {
        String text = fields.getOrDefault(key, fallback);
        if (text.isEmpty()
                || text.length() > 6
                || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) < lo
                || Integer.parseInt(text) > hi) {
            throw new FieldException(key, "'" + text + "' is not a number from " + lo + " to " + hi, "");
        }
        return Integer.parseInt(text);
    }

    private static Optional<String> iface(Map<String, String> fields, String key) throws FieldException {
        String name = fields.get(key);
        if (name == null) {
            return Optional.empty();
        }
        if (name.isEmpty() || name.length() > 15 || name.endsWith("+") || name.contains("/") || name.isBlank()) {
            throw new FieldException(key, "'" + name + "' is not an interface name", "give one name such as eth0");
        }
        return Optional.of(name);
    }

    private static boolean bool(Map<String, String> fields, String key) throws FieldException {
        String text = fields.getOrDefault(key, "false");
        if (!text.equals("true") && !text.equals("false")) {
            throw new FieldException(key, "'" + text + "' is not true or false", "");
        }
        return text.equals("true");
    }

    private static Optional<State> state(Map<String, String> fields) throws FieldException {
        String text = fields.get("state");
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(State.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new FieldException(
                    "state",
                    "'" + text + "' is not a conntrack state",
                    "give NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED, or leave it out to have it derived");
        }
    }
}
