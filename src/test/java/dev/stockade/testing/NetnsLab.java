package dev.stockade.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network of Linux network namespaces for kernel-level firewall tests: real iptables /
 * ip6tables rulesets are loaded into real namespaces and real packets are sent at them.
 *
 * <h2>Topology</h2>
 * <ul>
 *   <li>Every {@linkplain #host host} is a network namespace of its own, named
 *       {@code stk-<pid>-<counter>-<name>} (the JVM's pid, so a later run can tell stale ones apart).
 *       It starts with only {@code lo} (up), rp_filter off, IPv6 DAD/RA/router solicitations off and
 *       forwarding off.</li>
 *   <li>Every {@linkplain #segment segment} is a Linux bridge (STP and multicast snooping off) inside one
 *       dedicated <em>switch</em> namespace that the lab creates for itself; IPv6 is disabled there and
 *       bridge-netfilter is switched off, so the switch is a dumb L2 wire that filters nothing.</li>
 *   <li>{@linkplain #attach Attaching} a host creates a veth pair from inside the host's namespace with its
 *       peer placed straight into the switch namespace and enslaved to the bridge. The host end gets the
 *       test's interface name (e.g. {@code eth0}) and addresses.</li>
 * </ul>
 * Nothing is ever created in the root namespace: every {@code ip} call runs with {@code -n <netns>} or
 * under {@code ip netns exec}, and addresses are restricted to the documentation/test ranges (see
 * {@link LabAddresses}). The namespaces have no link to the outside, so probes cannot leave the lab.
 *
 * <h2>Traffic</h2>
 * A small Python helper ({@code netprobe.py}, loaded from the classpath) runs inside the namespaces:
 * {@link #listen} starts one dual-stack listener process per call, {@link #probe} runs a batch of
 * TCP/UDP/ICMP probes concurrently in one process and reports one line per probe, and
 * {@link #packetSession} keeps one injector running that sends single crafted packets on request and
 * reports what came back (for tests that read the kernel's rule counters between the two), and
 * {@link #shell} keeps a shell in a namespace for tests that run many short commands there.
 *
 * <h2>Cleanup</h2>
 * {@link #close()} kills every process the lab started, with everything those started
 * ({@link Commands#kill}), and deletes every namespace it created, even after failures; it is
 * idempotent and also runs from a JVM shutdown hook. {@link #create()} deletes {@code stk-*} namespaces (and {@code stockade-netns-<pid>-*} scratch
 * directories) whose owning pid is dead, i.e. what crashed runs left behind. Helper processes of a crashed
 * run exit by themselves: a listener stops when its stdin (a pipe from this JVM) reaches EOF.
 *
 * <p>Every command has a timeout and every wait is bounded.
 */
public final class NetnsLab implements AutoCloseable {

    /** Every namespace any lab creates starts with this. */
    public static final String NAMESPACE_PREFIX = "stk-";
    /** How long {@link #exec} (and every internal command) may run before it is killed. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Per-probe timeouts handed to the helper, in seconds. */
    public static final double TCP_TIMEOUT_SECONDS = 1.5;

    public static final double UDP_TIMEOUT_SECONDS = 1.5;
    public static final double ICMP_TIMEOUT_SECONDS = 2.0;

    private static final String SCRIPT_RESOURCE = "netprobe.py";
    private static final String SCRATCH_PREFIX = "stockade-netns-";
    private static final Pattern SCRATCH_OWNER = Pattern.compile(Pattern.quote(SCRATCH_PREFIX) + "(\\d+)-.*");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final long LISTENER_MAX_SECONDS = 1800;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,23}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern OWNER_PID = Pattern.compile(Pattern.quote(NAMESPACE_PREFIX) + "(\\d+)-.*");

    private final LabTools tools;
    private final String prefix;
    private final Path workDir;
    private final Path script;
    private final String switchNetns;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final AtomicInteger bridgeCounter = new AtomicInteger();
    private final AtomicInteger portCounter = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "stockade-netns-lab-cleanup");

    private NetnsLab(LabTools tools) throws IOException {
        this.tools = tools;
        this.prefix = NAMESPACE_PREFIX + ProcessHandle.current().pid() + "-";
        this.workDir = Files.createTempDirectory(
                SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
        this.script = copyScript(workDir);
        this.switchNetns = prefix + COUNTER.incrementAndGet() + "-switch";
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Creates a lab, after checking that this machine can host one (root; {@code ip},
     * {@code iptables-restore}, {@code ip6tables-restore}, {@code python3}; namespaces can be created).
     * When it cannot, the calling test fails with an {@link AssertionError} if the environment variable
     * {@code CI=true}, and is aborted (skipped, with a loud message on stderr) otherwise. Stale
     * {@code stk-} namespaces of dead processes are deleted first.
     */
    public static NetnsLab create() {
        List<String> problems = new ArrayList<>();
        LabTools tools = LabTools.discover(problems).orElse(null);
        if (tools == null) {
            return unavailable(problems);
        }
        sweepStale(tools);
        sweepStaleScratchDirs();
        NetnsLab lab;
        try {
            lab = new NetnsLab(tools);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the netns lab's scratch directory", e);
        }
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        return lab.startSwitch();
    }

    private NetnsLab startSwitch() {
        ExecResult result = addNamespace(switchNetns);
        if (!result.ok()) {
            closeQuietly();
            return unavailable(List.of("cannot create a network namespace (" + switchNetns + "): "
                    + result.stderr().strip()));
        }
        configure(switchNetns, SWITCH_SYSCTLS);
        return this;
    }

    private static NetnsLab unavailable(List<String> problems) {
        String message = "\n******************************************************************\n"
                + "*** NETNS LAB UNAVAILABLE: kernel-level firewall tests NOT RUN ***\n"
                + problems.stream().map(p -> "***   - " + p).collect(Collectors.joining("\n"))
                + "\n*** (needs root on Linux with iproute2, iptables and python3;   ***"
                + "\n***  with CI=true this is a failure instead of a skip)         ***"
                + "\n******************************************************************";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        return Assumptions.abort(message);
    }

    /**
     * Stops every process this lab started and deletes every namespace it created. Safe to call more than
     * once and after failures.
     *
     * @throws AssertionError (after cleaning up all it could) when a namespace could not be deleted
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<String> failures = cleanUp();
        removeShutdownHook();
        if (!failures.isEmpty()) {
            throw new AssertionError("netns lab cleanup incomplete: " + failures);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException | AssertionError e) {
            System.err.println("[stockade] " + e.getMessage());
        }
    }

    private List<String> cleanUp() {
        List<String> failures = new ArrayList<>();
        stopProcesses();
        deleteNamespaces(failures);
        deleteRecursively(workDir);
        return failures;
    }

    private void stopProcesses() {
        List<Process> reversed = new ArrayList<>(processes);
        Collections.reverse(reversed);
        reversed.forEach(p -> Commands.stop(p, STOP_GRACE));
    }

    private void deleteNamespaces(List<String> failures) {
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String netns : reversed) {
            run(ipCommand("netns", "delete", netns));
        }
        List<String> left = listNamespaces(tools.ip());
        reversed.stream().filter(left::contains).forEach(ns -> failures.add("namespace still present: " + ns));
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are running inside the hook
        }
    }

    // ------------------------------------------------------------------ topology

    /** Creates a host: a fresh namespace with {@code lo} up and the quiet, non-forwarding sysctls. */
    public Host host(String name) {
        requireOpen();
        requireRoleName(name);
        String netns = prefix + COUNTER.incrementAndGet() + "-" + name;
        requireOk(addNamespace(netns), "create namespace " + netns);
        configure(netns, HOST_SYSCTLS);
        ipIn(netns, "link", "set", "lo", "up");
        return new Host(name, netns);
    }

    /**
     * Deletes {@code host}'s namespace now rather than at {@link #close()}, for tests that go through
     * many short-lived hosts. Stop whatever runs in it first: a process inside keeps the namespace
     * alive, anonymously.
     *
     * @throws AssertionError when the namespace could not be deleted (then {@link #close()} tries again)
     */
    public void delete(Host host) {
        requireOpen();
        if (!namespaces.contains(host.netns()) || host.netns().equals(switchNetns)) {
            throw new IllegalArgumentException("not a host of this lab: " + host);
        }
        requireOk(run(ipCommand("netns", "delete", host.netns())), "delete namespace " + host.netns());
        namespaces.remove(host.netns());
    }

    /** Creates an L2 segment: a bridge in the lab's switch namespace. */
    public Segment segment(String name) {
        requireOpen();
        requireRoleName(name);
        String bridge = "br" + bridgeCounter.incrementAndGet();
        ipIn(switchNetns, "link", "add", bridge, "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
        ipIn(switchNetns, "link", "set", bridge, "up");
        return new Segment(name, bridge);
    }

    /**
     * Plugs {@code host} into {@code segment} with a veth pair: {@code ifname} inside the host, the peer a
     * port of the segment's bridge. Each of {@code cidrs} (e.g. "198.51.100.11/24", "2001:db8::11/64") is
     * added (v6 with nodad), then the link is brought up.
     */
    public void attach(Host host, String ifname, Segment segment, String... cidrs) {
        requireOpen();
        requireIfname(ifname);
        String port = "p" + portCounter.incrementAndGet();
        ipIn(host.netns(), "link", "add", ifname, "type", "veth", "peer", "name", port, "netns", switchNetns);
        ipIn(switchNetns, "link", "set", port, "master", segment.bridge());
        ipIn(switchNetns, "link", "set", port, "up");
        for (String cidr : cidrs) {
            addAddress(host, ifname, cidr);
        }
        ipIn(host.netns(), "link", "set", ifname, "up");
    }

    /** Adds one more address (v6 with nodad) to an interface of {@code host}. */
    public void addAddress(Host host, String ifname, String cidr) {
        requireOpen();
        if (LabAddresses.requireAllowedCidr(cidr)) {
            ipIn(host.netns(), "-6", "address", "add", cidr, "dev", ifname, "nodad");
        } else {
            ipIn(host.netns(), "-4", "address", "add", cidr, "dev", ifname);
        }
    }

    /**
     * Adds many addresses to one interface of {@code host} in one {@code ip -batch} run, each checked as
     * by {@link #addAddress} (v6 with nodad).
     */
    public void addAddresses(Host host, String ifname, Collection<String> cidrs) {
        requireOpen();
        requireIfname(ifname);
        List<String> lines = new ArrayList<>();
        for (String cidr : cidrs) {
            boolean v6 = LabAddresses.requireAllowedCidr(cidr);
            lines.add("address add " + cidr + " dev " + ifname + (v6 ? " nodad" : ""));
        }
        batch(host, lines, "add " + lines.size() + " addresses to " + ifname);
    }

    /**
     * Adds an IPv6 link-local address (inside fe80::/10, written without a length, e.g. {@code fe80::547})
     * to an interface of {@code host}, as /64 with nodad: for tests that send from link-local sources
     * (see {@link CraftedPacket}). Link-local addresses never leave their link.
     */
    public void addLinkLocal(Host host, String ifname, String address) {
        requireOpen();
        requireIfname(ifname);
        LabAddresses.requireLinkLocal(address);
        ipIn(host.netns(), "-6", "address", "add", address + "/64", "dev", ifname, "nodad");
    }

    /** Removes every global-scope address of an interface of {@code host} (host and link scope stay). */
    public void flushGlobalAddresses(Host host, String ifname) {
        requireOpen();
        requireIfname(ifname);
        ipIn(host.netns(), "address", "flush", "dev", ifname, "scope", "global");
    }

    /**
     * Renames interfaces of {@code host} (each {@code from[i]} becomes {@code to[i]}, in one {@code ip
     * -batch} run: down, through temporary names so that names may swap, up again). IPv4 addresses
     * stay; global IPv6 addresses only where the host keeps them on down
     * ({@code net.ipv6.conf.all.keep_addr_on_down=1}); link-local ones never do.
     */
    public void renameInterfaces(Host host, List<String> from, List<String> to) {
        requireOpen();
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("rename " + from + " to " + to);
        }
        from.forEach(NetnsLab::requireIfname);
        to.forEach(NetnsLab::requireIfname);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            lines.add("link set dev " + from.get(i) + " down");
            lines.add("link set dev " + from.get(i) + " name stk-rename" + i);
        }
        for (int i = 0; i < to.size(); i++) {
            lines.add("link set dev stk-rename" + i + " name " + to.get(i));
            lines.add("link set dev " + to.get(i) + " up");
        }
        batch(host, lines, "rename " + from + " to " + to);
    }

    /**
     * Deletes every connection tracking entry of {@code host} (both families), so that the next
     * packet of any flow is the first again.
     */
    public void flushConntrack(Host host) {
        requireOpen();
        ExecResult result = exec(host, tools.python().toString(), script.toString(), "ctflush");
        requireOk(result, "flush conntrack in " + host.netns());
    }

    /** Runs {@code ip -n NETNS -batch FILE} with one command per line. */
    private void batch(Host host, List<String> lines, String what) {
        if (lines.isEmpty()) {
            return;
        }
        Path file = writeScratch(String.join("\n", lines), "ip.batch");
        try {
            ipIn(host.netns(), "-batch", file.toString());
        } catch (AssertionError e) {
            throw new AssertionError("netns lab: " + what + " in " + host.netns() + " failed", e);
        } finally {
            Commands.deleteQuietly(file);
        }
    }

    /**
     * Adds (or replaces) a device route. The family follows {@code destCidr}; {@code "default"} installs
     * the default route for <em>both</em> families (use {@link #routeV4}/{@link #routeV6} for just one).
     */
    public void route(Host host, String destCidr, String dev) {
        if (destCidr.equals("default")) {
            routeV4(host, destCidr, dev);
            routeV6(host, destCidr, dev);
        } else if (Probe.isV6(destCidr)) {
            routeV6(host, destCidr, dev);
        } else {
            routeV4(host, destCidr, dev);
        }
    }

    /** {@code ip -4 route replace DEST dev DEV} inside {@code host}; DEST may be "default". */
    public void routeV4(Host host, String destCidr, String dev) {
        requireOpen();
        ipIn(host.netns(), "-4", "route", "replace", destCidr, "dev", dev);
    }

    /** {@code ip -6 route replace DEST dev DEV} inside {@code host}; DEST may be "default". */
    public void routeV6(Host host, String destCidr, String dev) {
        requireOpen();
        ipIn(host.netns(), "-6", "route", "replace", destCidr, "dev", dev);
    }

    /** Forgets every learnt ARP / NDP neighbour of {@code host}, so the next packet must resolve again. */
    public void flushNeighbours(Host host) {
        requireOpen();
        ipIn(host.netns(), "-4", "neigh", "flush", "all");
        ipIn(host.netns(), "-6", "neigh", "flush", "all");
    }

    /** The MAC address of {@code ifname} in {@code host}, e.g. "0a:1b:2c:3d:4e:5f". */
    public String macAddress(Host host, String ifname) {
        requireOpen();
        requireIfname(ifname);
        ExecResult result = exec(host, tools.sh().toString(), "-c", "cat /sys/class/net/" + ifname + "/address");
        requireOk(result, "read the MAC address of " + ifname + " in " + host.netns());
        String mac = result.stdout().strip();
        if (!mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new AssertionError("netns lab: odd MAC address of " + ifname + " in " + host.netns() + ": " + mac);
        }
        return mac;
    }

    /**
     * Adds a permanent neighbour entry (ARP or NDP, by the address's family), so packets to
     * {@code address} need no neighbour discovery.
     */
    public void addNeighbour(Host host, String ifname, String address, String mac) {
        requireOpen();
        requireIfname(ifname);
        boolean v6 = LabAddresses.requireAllowedCidr(address + (Probe.isV6(address) ? "/128" : "/32"));
        if (!mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        ipIn(
                host.netns(),
                v6 ? "-6" : "-4",
                "neigh",
                "replace",
                address,
                "lladdr",
                mac,
                "dev",
                ifname,
                "nud",
                "permanent");
    }

    /**
     * Permanent neighbour entries for many addresses on one interface of {@code host} in one
     * {@code ip -batch} run, each checked as by {@link #addNeighbour}.
     *
     * @param macs MAC address per neighbour address
     */
    public void addNeighbours(Host host, String ifname, Map<String, String> macs) {
        requireOpen();
        requireIfname(ifname);
        List<String> lines = new ArrayList<>();
        macs.forEach((address, mac) -> {
            LabAddresses.requireAllowedCidr(address + (Probe.isV6(address) ? "/128" : "/32"));
            if (!mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                throw new IllegalArgumentException("not a MAC address: " + mac);
            }
            lines.add("neigh replace " + address + " lladdr " + mac + " dev " + ifname + " nud permanent");
        });
        batch(host, lines, "add " + lines.size() + " neighbours on " + ifname);
    }

    // ------------------------------------------------------------------ commands and rules

    /** Runs {@code argv} inside {@code host} ({@code ip netns exec}), killed after {@link #COMMAND_TIMEOUT}. */
    public ExecResult exec(Host host, String... argv) {
        requireOpen();
        return run(tools.inNetns(host.netns(), List.of(argv)));
    }

    /**
     * Loads rules files with {@code iptables-restore} / {@code ip6tables-restore} inside {@code host} (each
     * table named in a file is replaced). A null path skips that family.
     *
     * @throws AssertionError with the tool's stderr and the numbered rules when a load fails
     */
    public void loadRules(Host host, Path v4RulesOrNull, Path v6RulesOrNull) {
        if (v4RulesOrNull != null) {
            restore(host, tools.iptablesRestore(), v4RulesOrNull);
        }
        if (v6RulesOrNull != null) {
            restore(host, tools.ip6tablesRestore(), v6RulesOrNull);
        }
    }

    /** Loads an {@code nft -f} file into {@code host}'s namespace. */
    public void loadNft(Host host, Path ruleset) {
        restore(host, tools.nft(), "-f", ruleset);
    }

    /** Like {@link #loadRules} with the rules given as text (restore format); null skips that family. */
    public void loadRuleText(Host host, String v4RulesOrNull, String v6RulesOrNull) {
        loadRules(host, writeScratch(v4RulesOrNull, "v4.rules"), writeScratch(v6RulesOrNull, "v6.rules"));
    }

    private void restore(Host host, Path tool, Path rules) {
        restore(host, tool, null, rules);
    }

    private void restore(Host host, Path tool, String option, Path rules) {
        ExecResult result = option == null
                ? exec(host, tool.toString(), rules.toAbsolutePath().toString())
                : exec(host, tool.toString(), option, rules.toAbsolutePath().toString());
        if (!result.ok()) {
            throw new AssertionError(tool.getFileName() + " " + rules + " failed in " + host.netns()
                    + " (exit " + result.exit() + "):\n" + result.stderr().strip()
                    + "\n--- rules ---\n" + numbered(rules));
        }
    }

    // ------------------------------------------------------------------ traffic

    /**
     * Starts one helper process in {@code host} listening on every given port, dual-stack ("::" with
     * IPV6_V6ONLY=0): TCP connections are accepted (a banner is sent, then closed), UDP datagrams are echoed
     * from the address they were sent to. Returns once the helper reports ready; it is stopped by
     * {@link #close()}.
     */
    public void listen(Host host, Collection<Integer> tcpPorts, Collection<Integer> udpPorts) {
        requireOpen();
        if (tcpPorts.isEmpty() && udpPorts.isEmpty()) {
            throw new IllegalArgumentException("listen needs at least one port");
        }
        Path out = Commands.tempFile(workDir, "listen.out");
        Path err = Commands.tempFile(workDir, "listen.err");
        List<String> argv = List.of(
                tools.python().toString(),
                script.toString(),
                "listen",
                "--tcp",
                joinPorts(tcpPorts),
                "--udp",
                joinPorts(udpPorts),
                "--max-seconds",
                Long.toString(LISTENER_MAX_SECONDS));
        Process process = startProcess(tools.inNetns(host.netns(), argv), out, err);
        awaitReady(host, process, out, err);
    }

    private Process startProcess(List<String> command, Path out, Path err) {
        try {
            Process process = Commands.start(command, out, err);
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Host host, Process process, Path out, Path err) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Commands.read(out).contains("READY")) {
                return;
            }
            if (Commands.waitFor(process, Duration.ofMillis(20))) {
                throw new AssertionError("listener in " + host.netns() + " exited with " + process.exitValue() + ":\n"
                        + Commands.read(err));
            }
        }
        Commands.kill(process);
        throw new AssertionError(
                "listener in " + host.netns() + " not ready after " + READY_TIMEOUT + ":\n" + Commands.read(err));
    }

    /**
     * Runs all {@code probes} concurrently from {@code from} in one helper process; each binds to its
     * {@link Probe#src()} first and gives up after its timeout ({@link #TCP_TIMEOUT_SECONDS} etc.).
     *
     * @return one result per probe, in the same order
     * @throws AssertionError when the helper fails, or a probe could not even start (e.g. src not local)
     */
    public List<ProbeResult> probe(Host from, List<Probe> probes) {
        requireOpen();
        if (probes.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of(
                tools.python().toString(),
                script.toString(),
                "probe",
                "--tcp-timeout",
                Double.toString(TCP_TIMEOUT_SECONDS),
                "--udp-timeout",
                Double.toString(UDP_TIMEOUT_SECONDS),
                "--icmp-timeout",
                Double.toString(ICMP_TIMEOUT_SECONDS)));
        probes.forEach(p -> argv.add(p.spec()));
        ExecResult result = run(tools.inNetns(from.netns(), argv));
        String context = "probe helper in " + from.netns() + ": " + result.describe();
        if (!result.ok()) {
            throw new AssertionError(context);
        }
        return ProbeLines.parse(probes, result.stdout(), context);
    }

    /**
     * One ICMP echo request from {@code src} to {@code dst} (v4 or v6, like {@code ping [-6] -I src -c 1
     * -W 2}); sent by the helper through a raw socket, so no ping binary is needed.
     *
     * @return true when the echo reply came back
     */
    public boolean ping(Host from, String src, String dst) {
        return probe(from, List.of(Probe.icmp(src, dst))).get(0).reached();
    }

    /**
     * Starts a packet injector in {@code from} (the helper's {@code session} mode): it sends single
     * crafted packets of chosen lengths and reports the replies, so a test can read per-rule counters
     * between sending and collecting instead of waiting for timeouts. It is stopped by
     * {@link PacketSession#close()} or {@link #close()}.
     */
    public PacketSession packetSession(Host from) {
        requireOpen();
        Path err = Commands.tempFile(workDir, "session.err");
        List<String> argv =
                tools.inNetns(from.netns(), List.of(tools.python().toString(), script.toString(), "session"));
        Process process;
        try {
            process = Commands.start(new ProcessBuilder(argv).redirectError(err.toFile()));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + argv + ": " + e.getMessage(), e);
        }
        processes.add(process);
        PacketSession session = new PacketSession(from, process, err);
        session.awaitReady();
        return session;
    }

    /**
     * Starts a shell in {@code host} that runs commands sent to it one by one ({@link NetnsShell}), for
     * tests that run many short commands there. It is stopped by {@link NetnsShell#close()} or {@link
     * #close()}.
     */
    public NetnsShell shell(Host host) {
        requireOpen();
        Path err = Commands.tempFile(workDir, "shell.stderr");
        List<String> argv = tools.inNetns(host.netns(), List.of(tools.sh().toString()));
        Process process;
        try {
            process = Commands.start(new ProcessBuilder(argv).redirectError(err.toFile()));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + argv + ": " + e.getMessage(), e);
        }
        processes.add(process);
        return new NetnsShell(host, process, workDir);
    }

    /** Writes {@code text} to a new file in the lab's scratch directory (deleted by {@link #close()}). */
    public Path scratchFile(String text, String suffix) {
        requireOpen();
        return writeScratch(text, suffix);
    }

    /** A running packet injector (see {@link #packetSession}); requests are answered in order, bounded. */
    public final class PacketSession implements AutoCloseable {

        private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
        private static final Pattern REPLY = Pattern.compile("\\{\"i\":(\\d+),\"reply\":\"([a-z0-9-]+)\"}");

        private final Host host;
        private final Process process;
        private final Path err;
        private final Writer stdin;
        private final ChildLines lines;
        private final AtomicInteger requests = new AtomicInteger();
        private int sent;

        private PacketSession(Host host, Process process, Path err) {
            this.host = host;
            this.process = process;
            this.err = err;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.lines = new ChildLines(process, "stockade-packet-session-" + host.name());
        }

        private void awaitReady() {
            String line = next(System.nanoTime() + READY_TIMEOUT.toNanos(), "start");
            if (!line.equals("READY")) {
                fail("did not start: " + line);
            }
        }

        /** Sends every packet, in order, one each. */
        public void send(List<CraftedPacket> packets) {
            StringBuilder sb = new StringBuilder("send");
            packets.forEach(p -> sb.append(' ').append(p.spec()));
            List<String> answer = request(sb);
            if (answer.size() != 1 || !answer.get(0).matches("sent \\S+ " + packets.size())) {
                fail("send answered " + answer);
            }
            sent = packets.size();
        }

        /**
         * What came back for each packet of the last {@link #send}, in order: synack, rst, echo,
         * unreach-TYPE-CODE or none. Waits at most {@code wait} for every packet in {@code awaited}
         * (indexes) to get a reply; the others get what has arrived by then.
         */
        public List<String> collect(Duration wait, Collection<Integer> awaited) {
            String list = awaited.isEmpty()
                    ? "-"
                    : awaited.stream().map(String::valueOf).collect(Collectors.joining(","));
            List<String> answer = request(new StringBuilder("collect")
                    .append(' ')
                    .append(wait.toMillis())
                    .append(' ')
                    .append(list));
            String[] replies = new String[sent];
            for (String line : answer) {
                Matcher m = REPLY.matcher(line);
                if (!m.matches() || Integer.parseInt(m.group(1)) >= sent) {
                    fail("unexpected collect line: " + line);
                }
                replies[Integer.parseInt(m.group(1))] = m.group(2);
            }
            for (int i = 0; i < sent; i++) {
                if (replies[i] == null) {
                    fail("collect gave no line for packet " + i + ": " + answer);
                }
            }
            return List.of(replies);
        }

        /** Writes "VERB ID ARGS" and returns the answer lines up to (without) "end ID". */
        private List<String> request(StringBuilder verbAndArgs) {
            requireOpen();
            String id = Integer.toString(requests.incrementAndGet());
            int space = verbAndArgs.indexOf(" ");
            String line = space < 0
                    ? verbAndArgs + " " + id
                    : verbAndArgs.substring(0, space) + " " + id + verbAndArgs.substring(space);
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                fail("cannot write to the helper: " + e.getMessage());
            }
            long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
            List<String> answer = new ArrayList<>();
            while (true) {
                String got = next(deadline, line);
                if (got.equals("end " + id)) {
                    return answer;
                }
                if (got.startsWith("error ")) {
                    fail("helper failed on '" + line + "': " + got);
                }
                answer.add(got);
            }
        }

        private String next(long deadlineNanos, String what) {
            try {
                return lines.next(deadlineNanos).orElseThrow(() -> failure("no answer in time to '" + what + "'"));
            } catch (EOFException e) {
                throw failure("helper exited during '" + what + "'");
            }
        }

        private void fail(String message) {
            throw failure(message);
        }

        private AssertionError failure(String message) {
            Commands.kill(process);
            return new AssertionError("packet session in " + host.netns() + ": " + message + "\n--- helper stderr ---\n"
                    + Commands.read(err));
        }

        /** Stops the helper (EOF on its stdin, then by handle). Idempotent. */
        @Override
        public void close() {
            Commands.stop(process, STOP_GRACE);
        }
    }

    // ------------------------------------------------------------------ introspection

    /** The prefix shared by every namespace of labs in this JVM: {@code stk-<pid>-}. */
    public String prefix() {
        return prefix;
    }

    /** The namespaces this lab created (switch first), whether or not they still exist. */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Handles of every process the lab started (listeners); all dead after {@link #close()}. */
    public List<ProcessHandle> processes() {
        return processes.stream().map(Process::toHandle).toList();
    }

    /** The namespace holding the segments' bridges. */
    public String switchNetns() {
        return switchNetns;
    }

    /** Names from {@code ip netns list} on this machine (empty when ip is missing or fails). */
    public static List<String> systemNamespaces() {
        List<String> problems = new ArrayList<>();
        return LabTools.discover(problems).map(t -> listNamespaces(t.ip())).orElse(List.of());
    }

    // ------------------------------------------------------------------ internals

    private static final Map<String, String> HOST_SYSCTLS = orderedMap(
            "net/ipv4/ip_forward", "0",
            "net/ipv4/conf/all/rp_filter", "0",
            "net/ipv4/conf/default/rp_filter", "0",
            "net/ipv6/conf/all/disable_ipv6", "0",
            "net/ipv6/conf/default/disable_ipv6", "0",
            "net/ipv6/conf/all/forwarding", "0",
            "net/ipv6/conf/default/forwarding", "0",
            "net/ipv6/conf/all/accept_dad", "0",
            "net/ipv6/conf/default/accept_dad", "0",
            "net/ipv6/conf/default/dad_transmits", "0",
            "net/ipv6/conf/all/accept_ra", "0",
            "net/ipv6/conf/default/accept_ra", "0",
            "net/ipv6/conf/default/router_solicitations", "0");

    /** "?" marks a sysctl that only exists when br_netfilter is loaded. */
    private static final Map<String, String> SWITCH_SYSCTLS = orderedMap(
            "net/ipv4/ip_forward", "0",
            "net/ipv6/conf/all/disable_ipv6", "1",
            "net/ipv6/conf/default/disable_ipv6", "1",
            "?net/bridge/bridge-nf-call-iptables", "0",
            "?net/bridge/bridge-nf-call-ip6tables", "0",
            "?net/bridge/bridge-nf-call-arptables", "0");

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Writes sysctls through /proc/sys inside the namespace (one shell, fails on the first error). */
    private void configure(String netns, Map<String, String> sysctls) {
        StringBuilder sh = new StringBuilder("set -e\n");
        sysctls.forEach((key, value) -> {
            boolean optional = key.startsWith("?");
            String file = "/proc/sys/" + (optional ? key.substring(1) : key);
            sh.append(optional ? "if [ -e " + file + " ]; then " : "")
                    .append("echo ")
                    .append(value)
                    .append(" > ")
                    .append(file)
                    .append(optional ? "; fi\n" : "\n");
        });
        requireOk(
                run(tools.inNetns(netns, List.of(tools.sh().toString(), "-c", sh.toString()))),
                "configure sysctls in " + netns);
    }

    private ExecResult addNamespace(String netns) {
        namespaces.add(netns); // registered first: close() tries to delete it whatever happens next
        return run(ipCommand("netns", "add", netns));
    }

    /** {@code ip -n NETNS args...}, failing loudly. */
    private void ipIn(String netns, String... args) {
        List<String> command = ipCommand("-n", netns);
        command.addAll(List.of(args));
        requireOk(run(command), "ip " + String.join(" ", command.subList(1, command.size())));
    }

    private List<String> ipCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(tools.ip().toString());
        command.addAll(List.of(args));
        return command;
    }

    private ExecResult run(List<String> command) {
        return Commands.run(command, COMMAND_TIMEOUT, Files.isDirectory(workDir) ? workDir : null);
    }

    private static void requireOk(ExecResult result, String what) {
        if (!result.ok()) {
            throw new AssertionError("netns lab: " + what + " failed: " + result.describe());
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("netns lab is closed");
        }
    }

    private static void requireRoleName(String name) {
        if (!ROLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + ROLE_NAME + ": " + name);
        }
    }

    private static void requireIfname(String ifname) {
        if (!IFNAME.matcher(ifname).matches()) {
            throw new IllegalArgumentException("interface names are 1-15 chars of [A-Za-z0-9_.-]: " + ifname);
        }
    }

    private static String joinPorts(Collection<Integer> ports) {
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private Path writeScratch(String text, String suffix) {
        if (text == null) {
            return null;
        }
        Path file = Commands.tempFile(workDir, suffix);
        try {
            return Files.writeString(file, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String numbered(Path rules) {
        List<String> lines = Commands.read(rules).lines().toList();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(String.format("%4d  %s%n", i + 1, lines.get(i)));
        }
        return sb.toString();
    }

    private static Path copyScript(Path dir) throws IOException {
        try (InputStream in = NetnsLab.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IOException("classpath resource dev/stockade/testing/" + SCRIPT_RESOURCE + " missing");
            }
            Path file = dir.resolve(SCRIPT_RESOURCE);
            Files.copy(in, file);
            return file;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Commands::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stockade] cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /** Deletes {@code stk-<pid>-...} namespaces whose pid is not a live process (left by crashed runs). */
    private static void sweepStale(LabTools tools) {
        for (String netns : listNamespaces(tools.ip())) {
            Matcher m = OWNER_PID.matcher(netns);
            if (m.matches() && !ownerAlive(m.group(1))) {
                ExecResult result =
                        Commands.run(List.of(tools.ip().toString(), "netns", "delete", netns), COMMAND_TIMEOUT, null);
                System.err.println(
                        "[stockade] swept stale namespace " + netns + (result.ok() ? "" : ": " + result.stderr()));
            }
        }
    }

    /** Deletes {@code stockade-netns-<pid>-*} scratch directories of dead pids in the temp directory. */
    private static void sweepStaleScratchDirs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
            dirs.filter(dir -> {
                        Matcher m = SCRATCH_OWNER.matcher(dir.getFileName().toString());
                        return m.matches() && !ownerAlive(m.group(1)) && Files.isDirectory(dir);
                    })
                    .forEach(NetnsLab::deleteRecursively);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stockade] cannot sweep " + tmp + ": " + e.getMessage());
        }
    }

    private static boolean ownerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid))
                    .map(ProcessHandle::isAlive)
                    .orElse(false);
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }

    private static List<String> listNamespaces(Path ip) {
        ExecResult result = Commands.run(List.of(ip.toString(), "netns", "list"), COMMAND_TIMEOUT, null);
        return result.stdout()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0])
                .toList();
    }
}
