package dev.stockade.cli;

import dev.stockade.apply.NodeApply;
import dev.stockade.apply.Rollout;
import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.ClusterPki;
import dev.stockade.build.NodeOutput;
import dev.stockade.pki.PkiSpec;
import dev.stockade.pki.PkiStore;
import dev.stockade.provision.NodeTls;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.FirewallBackend;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.SpecLoader;
import dev.stockade.ssh.SshException;
import dev.stockade.ssh.SshOptions;
import dev.stockade.ssh.SshSession;
import dev.stockade.ssh.SshTarget;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stockade apply}: the spec's firewalls loaded on running nodes, commit-confirmed. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Change running nodes to the spec's firewalls, safely.",
            "Per node, over SSH: read the live rules and show what the plan opens and closes (as packet sets);"
                    + " refuse a plan under which this very SSH connection would no longer be accepted (unless"
                    + " --allow-lockout); stage the new rules and the live ones on the node, arm a rollback timer on"
                    + " the node, load the new rules, then confirm over a new connection and only then save them"
                    + " to rules-save. If the new connection fails, the node restores its previous rules by itself"
                    + " when the timer fires, even if Stockade was killed. Nodes change one at a time (the first is"
                    + " the canary); the first node that does not end well stops the rollout.",
            "With pki.deliver: ssh in the spec, each node's etcd TLS files (from the PKI 'stockade build' made) are"
                    + " then copied over SSH when they differ (mode 0600 for the key, the right owner, renamed into"
                    + " place), and the etcd member is started, or restarted when it runs."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every node changed and confirmed, or already as planned (or, with --dry-run, the plan shown).",
            "1:A node refused (lockout), failed, or rolled back; the rollout stopped there.",
            "2:Bad spec or option, or the spec delivers TLS files over SSH and the PKI lacks them.",
            "4:Internal error (a bug in Stockade)."
        })
