package dev.stockade.apply;

import dev.stockade.analysis.RulesetDiff;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.provision.EtcdPaths;
import dev.stockade.provision.NodePlanner;
import dev.stockade.provision.ProvisionedFile;
import dev.stockade.report.InputException;
import dev.stockade.ssh.SshException;
import dev.stockade.ssh.SshSession;
import dev.stockade.ssh.SshTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One node's change, commit-confirmed: read the live rules and where the operator's connection
 * comes from; compare live and planned rules as packet sets; refuse a plan that would not accept
 * that connection (unless allowed); stage the files and the previous rules on the node, arm the
 * rollback timer, check and load the new rules; then confirm over a new connection, and only then
 * persist them. {@link NodeProtocol} holds the commands; this class decides.
 */
public final class NodeApply {

    /** How a node's change ended. */
    public enum Outcome {
        /** Dry run: what would change. */
        PLANNED,
        /** The live rules already are the plan (as packet sets): nothing was done. */
        UNCHANGED,
        /** Loaded, confirmed over a new connection, persisted. */
        CONFIRMED,
        /** The live rules already were the plan; files were delivered over SSH ({@code pki.deliver: ssh}). */
        DELIVERED,
        /** Loaded, not confirmed: the node restored its previous rules by itself. */
        ROLLED_BACK,
        /** The lockout proof refused the plan: nothing was done. */
        REFUSED,
        /** Something failed before the rules changed: nothing was done (or what was done was undone). */
        FAILED,
        /** Not reached: the rollout stopped before this node. */
        UNTOUCHED
    }

    /** What happened on one node. */
    public record Result(String node, String host, Outcome outcome, List<String> changes, String detail, String hint) {

        public Result {
            changes = List.copyOf(changes);
        }

        /** Whether the rollout may go on after this node. */
        public boolean ok() {
            return outcome == Outcome.PLANNED
                    || outcome == Outcome.UNCHANGED
                    || outcome == Outcome.CONFIRMED
                    || outcome == Outcome.DELIVERED;
        }
    }

    /**
     * The plan of a node: the rules to load and their filter tables, and the files to deliver over
     * SSH after the firewall ({@code pki.deliver: ssh}; empty otherwise).
     *
     * @param member whether the node runs an etcd member, (re)started when its files change
     */
    public record Planned(
            String node,
            SshTarget target,
            String v4,
            String v6,
            Table v4Filter,
            Table v6Filter,
            List<ProvisionedFile> overSsh,
            boolean member) {

        public Planned {
            overSsh = List.copyOf(overSsh);
        }
    }

    /** How to reach nodes and what is allowed. */
    public record Settings(
            java.util.function.Function<SshTarget, SshSession> connector,
            boolean sudo,
            Duration commandTimeout,
            Duration confirmWithin,
            boolean dryRun,
            boolean allowLockout) {}

    /** Connecting failed; carries the transport's message and hint. */
    public static final class ConnectFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SshException cause;

