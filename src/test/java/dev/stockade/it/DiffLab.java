package dev.stockade.it;

import static dev.stockade.it.QueryDifferentialIT.CLIENT_TTL;
import static dev.stockade.it.QueryDifferentialIT.SETUP_TTL;

import dev.stockade.analysis.Packet;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.NetnsLab.PacketSession;
import dev.stockade.testing.NetnsShell;
import dev.stockade.testing.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The differential test's network ({@link DiffFamily}): client, server and two far hosts in namespaces
 * of a {@link NetnsLab}, static neighbours everywhere, listeners on the server and the far hosts, the
 * server forwarding between them (each far host on a link of its own, so replies come back the way
 * packets went), the mangle rules that count conntrack states, and the client's
 * OUTPUT rule that drops what its own kernel sends.
 */
final class DiffLab {

    /** The far hosts' TTL: their replies cross FORWARD with {@link QueryDifferentialIT#SETUP_TTL}, which the fixed rule accepts. */
    static final int FAR_TTL = SETUP_TTL + 1;

    private static final List<String> STATES = List.of("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED");

    private final NetnsLab lab;
    private final DiffFamily fam;
    private Host server;
    private Host client;
    /** The far hosts behind the server's eth1 and eth2. */
    private final List<Host> far = new ArrayList<>();

    private String clientMac;
    private PacketSession injector;
    /** A shell in the server: counters are read after every batch. */
    private NetnsShell shell;

    private DiffLab(NetnsLab lab, DiffFamily fam) {
        this.lab = lab;
        this.fam = fam;
    }

    static DiffLab build(NetnsLab lab, DiffFamily fam) {
        DiffLab d = new DiffLab(lab, fam);
        d.topology();
        d.neighbours();
        d.configure();
        d.injector = lab.packetSession(d.client);
        d.shell = lab.shell(d.server);
        return d;
    }

    private void topology() {
        Segment lan = lab.segment("lan");
        Segment wan1 = lab.segment("wan1");
        Segment wan2 = lab.segment("wan2");
        server = lab.host("srv");
        client = lab.host("cli");
        far.add(lab.host("far1"));
        far.add(lab.host("far2"));
        lab.attach(server, "eth0", lan, fam.servers().get(0));
        lab.attach(client, "eth0", lan, fam.sources().get(0));
        lab.attach(server, "eth1", wan1, fam.routerWan().get(0));
        lab.attach(server, "eth2", wan2, fam.routerWan().get(1));
        lab.attach(far.get(0), "eth0", wan1, fam.farWan().get(0), fam.farOffLink());
        lab.attach(far.get(1), "eth0", wan2, fam.farWan().get(1));
        fam.servers().stream().skip(1).forEach(a -> lab.addAddress(server, "eth0", a));
        fam.sources().stream().skip(1).forEach(a -> lab.addAddress(client, "eth0", a));
        // device routes: every host sends straight to the next one's MAC address (static neighbours)
        networks(fam.sources(), true).forEach(net -> lab.route(server, net, "eth0"));
        networks(fam.servers(), true).forEach(net -> lab.route(client, net, "eth0"));
        fam.farAddresses().forEach(f -> lab.route(client, network(f.address()), "eth0"));
        lab.route(server, network(DiffFamily.address(fam.farOffLink())), "eth1");
        far.forEach(h -> networks(fam.sources(), false).forEach(net -> lab.route(h, net, "eth0")));
    }

    /** The /24 or /64 around each address; only those of off-link addresses (full length) unless {@code all}. */
    private Set<String> networks(List<String> cidrs, boolean offLinkOnly) {
        Set<String> nets = new LinkedHashSet<>();
        for (String cidr : cidrs) {
            if (!offLinkOnly || cidr.endsWith("/32") || cidr.endsWith("/128")) {
                nets.add(network(DiffFamily.address(cidr)));
            }
        }
        return nets;
    }

    private String network(String address) {
        int length = fam.v6() ? 64 : 24;
        return RandomRuleset.network(address, length, fam.v6()) + "/" + length;
    }

    /** Static neighbours: no ARP or NDP crosses the rules. */
    private void neighbours() {
        String serverLan = lab.macAddress(server, "eth0");
        List<String> serverWan = List.of(lab.macAddress(server, "eth1"), lab.macAddress(server, "eth2"));
        clientMac = lab.macAddress(client, "eth0");
        String far1 = lab.macAddress(far.get(0), "eth0");
        String far2 = lab.macAddress(far.get(1), "eth0");
        fam.sourceAddresses().forEach(a -> lab.addNeighbour(server, "eth0", a, clientMac));
        fam.serverAddresses().forEach(a -> lab.addNeighbour(client, "eth0", a, serverLan));
        fam.farAddresses().forEach(f -> lab.addNeighbour(client, "eth0", f.address(), serverLan));
        lab.addNeighbour(server, "eth1", DiffFamily.address(fam.farWan().get(0)), far1);
        lab.addNeighbour(server, "eth1", DiffFamily.address(fam.farOffLink()), far1);
        lab.addNeighbour(server, "eth2", DiffFamily.address(fam.farWan().get(1)), far2);
        for (int i = 0; i < far.size(); i++) {
            String mac = serverWan.get(i);
            Host h = far.get(i);
            fam.sourceAddresses().forEach(a -> lab.addNeighbour(h, "eth0", a, mac));
        }
    }

