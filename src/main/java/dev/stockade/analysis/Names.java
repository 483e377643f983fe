package dev.stockade.analysis;

import java.util.Map;
import java.util.Optional;

/** Protocol, ICMP type and service names as iptables accepts them. */
final class Names {

    private Names() {}

    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(
            Map.entry("tcp", 6),
            Map.entry("udp", 17),
            Map.entry("icmp", 1),
            Map.entry("ipv6-icmp", 58),
            Map.entry("icmpv6", 58),
            Map.entry("esp", 50),
            Map.entry("ah", 51),
            Map.entry("gre", 47),
            Map.entry("sctp", 132),
            Map.entry("udplite", 136),
            Map.entry("igmp", 2),
            Map.entry("ipencap", 4),
            Map.entry("ipip", 94),
            Map.entry("ipv6", 41),
            Map.entry("dccp", 33),
            Map.entry("ospf", 89),
            Map.entry("vrrp", 112),
            Map.entry("pim", 103),
            Map.entry("l2tp", 115),
            Map.entry("mh", 135),
            Map.entry("ipv6-mh", 135),
            Map.entry("egp", 8),
            Map.entry("rsvp", 46));

    /** IPv4 ICMP names: type, or type and code as type * 256 + code. */
    private static final Map<String, int[]> ICMP = Map.ofEntries(
            e("echo-reply", 0),
            e("pong", 0),
            e("destination-unreachable", 3),
            e("network-unreachable", 3, 0),
            e("host-unreachable", 3, 1),
            e("protocol-unreachable", 3, 2),
            e("port-unreachable", 3, 3),
            e("fragmentation-needed", 3, 4),
            e("source-route-failed", 3, 5),
            e("network-unknown", 3, 6),
            e("host-unknown", 3, 7),
            e("network-prohibited", 3, 9),
            e("host-prohibited", 3, 10),
            e("TOS-network-unreachable", 3, 11),
            e("TOS-host-unreachable", 3, 12),
            e("communication-prohibited", 3, 13),
            e("host-precedence-violation", 3, 14),
            e("precedence-cutoff", 3, 15),
            e("source-quench", 4),
            e("redirect", 5),
            e("network-redirect", 5, 0),
            e("host-redirect", 5, 1),
            e("TOS-network-redirect", 5, 2),
            e("TOS-host-redirect", 5, 3),
            e("echo-request", 8),
            e("ping", 8),
            e("router-advertisement", 9),
            e("router-solicitation", 10),
            e("time-exceeded", 11),
            e("ttl-exceeded", 11),
            e("ttl-zero-during-transit", 11, 0),
            e("ttl-zero-during-reassembly", 11, 1),
            e("parameter-problem", 12),
            e("ip-header-bad", 12, 0),
            e("required-option-missing", 12, 1),
            e("timestamp-request", 13),
            e("timestamp-reply", 14),
            e("address-mask-request", 17),
            e("address-mask-reply", 18));

    private static final Map<String, int[]> ICMP6 = Map.ofEntries(
            e("destination-unreachable", 1),
            e("no-route", 1, 0),
            e("communication-prohibited", 1, 1),
            e("beyond-scope", 1, 2),
            e("address-unreachable", 1, 3),
            e("port-unreachable", 1, 4),
            e("failed-policy", 1, 5),
            e("reject-route", 1, 6),
            e("packet-too-big", 2),
            e("time-exceeded", 3),
            e("ttl-exceeded", 3),
            e("ttl-zero-during-transit", 3, 0),
            e("ttl-zero-during-reassembly", 3, 1),
            e("parameter-problem", 4),
            e("bad-header", 4, 0),
            e("unknown-header-type", 4, 1),
            e("unknown-option", 4, 2),
            e("echo-request", 128),
            e("ping", 128),
            e("echo-reply", 129),
            e("pong", 129),
            e("mld-listener-query", 130),
            e("mld-listener-report", 131),
            e("mld-listener-done", 132),
            e("mld-listener-reduction", 132),
            e("router-solicitation", 133),
            e("router-advertisement", 134),
            e("neighbour-solicitation", 135),
            e("neighbor-solicitation", 135),
            e("neighbour-advertisement", 136),
            e("neighbor-advertisement", 136),
            e("redirect", 137));

    private static final Map<String, Integer> SERVICES = Map.ofEntries(
            Map.entry("ftp-data", 20),
            Map.entry("ftp", 21),
            Map.entry("ssh", 22),
            Map.entry("telnet", 23),
            Map.entry("smtp", 25),
            Map.entry("domain", 53),
            Map.entry("bootps", 67),
            Map.entry("bootpc", 68),
            Map.entry("tftp", 69),
            Map.entry("http", 80),
            Map.entry("www", 80),
            Map.entry("pop3", 110),
            Map.entry("sunrpc", 111),
            Map.entry("auth", 113),
            Map.entry("ntp", 123),
            Map.entry("netbios-ns", 137),
            Map.entry("netbios-dgm", 138),
            Map.entry("netbios-ssn", 139),
            Map.entry("imap", 143),
            Map.entry("imap2", 143),
            Map.entry("snmp", 161),
            Map.entry("ldap", 389),
            Map.entry("https", 443),
            Map.entry("microsoft-ds", 445),
            Map.entry("isakmp", 500),
            Map.entry("syslog", 514),
            Map.entry("submission", 587),
            Map.entry("ldaps", 636),
            Map.entry("imaps", 993),
            Map.entry("pop3s", 995),
            Map.entry("openvpn", 1194),
            Map.entry("mysql", 3306),
            Map.entry("ipsec-nat-t", 4500),
            Map.entry("postgresql", 5432),
            Map.entry("http-alt", 8080),
            Map.entry("webcache", 8080));

    private static Map.Entry<String, int[]> e(String name, int type) {
        return Map.entry(name, new int[] {type, 0, 255});
    }

    private static Map.Entry<String, int[]> e(String name, int type, int code) {
        return Map.entry(name, new int[] {type, code, code});
    }

    /** Protocol number for a name or number; -1 for "all"; empty when unknown. */
    static Optional<Integer> protocol(String name) {
        if (name.equals("all") || name.equals("0")) {
            return Optional.of(-1);
        }
        if (name.matches("[0-9]{1,3}")) {
            int n = Integer.parseInt(name);
            return n < 256 ? Optional.of(n) : Optional.empty();
        }
        return Optional.ofNullable(PROTOCOLS.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** {type, codeLo, codeHi} for "8", "3/4", "echo-request"; type -1 for "any"; empty when unknown. */
    static Optional<int[]> icmp(String text, boolean v6) {
        if (text.equals("any")) {
            return Optional.of(new int[] {-1, 0, 255});
        }
        if (text.matches("[0-9]{1,3}(/[0-9]{1,3})?")) {
            String[] p = text.split("/");
            int type = Integer.parseInt(p[0]);
            int code = p.length > 1 ? Integer.parseInt(p[1]) : -1;
            if (type > 255 || code > 255) {
                return Optional.empty();
            }
            return Optional.of(code < 0 ? new int[] {type, 0, 255} : new int[] {type, code, code});
        }
        return Optional.ofNullable((v6 ? ICMP6 : ICMP).get(text));
    }

    /** A port number or service name; -1 when unknown. */
    static int port(String text) {
        if (text.matches("[0-9]{1,5}")) {
            int n = Integer.parseInt(text);
            return n <= 65535 ? n : -1;
        }
        return SERVICES.getOrDefault(text, -1);
    }
}
