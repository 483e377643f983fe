package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.BuildState;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.ClusterPki;
import dev.stockade.build.ProvedCluster;
import dev.stockade.etcd.Member;
import dev.stockade.etcd.MembershipChange;
import dev.stockade.io.AtomicDirectory;
import dev.stockade.io.IoErrors;
import dev.stockade.io.TextFiles;
import dev.stockade.pki.Crl;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.RevocationReason;
import dev.stockade.provision.NodeTls;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade build SPEC}: everything each node needs, written atomically. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Compile a cluster spec into what each node needs.",
            "Per node, it writes the firewall (IPv4 and IPv6) and the provisioning (Ignition and/or cloud-config)"
                    + " to DIR/<cluster>/<node>/ (see --out). With etcd, the cluster's certificates come from the PKI"
                    + " directory: what is missing is issued, what is valid is reused, and invalid certificates"
                    + " stop the build (see 'pki renew'). Nothing is written unless the whole spec is valid, and"
                    + " the previous output is replaced at once."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Built.",
            "2:The spec has errors (file:line:col on stderr), the PKI does not fit it, or an etcd membership"
                    + " change could lose quorum; nothing was written.",
            "3:The output could not be written; the previous output is unchanged.",
            "4:Internal error, e.g. the compiled firewall failed its proof against the spec; nothing was written."
        })
