package dev.stockade.it;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random valid cluster specs (YAML text) for {@link RandomSpecKernelIT}, from a seeded {@link Random}:
 * 2-6 nodes with IPv4, IPv6 or missing private and public addresses (in about a third of the specs
 * the private ones are consecutive, so that {@code cluster} and etcd peers compile to aggregated
 * prefixes such as a /30); interface names per role
 * (sometimes a pattern such as {@code eth+}, sometimes the same name for both roles, sometimes none);
 * {@code sources:} groups; {@code from} lists mixing {@code any}, {@code cluster}, groups and literal
 * addresses and prefixes of both families or only one; services with single ports, ranges and long
 * lists (more than one multiport match), tcp, udp or both, {@code nodes} and {@code on} restrictions;
 * etcd with and without {@code members}, custom ports and {@code clients_from}; every ICMP mode; SSH
 * absent, closed or open on a custom port.
 *
 * <p>Addresses come only from the lab's ranges (10.250.0.0/16, 192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32). Node addresses stay out of 10.250.255.0/24 and 2001:db8:ffff::/48,
 * which the test keeps for the addresses probes are sent to. Every spec is valid by construction: the
 * test fails when the loader rejects one.
 */
final class RandomSpec {

    private static final String[] V4_DOC = {"192.0.2", "198.51.100", "203.0.113"};
    private static final String[] NAMES = {"web", "dns", "syslog", "metrics", "callbacks", "vpn", "api", "ntp"};
    private static final String[] GROUPS = {"office", "partners", "vpn", "monitoring", "backup_v6", "ops-4", "lab"};
    private static final String[] NODE_PREFIXES = {"core", "node", "n", "etcd", "worker"};
    private static final String[] IFACE_NAMES = {
        "eth0", "eth1", "eth2", "ens3", "ens4", "enp1s0", "bond0", "wan0", "lan0", "eth0.100", "br-lan", "p_1", "e"
    };
    private static final String[] IFACE_PATTERNS = {"eth+", "ens+", "en+", "wan+", "+"};

    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcRand ops@example";

    private final Random r;
    private final StringBuilder out = new StringBuilder();
    private final List<String> nodeNames = new ArrayList<>();
    private final List<Prefix> nodeAddresses = new ArrayList<>();
    private final Set<Prefix> used = new HashSet<>();
    private final List<String> groups = new ArrayList<>();
    private final List<String> v4Nets = new ArrayList<>();
    private final List<String> v6Nets = new ArrayList<>();
    private final Set<Integer> reservedTcp = new LinkedHashSet<>();
    private boolean sshOpenOnAnotherPort;
    /** The next consecutive private host (IPv4 last octet, IPv6 last group), or -1 for random ones. */
    private int nextV4Host = -1;

    private int nextV6Host = -1;
    private String publicIface;
    private String privateIface;

    private RandomSpec(Random r) {
        this.r = r;
    }

    /** One spec, named {@code rs-<index>}. */
    static String generate(Random r, int index) {
        return new RandomSpec(r).spec(index);
    }

