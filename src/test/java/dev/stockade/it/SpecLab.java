package dev.stockade.it;

import dev.stockade.intent.Connection;
import dev.stockade.it.SpecProbes.SpecProbe;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.testing.CraftedPacket;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.NetnsLab.PacketSession;
import dev.stockade.testing.NetnsShell;
import dev.stockade.testing.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The network of {@link RandomSpecKernelIT}: a node namespace and a sender namespace joined by
 * {@link #INTERFACES} links (veth pairs through the bridges of a {@link NetnsLab}), and how the
 * kernel's verdict on each probe is read.
 *
 * <p>Both namespaces live for the whole run. The sender has one interface per link ({@code s0},
 * {@code s1}, ...), every link-local source of {@link SpecProbes#LINK_LOCAL} on each, a route per
 * link to the node's addresses there, and, per spec, every probe source on {@code lo} (raw sockets
 * send only from local addresses). The node has one interface per link, renamed for each spec to the
 * spec's role names plus others ({@link #prepare}); on each, one IPv4 and one IPv6 address per node
 * slot ({@link #destination}): the rules never look at the destination, and a probe to node i on
 * interface k goes to slot i's address there, so the probes of two nodes of a spec never share a
 * conntrack entry; between specs the node's conntrack table is emptied. Neighbours are static, so no
 * ARP or NDP crosses the rules; rp_filter is off.
 *
 * <p>The verdict. Probe j of a node and family is {@code 100 + j} bytes long. The node's mangle
 * table counts, per length, the packets that reach INPUT as NEW (mangle runs before filter), and
 * its security table, per length, those that filter's INPUT accepted (security runs after filter
 * on the same hook; a packet filter drops never gets there). So each probe's counters say whether
 * it arrived as the first packet of a new connection and whether the node's INPUT chain - the
 * generated rules, loaded unchanged with iptables-restore, which replaces the filter table alone -
 * accepted it. With {@code firewall: nftables} the filter tables are left open and the node's
 * generated file is loaded with {@code nft -f}: its input chain sits at the filter priority, between
 * the two counting tables, so the same counters give its verdict. A count other than 0 or 1 where a probe was sent, or other than 0 where none was,
 * fails the run as a lab problem. Other packets (ICMP other than echo requests, TCP without SYN)
 * skip the counting rules.
 */
final class SpecLab implements AutoCloseable {

    /** Links between sender and node. */
    static final int INTERFACES = 3;
    /** Node slots: the most nodes a spec may have. */
    static final int SLOTS = 8;
    /** Length of the first probe of a batch. */
    static final int BASE_LENGTH = 100;

    /** The rules ahead of the counting rules in each counting chain (ICMP other than echo, TCP without SYN). */
    private static final int SKIPPED = 2;

    /** Removes Stockade's nftables table if there is one (declared first, so the delete cannot fail). */
    private static final String NO_STOCKADE_TABLE = "table inet stockade\ndelete table inet stockade\n";

    private static final String OPEN_FILTER =
            "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

    private static final long SETTLE_NANOS = 3_000_000_000L;

    private final NetnsLab lab;
    private final int rules;
    private final Host sender;
    private final Host node;
    private final List<String> names = new ArrayList<>();
    private final Map<IpFamily, KernelCounters> before = new EnumMap<>(IpFamily.class);
    private PacketSession injector;
    private NetnsShell shell;
    /** Nanoseconds spent per step, to say where the time goes. */
    final Map<String, Long> spent = new TreeMap<>();

    private SpecLab(NetnsLab lab, int rules) {
        this.lab = lab;
        this.rules = rules;
        this.sender = lab.host("sender");
        this.node = lab.host("node");
    }

    /**
     * Builds the network.
     *
     * @param rules room for this many probes per node and family
     */
    static SpecLab create(NetnsLab lab, int rules) {
        if (BASE_LENGTH + rules > 1500) {
            throw new IllegalArgumentException("no room for " + rules + " probes below the MTU");
        }
        SpecLab s = new SpecLab(lab, rules);
        s.start();
        return s;
    }

    private void start() {
        ok(lab.exec(node, "sysctl", "-q", "-w", "net.ipv6.conf.all.keep_addr_on_down=1"), "sysctl");
        for (int k = 0; k < INTERFACES; k++) {
            Segment segment = lab.segment("link" + k);
            String out = senderInterface(k);
            lab.attach(sender, out, segment);
            for (Prefix ll : SpecProbes.LINK_LOCAL) {
                lab.addLinkLocal(sender, out, ll.address());
            }
            lab.routeV4(sender, destination(IpFamily.V4, 0, k).network(28).toString(), out);
            lab.routeV6(sender, destination(IpFamily.V6, 0, k).network(64).toString(), out);
            String in = "n" + k;
            names.add(in);
            lab.attach(node, in, segment);
            List<String> mine = new ArrayList<>();
            Map<String, String> neighbours = new LinkedHashMap<>();
            String mac = lab.macAddress(node, in);
            for (int i = 0; i < SLOTS; i++) {
                for (IpFamily f : IpFamily.values()) {
                    mine.add(destination(f, i, k).toCidr());
                    neighbours.put(destination(f, i, k).address(), mac);
                }
            }
            lab.addAddresses(node, in, mine);
            lab.addNeighbours(sender, out, neighbours);
        }
        injector = lab.packetSession(sender);
        shell = lab.shell(node);
        for (IpFamily f : IpFamily.values()) {
            restore(f, counting(f, rules), "the counting tables");
            before.put(f, KernelCounters.parse(""));
        }
    }

    private static String senderInterface(int k) {
        return "s" + k;
    }

    /** Where probes to node slot {@code slot} arriving on interface {@code k} are sent. */
    static Prefix destination(IpFamily family, int slot, int k) {
        return family == IpFamily.V4
                ? Prefix.parse("10.250.255." + (16 * k + slot + 1))
                : Prefix.parse("2001:db8:ffff:ff0" + k + "::" + (slot + 1));
    }

    /** Every address probes are sent to (never a probe source). */
    static List<Prefix> destinations() {
        List<Prefix> out = new ArrayList<>();
        for (int k = 0; k < INTERFACES; k++) {
            for (int i = 0; i < SLOTS; i++) {
                out.add(destination(IpFamily.V4, i, k));
                out.add(destination(IpFamily.V6, i, k));
            }
        }
        return out;
    }

    /**
     * Readies the network for one spec: the node's interfaces take {@code interfaces}' names (one per
     * link), its conntrack table is emptied, and the sender holds exactly {@code sources} (every
     * non-link-local source the spec's probes use).
     */
    void prepare(List<String> interfaces, Collection<Prefix> sources) {
        if (interfaces.size() != INTERFACES) {
            throw new IllegalArgumentException("one name per link: " + interfaces);
        }
        timed("prepare", () -> {
            if (!interfaces.equals(names)) {
                lab.renameInterfaces(node, names, interfaces);
                names.clear();
                names.addAll(interfaces);
            }
            lab.flushConntrack(node);
            lab.flushGlobalAddresses(sender, "lo");
            lab.addAddresses(sender, "lo", sources.stream().map(Prefix::toCidr).toList());
        });
    }

    /**
     * Loads a node's generated rules (both families, as written) and sends every probe; returns, per
     * family and in probe order, whether the node's INPUT chain accepted it.
     *
     * @param slot the node's index in the spec (which destination addresses its probes go to)
     */
    Map<IpFamily, boolean[]> verdicts(
            int slot, Map<IpFamily, String> rulesText, Map<IpFamily, List<SpecProbe>> probes) {
        timed("load rules", () -> nft(NO_STOCKADE_TABLE, "removing the nftables table"));
        for (IpFamily f : IpFamily.values()) {
            timed("load rules", () -> restore(f, rulesText.get(f), "the generated rules"));
        }
        return send(slot, probes);
    }

    /**
     * The same for a node built with {@code firewall: nftables}: the iptables filter tables are
     * emptied (policies ACCEPT, so they decide nothing) and the generated file loaded with
     * {@code nft -f}, unchanged; the counting tables stay, on both sides of it (mangle before the
     * filter priority, security after).
     */
    Map<IpFamily, boolean[]> nftVerdicts(int slot, String ruleset, Map<IpFamily, List<SpecProbe>> probes) {
        for (IpFamily f : IpFamily.values()) {
            timed("load rules", () -> restore(f, OPEN_FILTER, "an empty filter table"));
        }
        timed("load rules", () -> nft(ruleset, "the generated nftables file"));
        return send(slot, probes);
    }

    private Map<IpFamily, boolean[]> send(int slot, Map<IpFamily, List<SpecProbe>> probes) {
        for (IpFamily f : IpFamily.values()) {
            List<SpecProbe> list = probes.get(f);
            if (list.size() > rules) {
                throw new IllegalArgumentException(list.size() + " probes, room for " + rules);
            }
            List<CraftedPacket> packets = new ArrayList<>();
            for (int j = 0; j < list.size(); j++) {
                packets.add(packet(list.get(j), slot, BASE_LENGTH + j));
            }
            if (!packets.isEmpty()) {
                timed("send", () -> injector.send(packets));
            }
        }
        Map<IpFamily, boolean[]> out = new EnumMap<>(IpFamily.class);
        for (IpFamily f : IpFamily.values()) {
            out.put(f, timed("read counters", () -> read(f, probes.get(f))));
        }
        return out;
    }

    private CraftedPacket packet(SpecProbe p, int slot, int length) {
        Connection c = p.connection();
        int k = names.indexOf(c.inInterface());
        if (k < 0) {
            throw new IllegalArgumentException("no link for interface " + c.inInterface() + " among " + names);
        }
        boolean v6 = c.family() == IpFamily.V6;
        String src = c.source().address();
        if (v6 && SpecProbes.LINK_LOCAL.contains(c.source())) {
            src += "%" + senderInterface(k);
        }
        String dst = destination(c.family(), slot, k).address();
        return switch (c.kind()) {
            case TCP -> CraftedPacket.tcp(src, dst, p.wire(), c.port(), length, 64, CraftedPacket.SYN);
            case UDP -> CraftedPacket.udp(src, dst, p.wire(), c.port(), length, 64);
            case PING -> CraftedPacket.icmp(src, dst, p.wire(), 0, length, 64, v6 ? 128 : 8, 0);
        };
    }

    /** Reads the counters until every probe has arrived (bounded) and checks that they count exactly the probes. */
    private boolean[] read(IpFamily f, List<SpecProbe> probes) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        KernelCounters start = before.get(f);
        while (true) {
            KernelCounters now = save(f);
            KernelCounters delta = now.minus(start);
            String problem = check(delta, probes.size());
            if (problem == null) {
                before.put(f, now);
                boolean[] accepted = new boolean[probes.size()];
                for (int j = 0; j < probes.size(); j++) {
                    accepted[j] = count(delta.tables.get("security"), j) == 1;
                }
                return accepted;
            }
            if (System.nanoTime() > deadline || !problem.startsWith("waiting")) {
                throw new AssertionError("lab problem in " + node.netns() + " (" + f + "): " + problem + "\nprobes: "
                        + describe(probes) + "\ncounters:\n" + now.text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Null when every probe arrived once as NEW and nothing else was counted; else what is wrong. */
    private String check(KernelCounters delta, int sent) {
        KernelCounters.Table mangle = delta.tables.get("mangle");
        KernelCounters.Table security = delta.tables.get("security");
        if (mangle == null || security == null) {
            return "the counting tables are gone";
        }
        List<Integer> missing = new ArrayList<>();
        for (int j = 0; j < rules; j++) {
            long arrived = count(mangle, j);
            long accepted = count(security, j);
            long expected = j < sent ? 1 : 0;
            if (arrived > expected || (accepted > arrived && arrived == expected)) {
                return "probe " + j + " (length " + (BASE_LENGTH + j) + ") counted " + arrived + " times as NEW and "
                        + accepted + " times as accepted";
            }
            if (arrived < expected) {
                missing.add(j);
            }
        }
        return missing.isEmpty() ? null : "waiting for probes " + missing + " to arrive at INPUT as NEW";
    }

    private long count(KernelCounters.Table table, int j) {
        long[] v = table.values.get("INPUT:" + (SKIPPED + 1 + j));
        if (v == null) {
            throw new AssertionError("no counting rule for probe " + j + " in " + node.netns());
        }
        if (v[1] != v[0] * (BASE_LENGTH + j)) {
            throw new AssertionError("counting rule " + j + " saw " + v[0] + " packets of " + v[1] + " bytes");
        }
        return v[0];
    }

    private KernelCounters save(IpFamily f) {
        String tool = f == IpFamily.V4 ? "iptables-save" : "ip6tables-save";
        return KernelCounters.parse(ok(shell.run(tool, "-c"), tool).stdout());
    }

    private void nft(String text, String what) {
        Path file = lab.scratchFile(text, "nft.conf");
        try {
            ok(shell.run("nft", "-f", file.toString()), "nft -f of " + what);
        } finally {
            file.toFile().delete();
        }
    }

    private void restore(IpFamily f, String text, String what) {
        String tool = f == IpFamily.V4 ? "iptables-restore" : "ip6tables-restore";
        Path file = lab.scratchFile(text, f == IpFamily.V4 ? "v4.rules" : "v6.rules");
        try {
            ok(shell.run(tool, file.toString()), tool + " of " + what);
        } finally {
            file.toFile().delete();
        }
    }

    /** Runs {@code work}, adding its time to {@code step}. */
    <T> T timed(String step, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            spent.merge(step, System.nanoTime() - start, Long::sum);
        }
    }

    private void timed(String step, Runnable work) {
        timed(step, () -> {
            work.run();
            return null;
        });
    }

    private static ExecResult ok(ExecResult r, String what) {
        if (!r.ok()) {
            throw new AssertionError(what + " failed: " + r.describe());
        }
        return r;
    }

    private static String describe(List<SpecProbe> probes) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < probes.size(); j++) {
            sb.append("\n  ").append(j).append(": ").append(probes.get(j).describe());
        }
        return sb.toString();
    }

    /** Stops the injector and the node's shell (the namespaces go with the {@link NetnsLab}). */
    @Override
    public void close() {
        if (injector != null) {
            injector.close();
        }
        if (shell != null) {
            shell.close();
        }
    }

    /**
     * The mangle and security tables that count, per packet length, the probes that reach INPUT as
     * NEW and those that filter's INPUT accepted.
     */
    static String counting(IpFamily f, int rules) {
        String skipIcmp = f == IpFamily.V4
                ? "-p icmp -m icmp ! --icmp-type 8 -j ACCEPT"
                : "-p ipv6-icmp -m icmp6 ! --icmpv6-type 128 -j ACCEPT";
        String skipTcp = "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT";
        StringBuilder sb = new StringBuilder();
        sb.append("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n")
                .append(":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        sb.append("-A INPUT ")
                .append(skipIcmp)
                .append("\n-A INPUT ")
                .append(skipTcp)
                .append('\n');
        for (int j = 0; j < rules; j++) {
            sb.append("-A INPUT -m length --length ").append(BASE_LENGTH + j).append(" -m conntrack --ctstate NEW\n");
        }
        sb.append("COMMIT\n*security\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        sb.append("-A INPUT ")
                .append(skipIcmp)
                .append("\n-A INPUT ")
                .append(skipTcp)
                .append('\n');
        for (int j = 0; j < rules; j++) {
            sb.append("-A INPUT -m length --length ").append(BASE_LENGTH + j).append('\n');
        }
        sb.append("COMMIT\n");
        return sb.toString();
    }
}
