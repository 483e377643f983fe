package dev.stockade.cli;

import dev.stockade.io.IoErrors;
import dev.stockade.pki.PkiSpec;
import dev.stockade.pki.PkiStore;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --crl-days}, and what {@code pki revoke} and {@code pki crl} share. */
final class CrlOptions {

    @Option(
            names = "--crl-days",
            paramLabel = "DAYS",
            description = "The CRL's next update is this many days away (default: the spec's pki.crl_days with"
                    + " --spec, else 7).")
    Integer days;

    /** --crl-days, else the spec's {@code pki.crl_days} (with --spec), else the default. */
    Duration validity(PkiDirOptions where) throws InputException {
        if (days != null) {
            return Duration.ofDays(days);
        }
        return Duration.ofDays(where.specFile != null ? where.spec().pki().crlDays() : PkiSpec.DEFAULT.crlDays());
    }

    /** The PKI directory, after checking the options; the CA must exist. */
    PkiStore store(CommandLine cl, PkiDirOptions where, Clock clock) throws InputException {
        if (days != null && (days < 1 || days > PkiSpec.MAX_CRL_DAYS)) {
            throw new CommandLine.ParameterException(cl, "--crl-days must be between 1 and " + PkiSpec.MAX_CRL_DAYS);
        }
        if (where.specFile == null && where.dir == null) {
            throw new CommandLine.ParameterException(cl, "give --spec SPEC or --dir DIR");
        }
        PkiStore store = new PkiStore(where.dir(), clock);
        if (!store.hasCa()) {
            throw new CommandLine.ParameterException(
                    cl, "there is no CA in " + where.dir() + " (create one: stockade pki init)");
        }
        return store;
    }

    static EnvironmentException cannotWrite(PkiStore store, IOException e) {
        return new EnvironmentException(
                "cannot write the CRL in " + store.dir() + ": " + IoErrors.describe(e),
                "check the path, its permissions and the free space",
                e);
    }

    static void printCrl(PrintWriter out, PkiStore store, X509CRL crl) {
        out.println("Signed   " + store.crlPemFile() + " and " + store.crlDerFile() + " (CRL number "
                + number(crl) + ", " + revokedCount(crl) + " revoked, next update "
                + crl.getNextUpdate().toInstant() + ")");
    }

    static int revokedCount(X509CRL crl) {
        return crl.getRevokedCertificates() == null
                ? 0
                : crl.getRevokedCertificates().size();
    }

    /** The CRL number extension's value (0 when absent). */
    static BigInteger number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ZERO;
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                .getValue();
    }
}
