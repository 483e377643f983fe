package dev.stockade.cli;

import dev.stockade.io.IoErrors;
import dev.stockade.io.SecureFiles;
import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.PkiSpec;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.Signer;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade pki init}: a new CA, or an imported one (e.g. made by cfssl). */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Create the cluster CA, or import one.",
            "The CA is created in the PKI directory, or an existing CA certificate and key are imported (PEM:"
                    + " PKCS#8, EC or RSA; encrypted PKCS#8 with the passphrase options)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The CA was created or imported.",
            "2:Bad input, or a CA exists already (use --force).",
            "3:The PKI directory cannot be written.",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiInitCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Option(
            names = "--key",
            paramLabel = "TYPE",
            description = "The key type: ecdsa-p256 (default), ecdsa-p384, rsa-2048, rsa-3072 or rsa-4096.")
    String key;

    @Option(
            names = "--cn",
            paramLabel = "NAME",
            description = "The CA's common name (default: '<cluster> cluster CA').")
    String commonName;

    @Option(
            names = "--days",
            paramLabel = "DAYS",
            description = "How many days the CA is valid (default: the spec's ca_days under pki, else 1825).")
    Integer days;

    @Option(
            names = "--import-cert",
            paramLabel = "FILE",
            description = "Import this CA certificate instead of creating one.")
    Path importCert;

    @Option(names = "--import-key", paramLabel = "FILE", description = "The key of the imported CA certificate.")
    Path importKey;

    @Option(names = "--encrypt", description = "Store the CA key encrypted with the passphrase (PKCS#8, AES-256).")
    boolean encrypt;

    @Option(names = "--force", description = "Replace an existing CA; the old files are kept as backups.")
    boolean force;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (where.dir == null && where.specFile == null) {
            throw usage("give --dir DIR or --spec SPEC (the PKI then lives in pki/<cluster>)");
        }
        Path dir = where.dir();
        char[] pass = passphrase.read();
        if (encrypt && pass == null) {
            throw usage("--encrypt needs --ca-passphrase-file or --ca-passphrase-env");
        }
        if (pass != null && !encrypt && importKey == null) {
            throw usage("a CA passphrase without --encrypt would store the key unencrypted;"
                    + " add --encrypt, or leave the passphrase out for an unencrypted key");
        }
        CertificateAuthority ca = importCert != null || importKey != null ? imported(pass) : created();
        PkiStore store = new PkiStore(dir, clock);
        if (store.hasCa() && !force) {
            err.println("stockade: error: " + store.certFile(PkiStore.CA) + " already exists; nothing was written");
            err.println("  hint: a new CA invalidates every certificate; add --force to replace it (backups are kept)");
            return ExitCodes.BAD_INPUT;
        }
        try {
            List<Path> backups = store.saveCa(ca, encrypt ? pass : null, force);
            out.println((importCert != null ? "Imported" : "Created") + " CA " + store.certFile(PkiStore.CA) + ": "
                    + ca.certificate().getSubjectX500Principal().getName() + ", "
                    + KeySpec.of(ca.certificate().getPublicKey())
                            .map(KeySpec::keyword)
                            .orElse("?")
                    + ", valid until " + ca.certificate().getNotAfter().toInstant());
            out.println("Key " + store.keyFile(PkiStore.CA) + " (mode 0600, "
                    + (encrypt ? "encrypted" : "not encrypted") + ")");
            backups.forEach(b -> out.println("Previous file kept as " + b));
            return ExitCodes.OK;
        } catch (SecureFiles.ExistsException e) {
            err.println("stockade: error: " + e.getFile() + " already exists; use --force to replace it");
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot write " + dir + ": " + IoErrors.describe(e),
                    "check the path, its permissions and the free space",
                    e);
        }
    }

    private CertificateAuthority imported(char[] pass) throws InputException {
        if (importCert == null || importKey == null) {
            throw usage("--import-cert and --import-key go together");
        }
        CertificateAuthority ca = PkiStore.loadCa(importCert, importKey, pass);
        if (!ca.certificate().getNotAfter().toInstant().isAfter(clock.instant())) {
            throw new InputException(dev.stockade.report.Diagnostic.error(
                    "PKI-CA-EXPIRED",
                    dev.stockade.report.SourceSpan.ofFile(importCert.toString()),
                    "the CA expired on " + ca.certificate().getNotAfter().toInstant(),
                    "import a valid CA, or create a new one with 'pki init'"));
        }
        return ca;
    }

    private CertificateAuthority created() throws InputException {
        PkiSpec defaults = where.specFile != null ? where.spec().pki() : PkiSpec.DEFAULT;
        KeySpec spec = defaults.key();
        if (key != null) {
            spec = KeySpec.parse(key)
                    .orElseThrow(() -> usage(
                            "unknown key type '" + key + "'; use one of " + String.join(", ", KeySpec.keywords())));
        }
        int d = days != null ? days : defaults.caDays();
        if (d < 1 || d > 36500) {
            throw usage("--days must be between 1 and 36500");
        }
        String cn = commonName != null
                ? commonName
                : (where.specFile != null ? where.spec().cluster() : "stockade") + " cluster CA";
        return Signer.newCa(spec, cn, List.of(), Duration.ofDays(d), clock.instant());
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(command.commandLine(), message);
    }
}