    private void configure() {
        List<Integer> ports = Arrays.stream(RandomShots.PORTS).boxed().toList();
        lab.listen(server, ports, ports);
        far.forEach(h -> lab.listen(h, ports, ports));
        // REJECT and closed ports answer with ICMP errors; unlimited, so that none goes missing. A
        // half-open connection is given up at once (nothing answers a SYN+ACK: the client drops its RST)
        List<String> answers = List.of(
                "net.ipv4.icmp_ratelimit=0",
                "net.ipv4.icmp_msgs_per_sec=100000",
                "net.ipv4.icmp_msgs_burst=100000",
                "net.ipv6.icmp.ratelimit=0",
                "net.ipv4.tcp_synack_retries=0",
                // the ICMP redirects the test sends change no route
                "net.ipv4.conf.all.accept_redirects=0",
                "net.ipv4.conf.default.accept_redirects=0",
                "net.ipv4.conf.eth0.accept_redirects=0",
                "net.ipv6.conf.all.accept_redirects=0",
                "net.ipv6.conf.default.accept_redirects=0",
                "net.ipv6.conf.eth0.accept_redirects=0");
        List<String> router = new ArrayList<>(answers);
        router.addAll(List.of("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"));
        sysctl(server, router);
        List<String> farKnobs = new ArrayList<>(answers);
        farKnobs.addAll(ttl(FAR_TTL, "eth0"));
        far.forEach(h -> sysctl(h, farKnobs));
        sysctl(client, ttl(CLIENT_TTL, "eth0"));
        String m = fam.ttlModule();
        String drop = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + "-A OUTPUT -m "
                + m + " --" + m + "-eq " + CLIENT_TTL + " -j DROP\nCOMMIT\n";
        StringBuilder mangle = new StringBuilder("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
                + ":FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        for (String chain : List.of("INPUT", "FORWARD")) {
            for (String state : STATES) {
                mangle.append("-A ")
                        .append(chain)
                        .append(" -m ")
                        .append(m)
                        .append(" ! --")
                        .append(m)
                        .append("-eq ")
                        .append(SETUP_TTL)
                        .append(" -m conntrack --ctstate ")
                        .append(state)
                        .append('\n');
            }
        }
        mangle.append("COMMIT\n");
        lab.loadRuleText(client, fam.v6() ? null : drop, fam.v6() ? drop : null);
        lab.loadRuleText(server, fam.v6() ? null : mangle.toString(), fam.v6() ? mangle.toString() : null);
    }

    /** The knobs that make a host's own packets leave with {@code ttl} (IPv4 TTL, IPv6 hop limit). */
    private static List<String> ttl(int ttl, String... interfaces) {
        List<String> knobs = new ArrayList<>(List.of(
                "net.ipv4.ip_default_ttl=" + ttl,
                "net.ipv6.conf.all.hop_limit=" + ttl,
                "net.ipv6.conf.default.hop_limit=" + ttl));
        for (String i : interfaces) {
            knobs.add("net.ipv6.conf." + i + ".hop_limit=" + ttl);
        }
        return knobs;
    }

    private void sysctl(Host host, List<String> knobs) {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        argv.addAll(knobs);
        String[] words = argv.toArray(String[]::new);
        ok(host.equals(server) && shell != null ? shell.run(words) : lab.exec(host, words), "sysctl in " + host.name());
    }

    /** Conntrack entries of earlier packets must not outlive the span in which source ports repeat. */
    void shortConntrackTimeouts() {
        List<String> knobs = new ArrayList<>();
        for (String knob : List.of(
                "nf_conntrack_tcp_timeout_syn_sent=5",
                "nf_conntrack_tcp_timeout_syn_recv=5",
                "nf_conntrack_tcp_timeout_established=10",
                "nf_conntrack_tcp_timeout_fin_wait=5",
                "nf_conntrack_tcp_timeout_close_wait=5",
                "nf_conntrack_tcp_timeout_last_ack=5",
                "nf_conntrack_tcp_timeout_time_wait=5",
                "nf_conntrack_tcp_timeout_close=2",
                "nf_conntrack_udp_timeout=5",
                "nf_conntrack_udp_timeout_stream=5",
                "nf_conntrack_icmp_timeout=5",
                "nf_conntrack_icmpv6_timeout=5")) {
            knobs.add("net.netfilter." + knob);
        }
        sysctl(server, knobs);
    }

    /** {@code net.netfilter.nf_conntrack_tcp_loose} on the server. */
    void tcpLoose(boolean loose) {
        sysctl(server, List.of("net.netfilter.nf_conntrack_tcp_loose=" + (loose ? 1 : 0)));
    }

    /** Loads a filter table into the server (the mangle table stays). */
    void load(String rules) {
        String tool = fam.v6() ? "ip6tables-restore" : "iptables-restore";
        java.nio.file.Path file = lab.scratchFile(rules, "rules");
        try {
            ok(shell.run(tool, file.toString()), tool);
        } finally {
            file.toFile().delete();
        }
    }

    /** The server's counters, every table. */
    KernelCounters counters() {
        return KernelCounters.parse(
                ok(shell.run(fam.saveTool(), "-c"), fam.saveTool() + " -c").stdout());
    }

    PacketSession injector() {
        return injector;
    }

    String clientMac() {
        return clientMac;
    }

    long clientMacValue() {
        return Packet.parseMac(clientMac).orElseThrow();
    }

    private static ExecResult ok(ExecResult r, String what) {
        if (!r.ok()) {
            throw new AssertionError(what + " failed: " + r.describe());
        }
        return r;
    }
}