final class BuildCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The cluster spec (YAML).")
    Path specFile;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            defaultValue = "out",
            description = "The output directory; the cluster goes to DIR/<cluster>/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--pki",
            paramLabel = "DIR",
            description = "The cluster's PKI directory, created on the first build (default: pki/<cluster>).")
    Path pkiDir;

    @Mixin
    PassphraseOptions passphrase;

    @Option(
            names = "--dry-run",
            description = "Check everything the build checks (the PKI included), print the summary, and write"
                    + " nothing: no output, no CA, no certificate, no revocation.")
    boolean dryRun;

    @Option(
            names = "--existing-cluster",
            paramLabel = "NAME=URL,...",
            description = "The etcd members running now, by name and peer URL as 'etcdctl member list' shows them"
                    + " (default: the members of the previous build, from DIR/<cluster>/" + BuildState.FILE
                    + "). New members are configured to join them, and the summary prints the steps.")
    String existingCluster;

    @Option(
            names = "--keep-departed",
            description = "Do not revoke the certificates of nodes that left the spec since the previous build.")
    boolean keepDeparted;

    @Mixin
    FormatOption format;

    Clock clock = Clock.systemUTC();

    /** The pipeline from the loaded spec and its etcd membership to the proved firewalls (tests replace it). */
    BiFunction<LoadedSpec, MembershipChange, ProvedCluster> pipeline = ClusterBuilder::prove;

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        LoadedSpec loaded = SpecLoader.load(specFile);
        ClusterPki.Outcome pki = null;
        Path pkiPath = pkiDir != null ? pkiDir : Path.of("pki", loaded.spec().cluster());
        Path dir = this.out.resolve(loaded.spec().cluster());
        // refuse an output that cannot be written before the PKI is created or a certificate issued
        if (!writable(dir)) {
            return ExitCodes.BAD_INPUT;
        }
        BuildState previous = previousState(dir);
        MembershipChange etcd = membership(loaded, previous);
        // the firewalls are proved before anything lasting happens (a CA, certificates, files)
        ProvedCluster proved = pipeline.apply(loaded, etcd);
        if (!proved.proven()) {
            BuildSummary.proofFailures(err, proved);
            err.println("stockade: internal error: the compiled firewall does not match the spec; nothing was written");
            err.println("  hint: this is a bug in Stockade; please report it with the spec");
            err.flush();
            return ExitCodes.INTERNAL;
        }
        Revoked revoked = Revoked.NONE;
        Map<String, NodeTls> tls = Map.of();
        if (usesPki(loaded.spec())) {
            PkiStore store = new PkiStore(pkiPath, clock);
            List<String> departed = keepDeparted || !store.hasCa()
                    ? List.of()
                    : ClusterPki.departed(loaded.spec(), store, previous.nodes());
            if (dryRun) {
                // what the real build would refuse, without creating or issuing anything
                List<Finding> findings =
                        ClusterPki.verify(loaded.spec(), store, clock.instant(), ClusterPki.DEFAULT_WARN);
                List<Finding> problems = findings.stream()
                        .filter(f -> !f.id().equals("PKI-MISSING"))
                        .toList();
                if (problems.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
                    return pkiRefused(err, problems, pkiPath);
                }
                revoked = new Revoked(departed, List.of());
                if (store.hasCa() && problems.size() == findings.size()) {
                    // every certificate exists: render exactly what the real build would place
                    tls = ClusterPki.nodeTls(loaded.spec(), store);
                }
            } else {
                try {
                    pki = ClusterPki.ensure(
                            loaded.spec(),
                            store,
                            ClusterPki.Mode.ISSUE_MISSING,
                            clock.instant(),
                            ClusterPki.DEFAULT_WARN,
                            passphrase.source());
                } catch (IOException e) {
                    throw new EnvironmentException(
                            "cannot write the PKI in " + pkiPath + ": " + IoErrors.describe(e),
                            "check the path, its permissions and the free space",
                            e);
                }
                if (pki.hasErrors()) {
                    return pkiRefused(err, pki.findings(), pkiPath);
                }
                revoked = revokeDeparted(store, departed, loaded.spec().pki().crlDays());
                tls = ClusterPki.nodeTls(loaded.spec(), store);
            }
        }
        BuildResult result = ClusterBuilder.render(proved, tls);
        if (!dryRun) {
            dir = write(result, dir);
            if (dir == null) {
                return ExitCodes.BAD_INPUT;
            }
        }
        Diagnostics.print(err, result.warnings());
        if (pki != null) {
            FindingsReport.print(err, pki.findings());
        }
        BuildReport report = new BuildReport(
                result, dir, dryRun, pkiPath, pki, revoked, EtcdSteps.of(result, dir, pkiPath, revoked.names()));
        if (format.json()) {
            JsonOutput.build(out, report);
        } else {
            out.print(BuildSummary.text(report));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Whether the build needs the cluster CA: for etcd, or for the proxy's certificate ({@code proxy.tls: internal}). */
    static boolean usesPki(dev.stockade.spec.ClusterSpec spec) {
        return spec.etcd().isPresent()
                || spec.proxy()
                        .filter(p -> p.tls() instanceof dev.stockade.spec.ProxySpec.Internal)
                        .isPresent();
    }

    /**
     * The certificates of departed nodes: to revoke ({@code pending}, a dry run) or revoked, with
     * the CRL they are now on.
     */
    record Revoked(List<String> pending, List<Crl.Result> done) {
        static final Revoked NONE = new Revoked(List.of(), List.of());

        List<String> names() {
            return pending.isEmpty() ? done.stream().map(r -> r.entry().name()).toList() : pending;
        }
    }

    private Revoked revokeDeparted(PkiStore store, List<String> departed, int crlDays)
            throws InputException, EnvironmentException {
        if (departed.isEmpty()) {
            return Revoked.NONE;
        }
        try {
            return new Revoked(
                    List.of(),
                    Crl.revokeAll(
                            store,
                            departed,
                            RevocationReason.CESSATION_OF_OPERATION,
                            clock.instant(),
                            Duration.ofDays(crlDays),
                            passphrase.source()));
        } catch (IOException e) {
            throw CrlOptions.cannotWrite(store, e);
        }
    }

    /**
     * The largest build state read back. The state lists each etcd member's initial cluster, so it
     * grows with the square of the members: 1,000 members write about 36 MB.
     */
    static final long MAX_STATE_BYTES = 256L << 20;

    /** The previous build's state from the output it replaces; none on a first build. */
    static BuildState previousState(Path dir) throws InputException {
        Path file = dir.resolve(BuildState.FILE);
        if (!Files.isRegularFile(file)) {
            return BuildState.NONE;
        }
        return BuildState.parse(file.toString(), TextFiles.read(file, "BUILD", MAX_STATE_BYTES));
    }

    /** The etcd membership relative to the running cluster ({@code --existing-cluster}, else the previous build). */
    private MembershipChange membership(LoadedSpec loaded, BuildState previous) throws InputException {
        List<MembershipChange.Running> running = previous.etcdMembers();
        if (existingCluster != null) {
            try {
                running = Member.parseList(existingCluster).stream()
                        .map(m -> new MembershipChange.Running(m, Optional.empty()))
                        .toList();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), "--existing-cluster: " + e.getMessage());
            }
        }
        Optional<List<Member>> wanted = Member.wanted(loaded.spec());
        if (wanted.isEmpty()) {
            return MembershipChange.unresolved(running);
        }
        return MembershipChange.between(
                running, wanted.get(), loaded.spec().etcd().orElseThrow().span());
    }

    private int pkiRefused(PrintWriter err, List<Finding> findings, Path pkiPath) {
        FindingsReport.print(err, findings);
        err.println("stockade: the certificates in " + pkiPath + " do not fit the spec; nothing was written");
        err.println("  hint: stockade pki renew --spec " + specFile + " --dir " + pkiPath
                + " re-issues them (old files are kept as backups)");
        return ExitCodes.BAD_INPUT;
    }

    /** Whether {@code dir} may be replaced; false (after saying why) when it is not Stockade's. */
    private boolean writable(Path dir) throws EnvironmentException {
        return attempt(
                        dir,
                        () -> {
                            AtomicDirectory.checkReplaceable(dir);
                            return dir;
                        },
                        "choose another --out directory; nothing was written and no certificate was issued")
                != null;
    }

    /** Writes the output; null (after saying why) when the directory is not Stockade's to replace. */
    private Path write(BuildResult result, Path dir) throws EnvironmentException {
        return attempt(
                dir,
                () -> ClusterBuilder.write(result, this.out),
                "check the path, its permissions and the free space; the previous output is unchanged");
    }

    private interface OutputStep {
        Path run() throws IOException;
    }

    /** Runs a step on the output directory: a foreign directory is refused (null), other I/O fails (exit 3). */
    private Path attempt(Path dir, OutputStep step, String hint) throws EnvironmentException {
        try {
            return step.run();
        } catch (AtomicDirectory.ForeignDirectoryException e) {
            PrintWriter err = command.commandLine().getErr();
            err.println("stockade: error: " + e.getMessage());
            err.println("  hint: choose another --out directory, or remove it if it is yours to delete");
            return null;
        } catch (IOException e) {
            throw new EnvironmentException("cannot write " + dir + ": " + IoErrors.describe(e), hint, e);
        }
    }
}
