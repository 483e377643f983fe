package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.ClusterPki;
import dev.stockade.io.AtomicDirectory;
import dev.stockade.io.IoErrors;
import dev.stockade.pki.PkiStore;
import dev.stockade.provision.NodeTls;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
            "2:The spec has errors (file:line:col on stderr), or the PKI does not fit it; nothing was written.",
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
            description = "Check and compile, print the summary, and write nothing (no PKI either).")
    boolean dryRun;

    @Mixin
    FormatOption format;

    Clock clock = Clock.systemUTC();

    /** The pipeline from the loaded spec and the nodes' TLS files to the proved build (tests replace it). */
    BiFunction<LoadedSpec, Map<String, NodeTls>, BuildResult> pipeline = ClusterBuilder::build;

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
        // the firewalls are proved before anything lasting happens (a CA, certificates, files)
        BuildResult result = pipeline.apply(loaded, Map.of());
        if (!result.proven()) {
            BuildSummary.proofFailures(err, result);
            err.println("stockade: internal error: the compiled firewall does not match the spec; nothing was written");
            err.println("  hint: this is a bug in Stockade; please report it with the spec");
            err.flush();
            return ExitCodes.INTERNAL;
        }
        if (loaded.spec().etcd().isPresent()) {
            PkiStore store = new PkiStore(pkiPath, clock);
            if (dryRun) {
                // what the real build would refuse, without creating or issuing anything
                List<Finding> problems =
                        ClusterPki.verify(loaded.spec(), store, clock.instant(), ClusterPki.DEFAULT_WARN).stream()
                                .filter(f -> !f.id().equals("PKI-MISSING"))
                                .toList();
                if (problems.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
                    return pkiRefused(err, problems, pkiPath);
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
                result = ClusterBuilder.withTls(result, ClusterPki.nodeTls(loaded.spec(), store));
            }
        }
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
        if (format.json()) {
            JsonOutput.build(out, result, dir, dryRun, pkiPath, pki);
        } else {
            out.print(BuildSummary.text(result, dir, dryRun, pkiPath, pki));
        }
        out.flush();
        return ExitCodes.OK;
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