final class ApplyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--spec", paramLabel = "FILE", required = true, description = "The cluster spec.")
    Path specFile;

    @Option(
            names = "--nodes",
            paramLabel = "NAME",
            split = ",",
            description = "Only these nodes (comma-separated names; default: every node, in spec order).")
    List<String> only;

    @Option(names = "--dry-run", description = "Show what would change on each node; change nothing.")
    boolean dryRun;

    @Option(
            names = "--allow-lockout",
            description = "Apply even a plan that would not accept this SSH connection (the node still rolls back"
                    + " by itself when the confirming connection fails).")
    boolean allowLockout;

    @Option(
            names = "--confirm-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "The node restores its previous rules this long after loading new ones, unless a new"
                    + " connection confirmed them first (default: ${DEFAULT-VALUE}).")
    int confirmSeconds;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "1",
            description = "Nodes changed at once after the canary (default: ${DEFAULT-VALUE}; never two etcd members).")
    int parallel;

    @Option(
            names = "--pki",
            paramLabel = "DIR",
            description = "The cluster's PKI directory, where 'stockade build' issued the nodes' certificates; read"
                    + " when the spec delivers them over SSH (pki.deliver: ssh) (default: pki/<cluster>).")
    Path pkiDir;

    @Mixin
    SshConnectionOptions ssh;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (confirmSeconds < 5 || confirmSeconds > 3600) {
            throw new ParameterException(
                    command.commandLine(), "--confirm-timeout must be 5 to 3600 seconds, not " + confirmSeconds);
        }
        if (parallel < 1 || parallel > 64) {
            throw new ParameterException(command.commandLine(), "--parallel must be 1 to 64, not " + parallel);
        }
        LoadedSpec loaded = SpecLoader.load(specFile);
        ClusterSpec spec = loaded.spec();
        if (spec.firewall() == FirewallBackend.NFTABLES) {
            throw new InputException(Diagnostic.error(
                    "APPLY-NFTABLES",
                    SourceSpan.ofFile(spec.file()),
                    spec.file() + " sets 'firewall: nftables': apply delivers iptables rules only, and would"
                            + " leave the nodes' nftables ruleset as it is",
                    "provision the nodes with the built Ignition or cloud-config (it loads nftables.conf at boot),"
                            + " or use 'firewall: iptables' to apply changes over SSH"));
        }
        List<NodeSpec> nodes = chosen(spec);
        SshOptions options = ssh.options();
        List<SshTarget> targets = ssh.targets(spec, nodes);
        BuildResult built = ClusterBuilder.build(loaded, deliveredTls(spec));
        Map<String, NodeOutput> byName = new HashMap<>();
        built.nodes().forEach(n -> byName.put(n.node().name(), n));
        Set<String> members = spec.etcdMembers().stream().map(NodeSpec::name).collect(Collectors.toSet());
        List<NodeApply.Planned> planned = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String name = nodes.get(i).name();
            NodeOutput n = byName.get(name);
            planned.add(new NodeApply.Planned(
                    name,
                    targets.get(i),
                    text(n, ClusterBuilder.RULES_V4),
                    text(n, ClusterBuilder.RULES_V6),
                    n.firewall().v4().table("filter").orElseThrow(),
                    n.firewall().v6().table("filter").orElseThrow(),
                    n.plan().overSsh(),
                    members.contains(name)));
        }
        NodeApply.Settings settings = new NodeApply.Settings(
                t -> {
                    try {
                        return SshSession.open(t, options);
                    } catch (SshException e) {
                        throw new NodeApply.ConnectFailed(e);
                    }
                },
                ssh.sudo,
                options.commandTimeout(),
                Duration.ofSeconds(confirmSeconds),
                dryRun,
                allowLockout);
        String id = changeId();
        List<NodeApply.Result> results = Rollout.run(planned, parallel, p -> {
            synchronized (err) {
                err.println(p.node() + " (" + p.target().host() + "): " + (dryRun ? "planning" : "applying"));
                err.flush();
            }
            NodeApply.Result r = NodeApply.apply(p, settings, id, line -> {
                synchronized (err) {
                    err.println(p.node() + ": " + line);
                    err.flush();
                }
            });
            if (!format.json()) {
                synchronized (out) {
                    print(out, r);
                }
            }
            return r;
        });
        if (format.json()) {
            JsonOutput.apply(out, spec.file(), id, dryRun, results);
        } else {
            out.println();
            summary(results).forEach(out::println);
        }
        out.flush();
        return results.stream().allMatch(NodeApply.Result::ok) ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /**
     * The nodes' TLS files from the PKI, when the spec delivers them over SSH ({@code pki.deliver:
     * ssh}); none otherwise (then apply changes only the firewalls).
     */
    private Map<String, NodeTls> deliveredTls(ClusterSpec spec) throws InputException {
        if (spec.etcd().isEmpty() || spec.pki().deliver() != PkiSpec.Delivery.SSH) {
            return Map.of();
        }
        Path dir = pkiDir != null ? pkiDir : Path.of("pki", spec.cluster());
        PkiStore store = new PkiStore(dir, Clock.systemUTC());
        List<String> missing = spec.nodes().stream()
                .map(NodeSpec::name)
                .filter(n -> !java.nio.file.Files.isRegularFile(store.keyFile(n)))
                .toList();
        if (!store.hasCa() || !missing.isEmpty()) {
            throw new InputException(Diagnostic.error(
                    "APPLY-NO-PKI",
                    SourceSpan.ofFile(dir.toString()),
                    spec.file() + " delivers the nodes' TLS files over SSH (pki.deliver: ssh), but "
                            + (store.hasCa()
                                    ? "the PKI has no key for " + String.join(", ", missing)
                                    : "there is no CA in " + dir),
                    "run 'stockade build " + spec.file() + "' first (it issues them), or name the PKI with --pki"));
        }
        return ClusterPki.nodeTls(spec, store);
    }

    private List<NodeSpec> chosen(ClusterSpec spec) {
        if (only == null) {
            return spec.nodes();
        }
        Set<String> wanted = new LinkedHashSet<>(only);
        List<NodeSpec> out =
                spec.nodes().stream().filter(n -> wanted.contains(n.name())).toList();
        Set<String> known = spec.nodes().stream().map(NodeSpec::name).collect(Collectors.toSet());
        for (String w : wanted) {
            if (!known.contains(w)) {
                throw new ParameterException(
                        command.commandLine(),
                        "--nodes: no node '" + w + "' in " + spec.file() + " (nodes: "
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return out;
    }

    private static String text(NodeOutput n, String file) {
        return new String(n.files().get(file).bytes(), StandardCharsets.UTF_8);
    }

    /** A change's name on the nodes: the UTC time and a random suffix. */
    static String changeId() {
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        return time + "-"
                + Integer.toHexString(new java.security.SecureRandom().nextInt(0x10000) | 0x10000)
                        .substring(1);
    }

    /** A result in words: {@code rolled back}. */
    static String words(NodeApply.Outcome o) {
        return o.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    static void print(PrintWriter out, NodeApply.Result r) {
        out.println(r.node() + " (" + r.host() + "): " + words(r.outcome()) + ": " + r.detail());
        for (String c : r.changes()) {
            out.println("  " + c);
        }
        if (!r.hint().isEmpty()) {
            out.println("  hint: " + r.hint());
        }
        out.flush();
    }

    static List<String> summary(List<NodeApply.Result> results) {
        int width = Math.max(
                4, results.stream().mapToInt(r -> r.node().length()).max().orElse(0));
        int hostWidth = Math.max(
                4, results.stream().mapToInt(r -> r.host().length()).max().orElse(0));
        String format = "%-" + width + "s  %-" + hostWidth + "s  %s";
        List<String> rows = new ArrayList<>();
        rows.add(String.format(format, "NODE", "HOST", "RESULT"));
        for (NodeApply.Result r : results) {
            rows.add(String.format(format, r.node(), r.host(), words(r.outcome())));
        }
        return rows;
    }
}