    private String spec(int index) {
        boolean etcd = r.nextInt(100) < 50;
        line("# random spec " + index);
        line("stockade: 1");
        line("cluster: rs-" + index);
        String target = pick("flatcar", "fcos", "container-linux");
        line("target: " + target);
        interfaces(etcd);
        networks();
        nodes();
        sources();
        int ssh = ssh();
        reservedTcp.add(ssh);
        if (etcd) {
            etcd(ssh);
        }
        services();
        icmp();
        if (target.equals("fcos") && sshOpenOnAnotherPort) {
            line("hardening: {selinux: permissive}"); // SPEC-SSH-PORT: fcos sshd under enforcing binds 22 only
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ sections

    private void interfaces(boolean etcd) {
        int roll = r.nextInt(100);
        if (roll < 10 && !etcd) {
            return; // no interfaces: no 'on', no etcd
        }
        if (roll < 20 && !etcd) {
            publicIface = ifaceName();
        } else if (roll < 20) {
            privateIface = ifaceName();
        } else if (roll < 25) {
            publicIface = ifaceName();
            privateIface = publicIface; // one interface plays both roles
        } else {
            publicIface = ifaceName();
            do {
                privateIface = ifaceName();
            } while (privateIface.equals(publicIface));
        }
        List<String> parts = new ArrayList<>();
        if (publicIface != null) {
            parts.add("public: " + quote(publicIface));
        }
        if (privateIface != null) {
            parts.add("private: " + quote(privateIface));
        }
        line("interfaces: {" + String.join(", ", parts) + "}");
    }

    private String ifaceName() {
        return r.nextInt(100) < 25 ? pick(IFACE_PATTERNS) : pick(IFACE_NAMES);
    }

    /** Two or three IPv4 /24s and IPv6 /64s the nodes and the prefixes are drawn from. */
    private void networks() {
        v4Nets.add("10.250." + r.nextInt(128));
        v4Nets.add(r.nextBoolean() ? pick(V4_DOC) : "10.250." + r.nextInt(128));
        if (r.nextBoolean()) {
            v4Nets.add(pick(V4_DOC));
        }
        int nets = 2 + r.nextInt(2);
        for (int i = 0; i < nets; i++) {
            v6Nets.add("2001:db8:" + Integer.toHexString(r.nextInt(0xffff)) + ":" + Integer.toHexString(r.nextInt(16)));
        }
    }

    private void nodes() {
        int count = 2 + r.nextInt(5);
        String prefix = pick(NODE_PREFIXES);
        if (r.nextInt(100) < 35) {
            nextV4Host = 8 * r.nextInt(30);
            nextV6Host = 16 * (1 + r.nextInt(200));
        }
        line("nodes:");
        for (int i = 1; i <= count; i++) {
            String name = prefix + "-" + i;
            nodeNames.add(name);
            List<String> fields = new ArrayList<>();
            fields.add("name: " + name);
            if (r.nextInt(100) < 85) {
                fields.add(
                        "private: " + quote(nextV4Host < 0 ? newAddress(IpFamily.V4, true) : consecutive(IpFamily.V4)));
            }
            if (r.nextInt(100) < 35) {
                fields.add("private_ipv6: "
                        + quote(nextV6Host < 0 ? newAddress(IpFamily.V6, false) : consecutive(IpFamily.V6)));
            }
            int publics = r.nextInt(4);
            List<String> pub = new ArrayList<>();
            for (int j = 0; j < publics; j++) {
                pub.add(quote(newAddress(r.nextBoolean() ? IpFamily.V4 : IpFamily.V6, false)));
            }
            if (pub.size() == 1 && r.nextBoolean()) {
                fields.add("public: " + pub.get(0));
            } else if (!pub.isEmpty()) {
                fields.add("public: [" + String.join(", ", pub) + "]");
            }
            line("  - {" + String.join(", ", fields) + "}");
        }
    }

    /** The next private address of a consecutive run, in the first network of the family (not used before). */
    private String consecutive(IpFamily family) {
        while (true) {
            String text = family == IpFamily.V4
                    ? v4Nets.get(0) + "." + nextV4Host++
                    : v6Nets.get(0) + "::" + Integer.toHexString(nextV6Host++);
            Prefix p = Prefix.parse(text);
            if (used.add(p)) { // a public address drawn earlier may have taken it
                nodeAddresses.add(p);
                return text;
            }
        }
    }

    /** A node address not used before; private IPv4 addresses come from 10.250.0.0/17. */
    private String newAddress(IpFamily family, boolean privateV4) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String text;
            if (family == IpFamily.V4) {
                List<String> nets = privateV4
                        ? v4Nets.stream().filter(n -> n.startsWith("10.")).toList()
                        : v4Nets;
                int host = r.nextInt(100) < 5 ? pickInt(0, 255) : 1 + r.nextInt(254);
                text = pick(nets) + "." + host;
            } else {
                String net = pick(v6Nets);
                text = r.nextInt(100) < 80
                        ? net + "::" + Integer.toHexString(1 + r.nextInt(0xfff))
                        : net + ":" + hex() + ":" + hex() + ":" + hex() + ":" + hex();
            }
            Prefix p = Prefix.parse(text);
            if (used.add(p)) {
                nodeAddresses.add(p);
                return text;
            }
        }
        throw new AssertionError("the generator found no free address");
    }

    private String hex() {
        return Integer.toHexString(r.nextInt(0x10000));
    }

    private void sources() {
        int count = r.nextInt(4);
        if (count == 0) {
            return;
        }
        line("sources:");
        List<String> names = new ArrayList<>(List.of(GROUPS));
        for (int i = 0; i < count; i++) {
            String name = names.remove(r.nextInt(names.size()));
            groups.add(name);
            if (r.nextInt(100) < 5) {
                line("  " + name + ": []");
                continue;
            }
            int family = r.nextInt(3); // 0 mixed, 1 IPv4 only, 2 IPv6 only
            int members = 1 + r.nextInt(4);
            List<String> items = new ArrayList<>();
            for (int j = 0; j < members; j++) {
                items.add(quote(literal(family)));
            }
            line("  " + name + ": [" + String.join(", ", items) + "]");
        }
    }

