package dev.stockade.net;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Service names for TCP/UDP ports, as iptables takes them in {@code --dport ssh}: the common names
 * of the netbase {@code /etc/services}. iptables resolves a name on the host that loads the rules;
 * names missing here are unknown to the analysis rather than guessed.
 */
public final class Services {

    private static final Map<String, Integer> PORTS = Map.ofEntries(
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

    private Services() {}

    /** The port of a service name (case matters, as for getservbyname); empty when not in the table. */
    public static OptionalInt port(String name) {
        Integer p = PORTS.get(name);
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }
}
