package dev.stockade.testing.etcd;

import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd cluster for tests: one {@code /usr/bin/etcd} member per {@link NetnsLab} host, configured
 * only through {@code ETCD_*} environment variables (the way a node's systemd unit / Ignition config
 * would), plus {@code etcdctl} run from any host of the lab.
 *
 * <h2>Members</h2>
 * Each member is started (by {@link Commands#start}, in a session of its own) as {@code ip netns exec
 * <netns> /usr/bin/etcd} with no arguments and an environment made of exactly the caller's map, {@code
 * PATH} and {@code HOME} from the JVM (if set), and {@code ETCD_DATA_DIR}, which is always overridden
 * with a fresh, empty 0700 directory under the work directory. Neither {@code setsid} nor {@code ip
 * netns exec} forks, so each {@link Process} handle <em>is</em> the etcd process. Its stdout and
 * stderr go to one log file per member ({@link #logFile}), which is kept after {@link #close()} for
 * post-mortems; the data directories are deleted.
 *
 * <h2>Cleanup</h2>
 * {@link #close()} sends SIGTERM to each member in turn (reverse start order) through its handle,
 * SIGKILLs it and anything it started ({@link Commands#kill}) if it still runs after {@link
 * #STOP_GRACE}, and deletes the data directories; it is idempotent and also runs from a JVM shutdown
 * hook. Processes are never looked up or killed by name. In case the JVM itself is killed, every
 * member's pid and start time are recorded under {@code $java.io.tmpdir/stockade-etcd-pids/}; the next
 * {@link #start} kills a recorded member whose JVM is gone if, and only if, that pid still has the
 * recorded start time and runs an {@code etcd} binary. Close the cluster <em>before</em> the lab: a
 * process inside a deleted namespace keeps that namespace alive, anonymously.
 *
 * <p>Every wait is bounded: {@link #awaitHealthy} by {@link #HEALTHY_TIMEOUT}, each {@link #etcdctl} by
 * its own {@code --dial-timeout=3s --command-timeout=5s} and by {@link NetnsLab#COMMAND_TIMEOUT}.
 */
public final class EtcdCluster implements AutoCloseable {

    /** The etcd server binary (Debian's etcd-server package); system property {@code stockade.etcd} overrides. */
    public static final Path ETCD = Path.of(System.getProperty("stockade.etcd", "/usr/bin/etcd"));
    /** The etcdctl binary (Debian's etcd-client package); system property {@code stockade.etcdctl} overrides. */
    public static final Path ETCDCTL = Path.of(System.getProperty("stockade.etcdctl", "/usr/bin/etcdctl"));
    /** How long {@link #awaitHealthy} waits at most. */
    public static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #close()} waits after SIGTERM before it sends SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Lines returned by {@link #logTail}. */
    public static final int TAIL_LINES = 40;

    private static final Duration POLL = Duration.ofMillis(250);
    private static final List<String> IP_CANDIDATES = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
    private static final Path PID_REGISTRY = Path.of(System.getProperty("java.io.tmpdir"), "stockade-etcd-pids");
    private static final String WORK_DIR_PREFIX = "stockade-etcd-";
    private static final String CTL_DIAL_TIMEOUT = "--dial-timeout=3s";
    private static final String CTL_COMMAND_TIMEOUT = "--command-timeout=5s";

    private final NetnsLab lab;
    private final Map<Host, Member> members = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "stockade-etcd-cleanup");

    /**
     * One running member.
     *
     * @param pidFile its entry in the pid registry, or null when the start time was unknown
     */
    private record Member(Host host, Process process, Path dataDir, Path logFile, Path pidFile) {}

    private EtcdCluster(NetnsLab lab) {
        this.lab = lab;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts one etcd member per entry of {@code envPerMember}, all at once (an initial cluster needs all
     * its members to come up together), and returns without waiting: call {@link #awaitHealthy} next.
     *
     * @param lab          the lab whose hosts run the members (and later etcdctl)
     * @param envPerMember each member's complete {@code ETCD_*} environment; {@code ETCD_DATA_DIR} is overridden
     * @param workDir      an existing directory for data directories and log files
     * @throws AssertionError when a member cannot be started (already started members are stopped)
     */
    public static EtcdCluster start(NetnsLab lab, Map<Host, Map<String, String>> envPerMember, Path workDir) {
        if (envPerMember.isEmpty()) {
            throw new IllegalArgumentException("an etcd cluster needs at least one member");
        }
        requireBinaries();
        sweepStaleMembers();
        Path ip = ipBinary();
        EtcdCluster cluster = new EtcdCluster(lab);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            envPerMember.forEach((host, env) -> cluster.startMember(ip, host, env, workDir));
        } catch (RuntimeException | AssertionError e) {
            cluster.closeQuietly();
            throw e;
        }
        return cluster;
    }

    private void startMember(Path ip, Host host, Map<String, String> env, Path workDir) {
        if (members.containsKey(host)) {
            throw new IllegalArgumentException("two members on one host: " + host);
        }
        Path dataDir;
        Path logFile;
        try {
            dataDir = Files.createTempDirectory(workDir, "etcd-data-" + host.name() + "-"); // 0700, empty
            logFile = Files.createTempFile(workDir, "etcd-" + host.name() + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + workDir + " for etcd member " + host.name(), e);
        }
        try {
            launch(ip, host, env, dataDir, logFile);
        } catch (AssertionError e) {
            deleteRecursively(dataDir);
            throw e;
        }
    }

    /** Starts etcd on {@code host} with {@code dataDir}, appending to {@code logFile}, and records it. */
    private void launch(Path ip, Host host, Map<String, String> env, Path dataDir, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(ip.toString(), "netns", "exec", host.netns(), ETCD.toString())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> environment = builder.environment();
        environment.clear();
        copyFromJvm(environment, "PATH");
        copyFromJvm(environment, "HOME");
        environment.putAll(env);
        environment.put("ETCD_DATA_DIR", dataDir.toString());
        Process process;
        try {
            process = Commands.start(builder);
        } catch (IOException e) {
            throw new AssertionError("cannot start etcd in " + host.netns() + ": " + e.getMessage(), e);
        }
        members.put(host, new Member(host, process, dataDir, logFile, register(process)));
    }

    // ------------------------------------------------------------------ membership changes

    /**
     * Starts one more member on {@code host}, with a fresh data directory, to join the running cluster
     * (after {@code etcdctl member add}); returns without waiting, like {@link #start}.
     */
    public void join(Host host, Map<String, String> env, Path workDir) {
        requireOpen();
        startMember(ipBinary(), host, env, workDir);
    }

    /**
     * Waits at most {@code timeout} for the member on {@code host} to exit by itself, as etcd does once
     * it has been removed from the cluster; stops it otherwise. Either way it is no longer one of the
     * members afterwards (its log is kept, its data directory deleted).
     *
     * @return whether it exited by itself
     */
    public boolean awaitRemoved(Host host, Duration timeout) {
        requireOpen();
        Member m = member(host);
        boolean exited = waitFor(m.process(), timeout);
        String failure = stop(m);
        members.remove(host);
        deleteRecursively(m.dataDir());
        if (failure != null) {
            throw new AssertionError(failure);
        }
        return exited;
    }

    /**
     * Stops the member on {@code host} and starts it again with {@code env} and the same data directory,
     * as a node restarts etcd (e.g. to load a new CRL); returns without waiting.
     */
    public void restart(Host host, Map<String, String> env) {
        requireOpen();
        Member m = member(host);
        String failure = stop(m);
        if (failure != null) {
            throw new AssertionError(failure);
        }
        members.remove(host);
        launch(ipBinary(), host, env, m.dataDir(), m.logFile());
    }

    /**
     * A fresh work directory for {@link #start}, {@code $java.io.tmpdir/stockade-etcd-<jvm pid>-*}. The
     * same call first deletes such directories left by JVMs that are gone (killed before their cleanup
     * ran). Delete it with {@link #deleteWorkDir} after {@link #close()}.
     */
    public static Path createWorkDir() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
            dirs.filter(Files::isDirectory)
                    .filter(dir -> {
                        String[] parts = dir.getFileName().toString().split("-");
                        return parts.length >= 4
                                && dir.getFileName().toString().startsWith(WORK_DIR_PREFIX)
                                && parts[2].matches("\\d{1,10}")
                                && !alive(Long.parseLong(parts[2]));
                    })
                    .forEach(EtcdCluster::deleteRecursively);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stockade] cannot sweep " + tmp + ": " + e.getMessage());
        }
        try {
            return Files.createTempDirectory(
                    WORK_DIR_PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an etcd work directory", e);
        }
    }

    /** Deletes a work directory (data directories, logs and whatever the test put there); null is ignored. */
    public static void deleteWorkDir(Path workDir) {
        if (workDir != null) {
            deleteRecursively(workDir);
        }
    }

    /**
     * Waits until {@code etcdctl endpoint health --cluster} succeeds from {@code client} (every member in
     * the member list answers on its advertised client URLs, so they must be reachable from {@code client}),
     * polling every 250 ms. Gives up after {@link #HEALTHY_TIMEOUT} plus the attempt in flight (an attempt
     * against a member that is not serving yet takes up to the 5 s command timeout).
     *
     * @throws AssertionError with the last etcdctl output and every member's log tail when the cluster is
     *                        not healthy in time, or as soon as a member process exits
     */
    public void awaitHealthy(Host client, String endpoint, TlsClient tls) {
        requireOpen();
        long start = System.nanoTime();
        long deadline = start + HEALTHY_TIMEOUT.toNanos();
        ExecResult last = null;
        int attempts = 0;
        while (true) {
            List<String> exited = members.values().stream()
                    .filter(m -> !m.process().isAlive())
                    .map(m -> m.host().name() + " (exit " + m.process().exitValue() + ")")
                    .toList();
            if (!exited.isEmpty()) {
                throw new AssertionError("etcd member(s) exited while waiting for a healthy cluster: " + exited
                        + lastAttempt(last) + "\n" + describeMembers());
            }
            last = etcdctl(client, endpoint, tls, "endpoint", "health", "--cluster");
            attempts++;
            if (last.ok()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("etcd cluster not healthy from " + client.name() + " via " + endpoint
                        + " after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms ("
                        + attempts + " attempts)" + lastAttempt(last) + "\n" + describeMembers());
            }
            sleep(POLL);
        }
    }

    /**
     * Runs {@code ETCDCTL_API=3 etcdctl --endpoints=ENDPOINT --dial-timeout=3s --command-timeout=5s
     * [--cacert --cert --key] ARGS...} inside {@code from}. The environment is cleared first ({@code env -i}),
     * so no {@code ETCDCTL_*} variable of the JVM can leak in.
     */
    public ExecResult etcdctl(Host from, String endpoint, TlsClient tls, String... args) {
        requireOpen();
        List<String> argv = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        Optional.ofNullable(System.getenv("PATH")).ifPresent(p -> argv.add("PATH=" + p));
        Optional.ofNullable(System.getenv("HOME")).ifPresent(h -> argv.add("HOME=" + h));
        argv.add("ETCDCTL_API=3");
        argv.add(ETCDCTL.toString());
        argv.add("--endpoints=" + endpoint);
        argv.add(CTL_DIAL_TIMEOUT);
        argv.add(CTL_COMMAND_TIMEOUT);
        if (tls != null) {
            addFlag(argv, "--cacert=", tls.caFile());
            addFlag(argv, "--cert=", tls.certFile());
            addFlag(argv, "--key=", tls.keyFile());
        }
        argv.addAll(List.of(args));
        return lab.exec(from, argv.toArray(String[]::new));
    }

    /** The last {@link #TAIL_LINES} lines of {@code member}'s log (stdout and stderr together). */
    public String logTail(Host member) {
        List<String> lines = read(member(member).logFile()).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /** The whole log of {@code member} so far. */
    public String log(Host member) {
        return read(member(member).logFile());
    }

    /** Where {@code member}'s stdout and stderr go; kept after {@link #close()}. */
    public Path logFile(Host member) {
        return member(member).logFile();
    }

    /** {@code member}'s data directory (deleted by {@link #close()}). */
    public Path dataDir(Host member) {
        return member(member).dataDir();
    }

    /** The hosts running a member, in start order. */
    public List<Host> members() {
        return List.copyOf(members.keySet());
    }

    /** Handles of the member processes (the etcd processes themselves), in start order. */
    public List<ProcessHandle> processes() {
        return members.values().stream().map(m -> m.process().toHandle()).toList();
    }

    /**
     * Stops every member, one at a time (SIGTERM through its handle, SIGKILL after {@link #STOP_GRACE})
     * and deletes the data directories. Idempotent. Call it before {@link NetnsLab#close()}.
     *
     * @throws AssertionError (after cleaning up all it could) when a member survived SIGKILL
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<String> failures = stopAll();
        members.values().forEach(m -> deleteRecursively(m.dataDir()));
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are running inside the hook
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("etcd cluster cleanup incomplete: " + failures);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException | AssertionError e) {
            System.err.println("[stockade] " + e.getMessage());
        }
    }

    /**
     * Stops the members one after the other, in reverse start order. Not all at once: a leader that gets
     * SIGTERM first hands its leadership to the longest-connected peer and waits (up to etcd's request
     * timeout, 7 s by default) until that peer has taken over, which never happens when the peer is
     * stopping too. One at a time, a leader always finds a live peer to hand over to, or (being the last)
     * none at all, and then etcd skips the transfer; either way each member exits within milliseconds.
     */
    private List<String> stopAll() {
        List<Member> all = new ArrayList<>(members.values());
        Collections.reverse(all);
        List<String> failures = new ArrayList<>();
        for (Member m : all) {
            String failure = stop(m);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    /** SIGTERM, SIGKILL after {@link #STOP_GRACE}; null when it is gone, else what survived. */
    private static String stop(Member m) {
        Process p = m.process();
        if (p.isAlive()) {
            p.destroy(); // SIGTERM
            if (!waitFor(p, STOP_GRACE)) {
                System.err.println("[stockade] etcd member " + m.host().name() + " (pid " + p.pid()
                        + ") ignored SIGTERM for " + STOP_GRACE.toSeconds() + " s; sending SIGKILL");
            }
        }
        List<ProcessHandle> left = Commands.kill(p); // and whatever it started
        if (!left.isEmpty()) {
            return "etcd member " + m.host().name() + " (pid " + p.pid() + "): "
                    + left.stream().map(h -> Long.toString(h.pid())).toList() + " survived SIGKILL";
        }
        if (m.pidFile() != null) {
            deleteQuietly(m.pidFile());
        }
        return null;
    }

    // ------------------------------------------------------------------ stale members of killed JVMs

    /** Records pid and start time of a member, so a later run can kill it if this JVM dies without cleanup. */
    private static Path register(Process process) {
        Optional<Instant> started = process.toHandle().info().startInstant();
        if (started.isEmpty()) {
            return null;
        }
        try {
            Files.createDirectories(PID_REGISTRY);
            Path file = PID_REGISTRY.resolve(ProcessHandle.current().pid() + "-" + process.pid());
            Files.writeString(file, Long.toString(started.get().toEpochMilli()), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            System.err.println("[stockade] cannot record etcd pid " + process.pid() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Kills recorded members whose JVM is dead, but only when the pid still has the recorded start time and
     * runs an etcd binary (so a recycled pid is never touched).
     */
    private static void sweepStaleMembers() {
        if (!Files.isDirectory(PID_REGISTRY)) {
            return;
        }
        try (Stream<Path> files = Files.list(PID_REGISTRY)) {
            for (Path file : files.toList()) {
                String[] pids = file.getFileName().toString().split("-");
                if (pids.length != 2 || !pids[0].matches("\\d{1,10}") || !pids[1].matches("\\d{1,10}")) {
                    continue;
                }
                if (alive(Long.parseLong(pids[0]))) {
                    continue; // its JVM is still running and will clean up itself
                }
                String started = read(file).strip();
                ProcessHandle.of(Long.parseLong(pids[1]))
                        .filter(ProcessHandle::isAlive)
                        .filter(h -> h.info()
                                .startInstant()
                                .map(i -> Long.toString(i.toEpochMilli()).equals(started))
                                .orElse(false))
                        .filter(h -> runsEtcd(h.pid()))
                        .ifPresent(h -> {
                            System.err.println(
                                    "[stockade] killing stale etcd member pid " + h.pid() + " of dead JVM " + pids[0]);
                            h.destroyForcibly();
                        });
                deleteQuietly(file);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stockade] cannot sweep " + PID_REGISTRY + ": " + e.getMessage());
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean runsEtcd(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"))
                    .getFileName()
                    .toString()
                    .equals("etcd");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ internals

    private static void requireBinaries() {
        List<String> missing = Stream.of(ETCD, ETCDCTL)
                .filter(p -> !Files.isExecutable(p))
                .map(Path::toString)
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "\n*** ETCD UNAVAILABLE: etcd cluster tests NOT RUN (missing " + missing
                + "; Debian: apt-get install etcd-server etcd-client; with CI=true this is a failure) ***";
        System.err.println(message);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    private static Path ipBinary() {
        return IP_CANDIDATES.stream()
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ip binary in " + IP_CANDIDATES));
    }

    private Member member(Host host) {
        Member m = members.get(host);
        if (m == null) {
            throw new IllegalArgumentException("not a member of this cluster: " + host);
        }
        return m;
    }

    private String describeMembers() {
        return members.values().stream()
                .map(m -> {
                    Process p = m.process();
                    String state = p.isAlive() ? "running" : "exited with " + p.exitValue();
                    return "--- etcd member " + m.host().name() + " (pid " + p.pid() + ", " + state + ", log "
                            + m.logFile() + "), last " + TAIL_LINES + " lines ---\n" + logTail(m.host());
                })
                .collect(Collectors.joining("\n"));
    }

    private static String lastAttempt(ExecResult last) {
        return last == null ? "" : "\nlast etcdctl attempt: " + last.describe();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("etcd cluster is closed");
        }
    }

    private static void addFlag(List<String> argv, String flag, Path file) {
        if (file != null) {
            argv.add(flag + file.toAbsolutePath());
        }
    }

    private static void copyFromJvm(Map<String, String> environment, String name) {
        String value = System.getenv(name);
        if (value != null) {
            environment.put(name, value);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for etcd", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "[stockade] cannot read " + file + ": " + e.getMessage();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(EtcdCluster::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[stockade] cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
