package dev.stockade.it;

import java.util.List;

/**
 * The addresses of one family in the differential test's lab (see {@link QueryDifferentialIT}): a
 * client {@code cli} (eth0) on the LAN of a server {@code srv} (eth0), and two far hosts behind the
 * server ({@code far1} on the server's eth1, {@code far2} on its eth2), so that packets to them cross
 * the server's FORWARD chain. Addresses with the full prefix length are off-link
 * and get a device route (to the /24 or /64 around them) and a static neighbour on the host before them.
 *
 * @param servers the server's addresses on eth0 (packets to them meet INPUT)
 * @param sources the client's addresses on eth0, the sources of every packet
 * @param routerWan the server's addresses on eth1 and eth2
 * @param farWan the addresses of far1 and far2
 * @param farOffLink an off-link address of far1
 */
record DiffFamily(
        String name,
        boolean v6,
        String saveTool,
        int icmpProtocol,
        int echoType,
        List<String> servers,
        List<String> sources,
        List<String> routerWan,
        List<String> farWan,
        String farOffLink) {

    static final DiffFamily V4 = new DiffFamily(
            "ipv4",
            false,
            "iptables-save",
            1,
            8,
            List.of("10.250.1.1/24", "10.250.1.200/24", "10.250.3.1/32"),
            List.of(
                    "10.250.1.2/24",
                    "10.250.1.63/24",
                    "10.250.1.64/24",
                    "10.250.1.77/24",
                    "10.250.1.127/24",
                    "10.250.1.128/24",
                    "10.250.1.130/24",
                    "10.250.2.9/32",
                    "198.51.100.7/32"),
            List.of("10.250.4.1/24", "10.250.6.1/24"),
            List.of("10.250.4.2/24", "10.250.6.2/24"),
            "203.0.113.5/32");

    static final DiffFamily V6 = new DiffFamily(
            "ipv6",
            true,
            "ip6tables-save",
            58,
            128,
            List.of("2001:db8:1::1/64", "2001:db8:1::c8/64", "2001:db8:3::1/128"),
            List.of(
                    "2001:db8:1::2/64",
                    "2001:db8:1::3f/64",
                    "2001:db8:1::40/64",
                    "2001:db8:1::77/64",
                    "2001:db8:1::7fff/64",
                    "2001:db8:1::8000/64",
                    "2001:db8:1::8002/64",
                    "2001:db8:2::9/128",
                    "2001:db8:ff::7/128"),
            List.of("2001:db8:4::1/64", "2001:db8:6::1/64"),
            List.of("2001:db8:4::2/64", "2001:db8:6::2/64"),
            "2001:db8:5::5/128");

    /** A destination behind the server and the server's interface towards it. */
    record Far(String address, String oface) {}

    static String address(String cidr) {
        return cidr.substring(0, cidr.indexOf('/'));
    }

    List<String> serverAddresses() {
        return servers.stream().map(DiffFamily::address).toList();
    }

    List<String> sourceAddresses() {
        return sources.stream().map(DiffFamily::address).toList();
    }

    /** The far hosts' addresses, each with the server's way out to it. */
    List<Far> farAddresses() {
        return List.of(
                new Far(address(farWan.get(0)), "eth1"),
                new Far(address(farOffLink), "eth1"),
                new Far(address(farWan.get(1)), "eth2"));
    }

    /** "ttl" or "hl": the match module of the TTL (IPv4) or hop limit (IPv6). */
    String ttlModule() {
        return v6 ? "hl" : "ttl";
    }

    /** The ICMP protocol's name in this family's rules. */
    String icmpName() {
        return v6 ? "ipv6-icmp" : "icmp";
    }
}
