package dev.stockade.pki;

import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Revoking certificates and the CA's certificate revocation list (RFC 5280, section 5): a v2 CRL
 * with one entry per revoked serial (revocation time and CRLReason), the CRL number and the
 * authority key identifier, signed by the CA key. It is signed again from {@code revoked.json} on
 * every revocation, valid for {@link #DEFAULT_VALIDITY} unless told otherwise: openssl refuses an
 * expired CRL ({@code -crl_check}), so it must be re-signed (run {@code pki revoke} again, or
 * {@code pki crl}) before its next update.
 */
public final class Crl {

    /** How long a CRL is valid when nothing else is asked for. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

    /** What {@link #revoke} did. {@code already} is true when the certificate had been revoked before. */
    public record Result(Revocations.Entry entry, boolean already, X509CRL crl) {}

    private Crl() {}

    /** Signs a CRL listing every entry of {@code revocations} under their CRL number. */
    public static X509CRL sign(CertificateAuthority ca, Revocations revocations, Instant now, Duration validity) {
        try {
            X509Certificate caCert = ca.certificate();
            X509v2CRLBuilder b =
                    new X509v2CRLBuilder(new JcaX509CertificateHolder(caCert).getSubject(), Date.from(now));
            b.setNextUpdate(Date.from(now.plus(validity)));
            for (Revocations.Entry e : revocations.entries()) {
                b.addCRLEntry(e.serial(), Date.from(e.revokedAt()), e.reason().code());
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(revocations.crlNumber()));
            b.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert.getPublicKey()));
            KeySpec spec = KeySpec.of(caCert.getPublicKey())
                    .orElseThrow(() -> new IllegalStateException("unsupported CA key type"));
            X509CRLHolder holder = b.build(Signer.contentSigner(spec, ca.key()));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (IOException
                | CRLException
                | OperatorCreationException
                | java.security.cert.CertificateEncodingException
                | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build a CRL", e);
        }
    }

    /**
     * Revokes the certificate named {@code target} (a file stem such as {@code core-3}, or a serial
     * in hex) and signs a new CRL; the CA key is loaded with {@code passphrase} (asked for only when
     * the key is encrypted).
     */
    public static Result revoke(
            PkiStore store,
            String target,
            RevocationReason reason,
            Instant now,
            Duration validity,
            CaPassphrase passphrase)
            throws InputException, IOException {
        return revokeAll(store, List.of(target), reason, now, validity, passphrase)
                .get(0);
    }

    /**
     * Revokes every certificate of {@code targets} and signs one new CRL, loading the CA key once;
     * the results are in the order of {@code targets}.
     */
    public static List<Result> revokeAll(
            PkiStore store,
            List<String> targets,
            RevocationReason reason,
            Instant now,
            Duration validity,
            CaPassphrase passphrase)
            throws InputException, IOException {
        X509Certificate caCert = store.loadCaCertificate();
        Revocations after = store.revocations();
        List<Revocations.Entry> entries = new ArrayList<>();
        List<Boolean> already = new ArrayList<>();
        for (String target : targets) {
            Revocations.Entry entry = resolve(store, target, caCert, reason, now);
            Optional<Revocations.Entry> earlier = after.find(entry.serial());
            after = earlier.isPresent() ? after : after.add(entry);
            entries.add(earlier.orElse(entry));
            already.add(earlier.isPresent());
        }
        after = after.nextNumber();
        X509CRL crl = sign(store.loadCa(passphrase), after, now, validity);
        store.saveRevocations(after, crl);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            results.add(new Result(entries.get(i), already.get(i), crl));
        }
        return results;
    }

    /** Signs the CRL again from {@code revoked.json}, e.g. before the current one's next update. */
    public static X509CRL refresh(PkiStore store, Instant now, Duration validity, CaPassphrase passphrase)
            throws InputException, IOException {
        Revocations after = store.revocations().nextNumber();
        X509CRL crl = sign(store.loadCa(passphrase), after, now, validity);
        store.saveRevocations(after, crl);
        return crl;
    }

    private static Revocations.Entry resolve(
            PkiStore store, String target, X509Certificate caCert, RevocationReason reason, Instant now)
            throws InputException, IOException {
        if (target.equals(PkiStore.CA)) {
            throw refuseCa(store);
        }
        if (!target.contains("/") && Files.exists(store.certFile(target))) {
            X509Certificate c = store.loadCertificate(target);
            return entryFor(store, target, c, caCert, reason, now);
        }
        Optional<BigInteger> serial = Revocations.parseSerial(target);
        if (serial.isPresent()) {
            if (serial.get().equals(caCert.getSerialNumber())) {
                throw refuseCa(store);
            }
            for (String name : store.certificateNames()) {
                X509Certificate c = store.loadCertificate(name);
                if (c.getSerialNumber().equals(serial.get())) {
                    return entryFor(store, name, c, caCert, reason, now);
                }
            }
            Optional<Revocations.Entry> known = store.revocations().find(serial.get());
            if (known.isPresent()) {
                return known.get();
            }
        }
        throw new InputException(dev.stockade.report.Diagnostic.error(
                "PKI-REVOKE-UNKNOWN",
                dev.stockade.report.SourceSpan.ofFile(store.dir().toString()),
                "no certificate named or with serial '" + target + "' in this PKI directory",
                "give a name (NAME for NAME.pem) or a serial as 'stockade pki inspect' prints it"));
    }

    private static Revocations.Entry entryFor(
            PkiStore store,
            String name,
            X509Certificate c,
            X509Certificate caCert,
            RevocationReason reason,
            Instant now)
            throws InputException {
        if (!CertificateChecks.signedBy(c, caCert)) {
            throw new InputException(dev.stockade.report.Diagnostic.error(
                    "PKI-REVOKE-UNKNOWN",
                    dev.stockade.report.SourceSpan.ofFile(store.certFile(name).toString()),
                    "this certificate was not issued by the CA in " + store.dir(),
                    "a CA can revoke only what it signed"));
        }
        if (c.getBasicConstraints() >= 0) {
            throw refuseCa(store);
        }
        return new Revocations.Entry(c.getSerialNumber(), name, now, reason);
    }

    private static InputException refuseCa(PkiStore store) {
        return new InputException(dev.stockade.report.Diagnostic.error(
                "PKI-REVOKE-CA",
                dev.stockade.report.SourceSpan.ofFile(
                        store.certFile(PkiStore.CA).toString()),
                "a CA cannot revoke itself",
                "to retire the CA, create a new one (pki init --force) and build again"));
    }

    /**
     * Checks the CRL against {@code revoked.json} and the CA: present when there are revocations
     * ({@code PKI-CRL-MISSING}), signed by the CA and listing every revoked serial ({@code
     * PKI-CRL-INVALID}), and not past its next update ({@code PKI-CRL-STALE}).
     */
    public static List<Finding> check(PkiStore store, X509Certificate caCert, Revocations revocations, Instant now)
            throws InputException {
        String file = store.crlPemFile().toString();
        if (!Files.exists(store.crlPemFile())) {
            if (revocations.entries().isEmpty()) {
                return List.of();
            }
            return List.of(new Finding(
                    "PKI-CRL-MISSING",
                    Severity.ERROR,
                    file,
                    revocations.entries().size() + " certificate(s) are revoked but there is no CRL",
                    "sign it again: stockade pki crl --dir " + store.dir()));
        }
        X509CRL crl = store.loadCrl();
        List<Finding> out = new ArrayList<>();
        try {
            crl.verify(caCert.getPublicKey());
        } catch (GeneralSecurityException e) {
            out.add(new Finding(
                    "PKI-CRL-INVALID",
                    Severity.ERROR,
                    file,
                    "the CRL is not signed by this CA",
                    "sign it again: stockade pki crl --dir " + store.dir()));
            return out;
        }
        List<String> missing = revocations.entries().stream()
                .filter(e -> crl.getRevokedCertificate(e.serial()) == null)
                .map(e -> e.name() + " (" + Revocations.hex(e.serial()) + ")")
                .toList();
        if (!missing.isEmpty()) {
            out.add(new Finding(
                    "PKI-CRL-INVALID",
                    Severity.ERROR,
                    file,
                    "the CRL does not list revoked " + String.join(", ", missing),
                    "sign it again: stockade pki crl --dir " + store.dir()));
        }
        if (crl.getNextUpdate() != null && !now.isBefore(crl.getNextUpdate().toInstant())) {
            out.add(new Finding(
                    "PKI-CRL-STALE",
                    Severity.WARNING,
                    file,
                    "the CRL's next update (" + crl.getNextUpdate().toInstant()
                            + ") has passed; openssl and other strict clients refuse it",
                    "sign it again: stockade pki crl --dir " + store.dir() + ", and copy it to the nodes"));
        }
        return out;
    }
}
