package dev.stockade.cli;

import dev.stockade.build.ClusterPki;
import dev.stockade.io.IoErrors;
import dev.stockade.io.SecureFiles;
import dev.stockade.io.TextFiles;
import dev.stockade.pki.CertRequest;
import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.IssuedCertificate;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.Signer;
import dev.stockade.pki.cfssl.CfsslConfig;
import dev.stockade.pki.cfssl.CfsslCsr;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stockade pki issue}: every certificate the spec needs, or one cfssl-style request. */
@Command(
        name = "issue",
        mixinStandardHelpOptions = true,
        description = {
            "Issue the certificates the cluster needs.",
            "With --spec, each node gets a peer and server certificate (EKU server and client auth; SANs: its"
                    + " name, hostname, every address, 127.0.0.1, ::1 and localhost), and each client of"
                    + " pki.clients a client certificate. Existing valid certificates are kept.",
            "The cfssl way issues one certificate: --csr csr.json --config ca-config.json --profile NAME."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Issued, or nothing to do.",
            "2:Bad input, or existing certificates do not fit (see 'pki renew').",
            "3:The PKI directory cannot be written.",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiIssueCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--csr", paramLabel = "FILE", description = "A cfssl certificate request (csr.json).")
    Path csr;

    @Option(names = "--config", paramLabel = "FILE", description = "A cfssl signing configuration (ca-config.json).")
    Path config;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "The signing profile in --config (default: the default profile).")
    String profile;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The file name stem for the --csr output (default: the CSR file's name).")
    String name;

    @Option(names = "--force", description = "With --csr, replace existing files; the old ones are kept as backups.")
    boolean force;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (csr != null) {
            return cfssl(out, err);
        }
        if (where.specFile == null) {
            throw new ParameterException(
                    command.commandLine(), "give --spec SPEC, or --csr FILE for a cfssl-style request");
        }
        return ensure(
                command.commandLine(),
                where,
                passphrase,
                ClusterPki.Mode.ISSUE_MISSING,
                ClusterPki.DEFAULT_WARN,
                clock);
    }

    /** Brings the PKI in line with the spec ({@code issue} and {@code renew}); returns the exit code. */
    static int ensure(
            picocli.CommandLine cl,
            PkiDirOptions where,
            PassphraseOptions passphrase,
            ClusterPki.Mode mode,
            java.time.Duration warn,
            Clock clock)
            throws InputException, EnvironmentException {
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        PkiStore store = new PkiStore(where.dir(), clock);
        Diagnostics.print(err, where.warnings());
        ClusterPki.Outcome o;
        try {
            o = ClusterPki.ensure(where.spec(), store, mode, clock.instant(), warn, passphrase.source());
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot write the PKI in " + where.dir() + ": " + IoErrors.describe(e),
                    "check the path, its permissions and the free space",
                    e);
        }
        report(out, store, o);
        FindingsReport.print(err, o.findings());
        if (o.hasErrors()) {
            err.println("stockade: some certificates do not fit the spec; nothing was issued"
                    + (mode == ClusterPki.Mode.ISSUE_MISSING ? "; run 'stockade pki renew' to re-issue them" : ""));
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    static void report(PrintWriter out, PkiStore store, ClusterPki.Outcome o) {
        if (o.caCreated()) {
            out.println("Created CA " + store.certFile(PkiStore.CA));
        }
        o.created()
                .forEach(n -> out.println("Issued   " + store.certFile(n) + "  (key " + store.keyFile(n) + ", 0600)"));
        o.renewed().forEach(n -> out.println("Renewed  " + store.certFile(n) + "  (previous files kept as .bak-*)"));
        o.reused().forEach(n -> out.println("Kept     " + store.certFile(n)));
    }

    private int cfssl(PrintWriter out, PrintWriter err) throws InputException, EnvironmentException {
        if (config == null) {
            throw new ParameterException(command.commandLine(), "--csr needs --config ca-config.json");
        }
        try {
            CfsslCsr request = CfsslCsr.parse(csr.toString(), TextFiles.read(csr, "PKI", 1 << 20));
            CfsslConfig cfg = CfsslConfig.parse(config.toString(), TextFiles.read(config, "PKI", 1 << 20));
            Diagnostics.print(err, request.warnings());
            Diagnostics.print(err, cfg.warnings());
            CfsslConfig.Profile p = cfg.defaults();
            if (profile != null) {
                p = cfg.profiles().get(profile);
                if (p == null) {
                    throw new ParameterException(
                            command.commandLine(),
                            "no profile '" + profile + "' in " + config + " (profiles: "
                                    + String.join(", ", cfg.profiles().keySet()) + ")");
                }
            }
            Path dir = where.dir != null ? where.dir : (where.specFile != null ? where.dir() : Path.of("."));
            PkiStore store = new PkiStore(dir, clock);
            CertificateAuthority ca = store.loadCa(passphrase.read());
            String stem = name != null ? name : csr.getFileName().toString().replaceFirst("\\.json$", "");
            CertRequest req = new CertRequest(
                    stem,
                    request.commonName(),
                    request.names(),
                    request.dnsNames(),
                    request.ipAddresses(),
                    p.usages(),
                    p.expiry(),
                    p.ca());
            IssuedCertificate issued = Signer.issue(ca, req, request.key(), clock.instant());
            store.save(issued, force);
            out.println("Issued " + store.certFile(stem) + "  (key " + store.keyFile(stem) + ", 0600; csr "
                    + store.csrFile(stem) + ")");
            return ExitCodes.OK;
        } catch (SecureFiles.ExistsException e) {
            err.println("stockade: error: " + e.getFile() + " already exists; nothing was replaced");
            err.println("  hint: add --force to replace it (the old file is kept as a backup), or choose --name");
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot write: " + IoErrors.describe(e), "check the path, its permissions and the free space", e);
        }
    }
}
