package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.ClusterPki;
import dev.stockade.io.AtomicDirectory;
import dev.stockade.pki.PkiStore;
import dev.stockade.provision.NodeTls;
import dev.stockade.report.InputException;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
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
            "Compile a cluster spec into per-node firewalls (IPv4 and IPv6) and provisioning",
            "(Ignition and/or cloud-config), written to OUT/<cluster>/<node>/.",
            "With etcd, the cluster's certificates come from the PKI directory: what is missing is",
            "issued, what is valid is reused, and invalid certificates stop the build (see 'pki renew').",
            "Nothing is written unless the whole spec is valid; the previous output is replaced at once."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:built",
            "2:the spec has errors (file:line:col on stderr), or the PKI does not fit it;" + " nothing was written",
            "3:the output could not be written; the previous output is unchanged",
            "4:internal error, e.g. the compiled firewall failed its proof against the spec; nothing was written"
        })
final class BuildCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the cluster spec (YAML)")
    Path specFile;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            defaultValue = "out",
            description = "output directory (default: ${DEFAULT-VALUE}); the cluster goes to DIR/<cluster>/")
    Path out;

    @Option(
            names = "--pki",
            paramLabel = "DIR",
            description = "the cluster's PKI directory (default: pki/<cluster>); created on first build")
    Path pkiDir;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--dry-run", description = "check and compile, print the summary, write nothing (no PKI either)")
    boolean dryRun;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        LoadedSpec loaded;
        try {
            loaded = SpecLoader.load(specFile);
        } catch (InputException e) {
            return Diagnostics.inputError(err, e, specFile.toString());
        }
        Map<String, NodeTls> tls = Map.of();
        ClusterPki.Outcome pki = null;
        Path pkiPath = pkiDir != null ? pkiDir : Path.of("pki", loaded.spec().cluster());
        if (loaded.spec().etcd().isPresent() && !dryRun) {
            try {
                PkiStore store = new PkiStore(pkiPath, clock);
                pki = ClusterPki.ensure(
                        loaded.spec(),
                        store,
                        ClusterPki.Mode.ISSUE_MISSING,
                        clock.instant(),
                        ClusterPki.DEFAULT_WARN,
                        passphrase.read());
                if (pki.hasErrors()) {
                    Diagnostics.findings(err, pki.findings());
                    err.println(
                            "stockade: the certificates in " + pkiPath + " do not fit the spec; nothing was written");
                    err.println("  hint: stockade pki renew --spec " + specFile + " --dir " + pkiPath
                            + " re-issues them (old files are kept as backups)");
                    return ExitCodes.BAD_INPUT;
                }
                tls = ClusterPki.nodeTls(loaded.spec(), store);
            } catch (InputException e) {
                return Diagnostics.inputError(err, e, pkiPath.toString());
            } catch (IOException e) {
                err.println("stockade: error: cannot write the PKI in " + pkiPath + ": " + e.getMessage());
                err.println("  hint: check permissions and free space");
                return ExitCodes.ENVIRONMENT;
            }
        }
        BuildResult result = ClusterBuilder.build(loaded, tls);
        if (!result.proven()) {
            BuildSummary.proofFailures(err, result);
            err.println("stockade: internal error: the compiled firewall does not match the spec; nothing was written");
            err.println("  hint: this is a bug in Stockade; please report it with the spec");
            err.flush();
            return ExitCodes.INTERNAL;
        }
        Path dir = this.out.resolve(result.spec().cluster());
        if (!dryRun) {
            try {
                dir = ClusterBuilder.write(result, this.out);
            } catch (AtomicDirectory.ForeignDirectoryException e) {
                err.println("stockade: error: " + e.getMessage());
                err.println("  hint: choose another --out directory, or remove it if it is yours to delete");
                return ExitCodes.BAD_INPUT;
            } catch (IOException e) {
                err.println("stockade: error: cannot write " + dir + ": " + e.getMessage());
                err.println("  hint: check free space and permissions; the previous output is unchanged");
                return ExitCodes.ENVIRONMENT;
            }
        }
        Diagnostics.print(err, result.warnings());
        if (pki != null) {
            Diagnostics.findings(err, pki.findings());
        }
        out.print(
                format == OutputFormat.json
                        ? BuildSummary.json(result, dir, dryRun, pkiPath, pki)
                        : BuildSummary.text(result, dir, dryRun, pkiPath, pki));
        out.flush();
        return ExitCodes.OK;
    }

    enum OutputFormat {
        text,
        json
    }
}
