package dev.stockade.cli;

import dev.stockade.pki.Crl;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.RevocationReason;
import dev.stockade.pki.Revocations;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade pki revoke NAME|SERIAL --reason R}: record a revocation and sign a new CRL. */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Revoke a certificate and sign a new CRL.",
            "The revocation (serial, time, reason) is recorded in revoked.json in the PKI directory, and"
                    + " the CRL is signed again by the CA key: crl.pem and crl.der, valid for --crl-days."
                    + " stockade build places crl.pem on the etcd members (restart them: etcd reads it"
                    + " at start-up); sign it again before it expires (stockade pki crl). Revoking a"
                    + " certificate twice keeps the first record.",
            "Reasons: unspecified (default), key-compromise, ca-compromise, affiliation-changed,"
                    + " superseded, cessation-of-operation, privilege-withdrawn, aa-compromise."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Revoked (or revoked before); the CRL was signed again.",
            "2:Bad input: unknown name or serial, the CA itself, a bad reason or passphrase.",
            "3:The PKI directory cannot be written.",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiRevokeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(
            index = "0",
            paramLabel = "NAME|SERIAL",
            description = "The certificate: its name (NAME for NAME.pem) or its serial in hex.")
    String target;

    @Option(
            names = "--reason",
            paramLabel = "REASON",
            defaultValue = "unspecified",
            description = "Why, as RFC 5280 names it (default: ${DEFAULT-VALUE}).")
    String reason;

    @Mixin
    CrlOptions crl;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Mixin
    FormatOption format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        RevocationReason why = RevocationReason.parse(reason)
                .orElseThrow(() -> new ParameterException(
                        command.commandLine(),
                        "unknown --reason '" + reason + "'; one of: "
                                + String.join(", ", RevocationReason.keywords())));
        PkiStore store = crl.store(command.commandLine(), where, clock);
        Crl.Result r;
        try {
            r = Crl.revoke(store, target, why, clock.instant(), crl.validity(where), passphrase.source());
        } catch (IOException e) {
            throw CrlOptions.cannotWrite(store, e);
        }
        PrintWriter out = command.commandLine().getOut();
        if (format.json()) {
            JsonOutput.revoke(out, store, r);
            return ExitCodes.OK;
        }
        String serial = Revocations.hex(r.entry().serial());
        if (r.already()) {
            out.println("Already revoked " + r.entry().name() + " (serial " + serial + ") on "
                    + r.entry().revokedAt() + " (" + r.entry().reason().keyword() + ")");
        } else {
            out.println("Revoked  " + r.entry().name() + " (serial " + serial + ", "
                    + r.entry().reason().keyword() + ")");
        }
        CrlOptions.printCrl(out, store, r.crl());
        return ExitCodes.OK;
    }
}