    /** @return the SSH port */
    private int ssh() {
        int roll = r.nextInt(100);
        int port = r.nextBoolean() ? 22 : pickInt(22, 2222, 222, 1, 65535, 10022, 1 + r.nextInt(65535));
        if (roll < 15) {
            return 22; // no admin section: SSH closed
        }
        if (roll < 30) {
            line("admin:");
            line("  ssh: {from: []" + (port == 22 ? "" : ", port: " + port) + "}");
            return port;
        }
        sshOpenOnAnotherPort = port != 22;
        line("admin:");
        line("  ssh: {from: " + fromList(false) + ", keys: [\"" + KEY + "\"]" + (port == 22 ? "" : ", port: " + port)
                + "}");
        return port;
    }

    private void etcd(int ssh) {
        List<String> fields = new ArrayList<>();
        fields.add("tls: true");
        if (r.nextInt(100) < 70) {
            fields.add("clients_from: " + (r.nextInt(100) < 5 ? "[]" : fromList(true)));
        }
        int client = 2379;
        int peer = 2380;
        if (r.nextBoolean()) {
            for (int attempt = 0; attempt < 100; attempt++) {
                client = pickInt(2379, 12379, 4001, 2381, 1 + r.nextInt(65535));
                peer = pickInt(2380, 12380, 7001, 2378, 1 + r.nextInt(65535));
                if (client != peer && client != ssh && peer != ssh) {
                    break;
                }
            }
            if (client == peer || client == ssh || peer == ssh) {
                client = ssh == 2379 ? 2377 : 2379;
                peer = ssh == 2380 ? 2378 : 2380;
            }
            if (client != 2379 || r.nextBoolean()) {
                fields.add("client_port: " + client);
            }
            if (peer != 2380 || r.nextBoolean()) {
                fields.add("peer_port: " + peer);
            }
        }
        if (r.nextBoolean()) {
            List<String> members = new ArrayList<>(nodeNames);
            java.util.Collections.shuffle(members, r);
            fields.add("members: [" + String.join(", ", members.subList(0, 1 + r.nextInt(members.size()))) + "]");
        }
        reservedTcp.add(client);
        reservedTcp.add(peer);
        line("etcd: {" + String.join(", ", fields) + "}");
    }

    private void services() {
        int count = r.nextInt(6);
        if (count == 0) {
            return;
        }
        line("services:");
        List<String> names = new ArrayList<>(List.of(NAMES));
        for (int i = 0; i < count; i++) {
            List<String> fields = new ArrayList<>();
            fields.add("name: " + names.remove(r.nextInt(names.size())));
            String protocol = pick("", "", "tcp", "udp", "udp", "[tcp, udp]", "[udp, tcp]");
            boolean tcp = !protocol.equals("udp");
            List<String> ports = ports(tcp);
            if (ports.isEmpty()) {
                protocol = "udp";
                ports = ports(false);
            }
            if (ports.size() == 1 && r.nextBoolean()) {
                fields.add("port: " + ports.get(0));
            } else {
                fields.add("ports: [" + String.join(", ", ports) + "]");
            }
            if (!protocol.isEmpty()) {
                fields.add("protocol: " + protocol);
            }
            fields.add("from: " + fromList(false));
            if (r.nextInt(100) < 30) {
                List<String> on = new ArrayList<>(nodeNames);
                java.util.Collections.shuffle(on, r);
                fields.add("nodes: [" + String.join(", ", on.subList(0, 1 + r.nextInt(on.size()))) + "]");
            }
            int on = r.nextInt(100);
            if (on < 20 && publicIface != null) {
                fields.add("on: public");
            } else if (on < 40 && privateIface != null) {
                fields.add("on: private");
            } else if (on < 45) {
                fields.add("on: any");
            }
            line("  - {" + String.join(", ", fields) + "}");
        }
    }