        public ConnectFailed(SshException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    private final Planned plan;
    private final Settings settings;
    private final Consumer<String> log;
    private final String id;

    private NodeApply(Planned plan, Settings settings, Consumer<String> log, String id) {
        this.plan = plan;
        this.settings = settings;
        this.log = log;
        this.id = id;
    }

    /** Applies {@code plan}; {@code id} names the change on the node ({@code [a-z0-9-]}). Never throws for a node's trouble. */
    public static Result apply(Planned plan, Settings settings, String id, Consumer<String> log) {
        return new NodeApply(plan, settings, log, id).run();
    }

    private Result result(Outcome o, List<String> changes, String detail, String hint) {
        return new Result(plan.node(), plan.target().host(), o, changes, detail, hint);
    }

    private Result run() {
        SshSession first;
        try {
            first = settings.connector().apply(plan.target());
        } catch (ConnectFailed e) {
            return result(Outcome.FAILED, List.of(), "cannot connect: " + e.getMessage(), e.cause.hint());
        }
        try (SshSession s = first) {
            return withSession(s);
        } catch (SshException e) {
            return result(Outcome.FAILED, List.of(), e.getMessage(), e.hint());
        }
    }

    private SshSession.Result exec(SshSession s, String command) throws SshException {
        return exec(s, command, new byte[0]);
    }

    private SshSession.Result exec(SshSession s, String command, byte[] input) throws SshException {
        return s.exec(SshSession.shellCommand(command, settings.sudo()), input, settings.commandTimeout());
    }

    private Result withSession(SshSession s) throws SshException {
        SshSession.Result who = exec(s, NodeProtocol.whoAmI());
        Optional<Lockout.Connection> conn =
                who.exitCode() == 0 ? Lockout.Connection.parse(who.stdout()) : Optional.empty();
        if (conn.isEmpty()) {
            return result(
                    Outcome.FAILED,
                    List.of(),
                    "cannot tell where this SSH connection comes from on the node ($SSH_CONNECTION: '"
                            + who.stdout().strip() + "')",
                    "log in directly, not through a forced command or a jump that hides the connection");
        }
        SshSession.Result live = exec(s, NodeProtocol.readLive());
        if (live.exitCode() != 0) {
            return result(
                    Outcome.FAILED,
                    List.of(),
                    "cannot read the live rules: " + firstLine(live.stderr(), live.exitCode()),
                    settings.sudo()
                            ? "check that the user may run iptables-save with sudo -n"
                            : "log in as root, or add --sudo");
        }
        String[] parts = live.stdout().split("(?m)^--stockade-v6--\n", 2);
        List<String> changes = new ArrayList<>();
        boolean identical = true;
        try {
            for (IpFamily f : List.of(IpFamily.V4, IpFamily.V6)) {
                String text = f == IpFamily.V4 ? parts[0] : parts.length > 1 ? parts[1] : "";
                Table liveFilter = IptablesSaveParser.filterOf(plan.target().host() + " (live " + f + ")", text, f);
                Table planned = f == IpFamily.V4 ? plan.v4Filter() : plan.v6Filter();
                RulesetDiff d = RulesetDiff.of(f, liveFilter, planned, "INPUT");
                identical &= d.identical();
                if (!d.opened().accepted().isEmpty()) {
                    changes.add(f + " opens " + d.opened().summary());
                }
                if (!d.closed().accepted().isEmpty()) {
                    changes.add(f + " closes " + d.closed().summary());
                }
                if (!d.identical()
                        && d.opened().accepted().isEmpty()
                        && d.closed().accepted().isEmpty()) {
                    changes.add(f + " changes rules without changing what new connections may do");
                }
            }
        } catch (InputException e) {
            return result(Outcome.FAILED, List.of(), "the live rules do not parse: " + e.getMessage(), "");
        }
        Lockout.Connection c = conn.get();
        Lockout.Answer answer;
        try {
            answer = Lockout.check(c, c.family() == IpFamily.V4 ? plan.v4Filter() : plan.v6Filter());
        } catch (InputException e) {
            return result(Outcome.FAILED, changes, "the planned rules cannot be analysed: " + e.getMessage(), "");
        }
        if (!answer.keepsAccess() && !settings.allowLockout()) {
            return result(
                    Outcome.REFUSED,
                    changes,
                    "the planned rules would not accept this SSH connection (" + c + "): " + answer.verdict() + " by "
                            + answer.decidedBy(),
                    "let the operator's address in (admin.ssh.from in the spec), or give --allow-lockout"
                            + " (the node still rolls back by itself if the change cuts you off)");
        }
        Optional<String> notRestored = notRestoredAtBoot(exec(s, NodeProtocol.restoreUnits()));
        if (notRestored.isPresent()) {
            return result(
                    Outcome.FAILED,
                    changes,
                    "the node would not load saved rules at boot: " + notRestored.get() + "; nothing was changed",
                    "provision the node with the build's output (it enables them), or run 'systemctl enable "
                            + String.join(" ", NodePlanner.RESTORE_UNITS) + "' on it");
        }
        if (settings.dryRun()) {
            return delivered(
                    s,
                    result(
                            identical ? Outcome.UNCHANGED : Outcome.PLANNED,
                            changes,
                            identical ? "the live rules are the plan" : "would change (dry run)",
                            ""));
        }
        if (identical) {
            return delivered(s, result(Outcome.UNCHANGED, changes, "the live rules are the plan", ""));
        }
        return commitConfirmed(s, changes, answer);
    }

    /**
     * What is wrong with the node's restore units, by the lines of {@link NodeProtocol#restoreUnits}:
     * a unit missing, disabled, masked or enabled only until the next boot. A node without systemctl
     * is not judged (it is not a systemd host; its boot is its own).
     */
    static Optional<String> notRestoredAtBoot(SshSession.Result r) {
        if (r.exitCode() != 0) {
            return Optional.of("cannot ask systemctl (" + firstLine(r.stderr(), r.exitCode()) + ")");
        }
        if (r.stdout().strip().equals("no-systemctl")) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (String unit : NodePlanner.RESTORE_UNITS) {
            String state = r.stdout()
                    .lines()
                    .filter(l -> l.startsWith(unit + " ") || l.equals(unit))
                    .map(l -> l.substring(unit.length()).strip())
                    .findFirst()
                    .orElse("");
            if (!List.of("enabled", "static", "indirect", "generated", "alias").contains(state)) {
                problems.add(unit + " is " + (state.isEmpty() ? "not installed" : state));
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", problems));
    }

    /**
     * After the firewall ended well: the files delivered over SSH compared with the node's (content,
     * mode, owner), and when any differs, the whole set written and renamed into place (a
     * certificate never goes without its key), then the etcd member (re)started. A dry run only
     * says what would be delivered.
     */
    private Result delivered(SshSession s, Result firewall) throws SshException {
        if (plan.overSsh().isEmpty() || !firewall.ok()) {
            return firewall;
        }
        List<String> paths = plan.overSsh().stream().map(ProvisionedFile::path).toList();
        SshSession.Result seen = exec(s, NodeProtocol.inspect(paths, NodePlanner.MEMBER_UNIT));
        if (seen.exitCode() != 0) {
            return failedDelivery(firewall, "the TLS files on the node cannot be read", seen, "");
        }
        List<String> stale = stale(seen.stdout());
        boolean running = seen.stdout().lines().anyMatch("member active"::equals);
        List<String> changes = new ArrayList<>(firewall.changes());
        if (!stale.isEmpty()) {
            changes.add("TLS delivers " + String.join(", ", stale));
        }
        if (settings.dryRun()) {
            boolean pending = !stale.isEmpty() || (plan.member() && !running);
            return new Result(
                    firewall.node(),
                    firewall.host(),
                    pending ? Outcome.PLANNED : firewall.outcome(),
                    changes,
                    firewall.detail()
                            + (stale.isEmpty()
                                    ? "; TLS files as planned"
                                    : "; would deliver " + stale.size() + " TLS file" + (stale.size() == 1 ? "" : "s"))
                            + (plan.member() && !running ? "; would start etcd" : ""),
                    firewall.hint());
        }
        String detail = firewall.detail();
        if (!stale.isEmpty()) {
            List<String> ordered = keyLast(plan.overSsh());
            for (String path : ordered) {
                ProvisionedFile f = file(path);
                SshSession.Result up = exec(
                        s,
                        NodeProtocol.stageFile(f.path(), f.mode(), f.owner()),
                        f.contents().getBytes(StandardCharsets.UTF_8));
                if (up.exitCode() != 0) {
                    exec(s, NodeProtocol.unstage(ordered));
                    return failedDelivery(
                            firewall,
                            "writing " + f.path() + " failed (the TLS files on the node are as they were)",
                            up,
                            "check the free space and that the user '" + f.owner() + "' exists on the node");
                }
            }
            SshSession.Result installed = exec(s, NodeProtocol.install(ordered));
            if (installed.exitCode() != 0) {
                exec(s, NodeProtocol.unstage(ordered));
                return failedDelivery(
                        firewall,
                        "putting the TLS files in place failed (some may be new)",
                        installed,
                        "run apply again to deliver the whole set");
            }
            detail += "; TLS files delivered (" + stale.size() + " changed)";
            log.accept("TLS files delivered");
        } else {
            detail += "; TLS files as planned";
        }
        // each delivered file's reader restarts only when its own files changed: a new proxy
        // certificate does not restart etcd, nor new etcd files the proxy
        boolean etcdChanged = stale.stream().anyMatch(p -> p.startsWith(EtcdPaths.DIR + "/"));
        boolean proxyChanged = stale.stream().anyMatch(p -> p.startsWith(NodePlanner.PROXY_TLS_DIR + "/"));
        if (plan.member()) {
            SshSession.Result started = exec(s, NodeProtocol.startMember(NodePlanner.MEMBER_UNIT, etcdChanged));
            if (started.exitCode() != 0) {
                return failedDelivery(
                        firewall,
                        "starting etcd failed",
                        started,
                        "see 'journalctl -u " + NodePlanner.MEMBER_UNIT + "' on the node");
            }
            String how = started.stdout().strip();
            detail += how.equals("running") ? "; etcd running" : "; etcd " + how;
        }
        if (proxyChanged) {
            // nginx reads its certificate at start: a running proxy restarts, a stopped one is started by its path unit
            SshSession.Result proxy = exec(s, NodeProtocol.tryRestart(NodePlanner.PROXY_UNIT));
            if (proxy.exitCode() != 0) {
                return failedDelivery(
                        firewall,
                        "restarting the proxy failed",
                        proxy,
                        "see 'journalctl -u " + NodePlanner.PROXY_UNIT + "' on the node");
            }
            detail += "; proxy restarted if it ran";
        }
        Outcome o =
                firewall.outcome() == Outcome.UNCHANGED && !stale.isEmpty() ? Outcome.DELIVERED : firewall.outcome();
        return new Result(firewall.node(), firewall.host(), o, changes, detail, firewall.hint());
    }

    /** The planned files whose content, mode or owner differ on the node (by the lines of {@link NodeProtocol#inspect}). */
    private List<String> stale(String inspected) {
        List<String> out = new ArrayList<>();
        for (ProvisionedFile f : plan.overSsh()) {
            String want =
                    Integer.toOctalString(f.mode()) + " " + f.owner() + " " + sha256(f.contents()) + " " + f.path();
            if (inspected.lines().noneMatch(want::equals)) {
                out.add(f.path());
            }
        }
        return out;
    }

    /** The paths in plan order, private keys (mode 0600) last. */
    private static List<String> keyLast(List<ProvisionedFile> files) {
        List<String> out = new ArrayList<>();
        files.stream().filter(f -> f.mode() != 0600).forEach(f -> out.add(f.path()));
        files.stream().filter(f -> f.mode() == 0600).forEach(f -> out.add(f.path()));
        return out;
    }

    private ProvisionedFile file(String path) {
        return plan.overSsh().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The firewall ended well, the delivery did not: the node failed, and the rollout stops. */
    private Result failedDelivery(Result firewall, String what, SshSession.Result r, String hint) {
        return new Result(
                firewall.node(),
                firewall.host(),
                Outcome.FAILED,
                firewall.changes(),
                firewall.detail() + "; but " + what + ": " + firstLine(r.stderr(), r.exitCode()),
                hint);
    }

    private Result commitConfirmed(SshSession s, List<String> changes, Lockout.Answer answer) throws SshException {
        SshSession.Result staged = exec(s, NodeProtocol.stage(id));
        if (staged.exitCode() != 0) {
            return abandon(s, changes, "cannot stage the change", staged, "");
        }
        for (String[] file :
                List.of(new String[] {"new-v4", plan.v4()}, new String[] {"new-v6", plan.v6()}, new String[] {
                    "rollback.sh", NodeProtocol.rollbackScript(id)
                })) {
            SshSession.Result up = exec(s, NodeProtocol.upload(id, file[0]), file[1].getBytes(StandardCharsets.UTF_8));
            if (up.exitCode() != 0) {
                return abandon(
                        s,
                        changes,
                        "uploading " + file[0] + " failed",
                        up,
                        "free space under " + NodeProtocol.ROOT + " and run again");
            }
        }
        SshSession.Result tested = exec(s, NodeProtocol.test(id));
        if (tested.exitCode() != 0) {
            return abandon(
                    s,
                    changes,
                    "the node's kernel refuses the new rules",
                    tested,
                    "check the modules the rules need on this node");
        }
        long seconds = Math.max(5, settings.confirmWithin().toSeconds());
        SshSession.Result armed = exec(s, NodeProtocol.arm(id, seconds));
        if (armed.exitCode() != 0) {
            return abandon(s, changes, "cannot arm the rollback timer", armed, "");
        }
        log.accept("rollback armed (" + armed.stdout().strip() + ", " + seconds + " s), loading");
        SshSession.Result loaded = exec(s, NodeProtocol.load(id));
        if (loaded.exitCode() == 10 || loaded.exitCode() == 11) {
            exec(s, NodeProtocol.discard(id));
            return result(
                    Outcome.FAILED,
                    changes,
                    (loaded.exitCode() == 10 ? "IPv4" : "IPv6") + " rules refused while loading: "
                            + firstLine(loaded.stderr(), loaded.exitCode()) + "; the previous rules are loaded",
                    "");
        }
        log.accept("loaded; confirming over a new connection");
        return confirm(changes, seconds, answer);
    }

    /** A change given up before anything was loaded: removed from the node, said why. */
    private Result abandon(SshSession s, List<String> changes, String what, SshSession.Result r, String hint)
            throws SshException {
        exec(s, NodeProtocol.discard(id));
        return result(
                Outcome.FAILED,
                changes,
                what + ": " + firstLine(r.stderr(), r.exitCode()) + "; nothing was loaded",
                hint);
    }

    /** A new connection must get in and see the change; only then is it kept. */
    private Result confirm(List<String> changes, long seconds, Lockout.Answer answer) {
        SshSession second;
        try {
            second = settings.connector().apply(plan.target());
        } catch (ConnectFailed e) {
            return result(
                    Outcome.ROLLED_BACK,
                    changes,
                    "a new connection failed after loading (" + e.getMessage() + "): the node restores its previous"
                            + " rules within " + seconds + " s",
                    answer.keepsAccess() ? "check the node's network" : "the plan did not accept your connection");
        }
        Result confirmed = null;
        try (SshSession s = second) {
            SshSession.Result c = exec(s, NodeProtocol.confirm(id));
            if (c.exitCode() != 0 || !c.stdout().strip().equals("confirmed")) {
                return result(
                        Outcome.ROLLED_BACK,
                        changes,
                        "the rollback ran before the change was confirmed: the previous rules are loaded",
                        "give more time with --confirm-timeout");
            }
            SshSession.Result p = exec(s, NodeProtocol.persist(id));
            if (p.exitCode() != 0) {
                return result(
                        Outcome.CONFIRMED,
                        changes,
                        "loaded and confirmed, but saving rules-save failed: " + firstLine(p.stderr(), p.exitCode()),
                        "the node loads its old rules at the next boot: free space and run apply again");
            }
            exec(s, NodeProtocol.prune()); // old finished changes: best effort, never a reason to fail
            confirmed = result(Outcome.CONFIRMED, changes, "loaded, confirmed over a new connection, saved", "");
            return delivered(s, confirmed);
        } catch (SshException e) {
            if (confirmed != null) {
                return new Result(
                        confirmed.node(),
                        confirmed.host(),
                        Outcome.FAILED,
                        changes,
                        confirmed.detail() + "; but delivering the TLS files failed: " + e.getMessage(),
                        e.hint());
            }
            return result(
                    Outcome.ROLLED_BACK,
                    changes,
                    "confirming failed (" + e.getMessage() + "): the node restores its previous rules within " + seconds
                            + " s",
                    e.hint());
        }
    }

    private static String firstLine(String stderr, int exit) {
        String l = stderr.strip().lines().findFirst().orElse("");
        return l.isEmpty() ? "exit status " + exit : l;
    }
}