    /**
     * One to four ports and ranges (sometimes up to twenty), near the ports that matter: SSH and etcd,
     * DHCPv6, the ends of the port space. A tcp service never covers the SSH or etcd ports (the loader
     * refuses that): empty when no attempt avoided them.
     */
    private List<String> ports(boolean tcp) {
        int count = r.nextInt(100) < 10 ? 12 + r.nextInt(9) : 1 + r.nextInt(4);
        for (int attempt = 0; attempt < 50; attempt++) {
            List<String> ports = new ArrayList<>();
            boolean clash = false;
            for (int i = 0; i < count && !clash; i++) {
                int anchor = pickInt(1, 65535, 546, 547, 53, 80, 443, 8080, 1 + r.nextInt(65535), pick(reservedTcp));
                int from = Math.max(1, Math.min(65535, anchor + r.nextInt(5) - 2));
                int length = r.nextInt(100) < 50 ? 0 : pickInt(1, 2, 3, 10, 100, 1000);
                int to = Math.min(65535, from + length);
                for (int reserved : reservedTcp) {
                    clash |= tcp && from <= reserved && reserved <= to;
                }
                ports.add(from == to ? Integer.toString(from) : from + "-" + to);
            }
            if (!clash) {
                return ports;
            }
        }
        return List.of();
    }

    private void icmp() {
        int roll = r.nextInt(100);
        if (roll < 20) {
            return;
        }
        if (roll < 40) {
            line("icmp: standard");
        } else if (roll < 60) {
            line("icmp: strict");
        } else if (roll < 70) {
            line("icmp: {ping: none}");
        } else {
            line("icmp: {ping: " + fromList(true) + "}");
        }
    }

    // ------------------------------------------------------------------ sources

    /**
     * A {@code from:} value: {@code any}, or a list of {@code cluster}, group names and literal
     * addresses or prefixes; sometimes of one family only.
     */
    private String fromList(boolean mayBeEmpty) {
        int roll = r.nextInt(100);
        if (roll < 12) {
            return "any";
        }
        if (mayBeEmpty && roll < 15) {
            return "[]";
        }
        int family = r.nextInt(100) < 20 ? 1 : r.nextInt(100) < 20 ? 2 : 0;
        int count = 1 + r.nextInt(4);
        Set<String> items = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(100);
            if (kind < 5) {
                items.add("any");
            } else if (kind < 25) {
                items.add("cluster");
            } else if (kind < 50 && !groups.isEmpty()) {
                items.add(pick(groups));
            } else {
                items.add(quote(literal(family)));
            }
        }
        return "[" + String.join(", ", items) + "]";
    }

    /**
     * An address or prefix (host bits zero) around the spec's addresses: a node address, one of the
     * networks, or anywhere in the lab's ranges, with a random length; rarely the whole family.
     *
     * @param family 0 either, 1 IPv4, 2 IPv6
     */
    private String literal(int family) {
        boolean v6 = family == 2 || (family == 0 && r.nextBoolean());
        IpFamily f = v6 ? IpFamily.V6 : IpFamily.V4;
        if (r.nextInt(100) < 3) {
            return v6 ? "::/0" : "0.0.0.0/0";
        }
        List<Prefix> mine = nodeAddresses.stream().filter(p -> p.family() == f).toList();
        Prefix base;
        int roll = r.nextInt(100);
        if (roll < 40 && !mine.isEmpty()) {
            base = pick(mine);
        } else if (roll < 80) {
            base = Prefix.parse(
                    v6
                            ? pick(v6Nets) + "::" + Integer.toHexString(r.nextInt(0x10000))
                            : pick(v4Nets) + "." + r.nextInt(256));
        } else {
            base = Prefix.parse(
                    v6
                            ? "2001:db8:" + hex() + ":" + hex() + "::" + hex()
                            : pick("10.250." + r.nextInt(256), pick(V4_DOC)) + "." + r.nextInt(256));
        }
        int length;
        if (v6) {
            length = pickInt(32, 33, 47, 48, 56, 63, 64, 65, 96, 112, 120, 126, 127, 128, 128);
        } else if (base.address().startsWith("10.250.")) {
            length = pickInt(16, 17, 20, 23, 24, 25, 28, 30, 31, 32, 32);
        } else {
            length = pickInt(24, 25, 26, 28, 29, 30, 31, 32, 32);
        }
        return base.network(length).toString();
    }

    // ------------------------------------------------------------------ helpers

    private void line(String text) {
        out.append(text).append('\n');
    }

    private static String quote(String text) {
        return '"' + text + '"';
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[r.nextInt(values.length)];
    }

    private int pickInt(int... values) {
        return values[r.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private int pick(Set<Integer> values) {
        List<Integer> list = new ArrayList<>(values);
        return list.isEmpty() ? 22 : list.get(r.nextInt(list.size()));
    }
}
