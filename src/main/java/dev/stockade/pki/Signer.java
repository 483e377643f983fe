package dev.stockade.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes certificates: self-signed CAs and leaf certificates signed by a CA. Serial numbers are 159
 * random bits (positive, as RFC 5280 asks); validity starts five minutes in the past to tolerate
 * clock skew between the machine that signs and the nodes. Signing uses the JDK's providers.
 */
public final class Signer {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private Signer() {}

    /** A new self-signed CA (basic constraints CA:true, path length 0: it signs leaves only). */
    public static CertificateAuthority newCa(
            KeySpec spec, String commonName, List<Subject.Name> names, Duration validity, Instant now) {
        KeyPair kp = spec.generate();
        X500Name subject = Subject.of(commonName, names);
        X509Certificate cert = build(
                subject,
                kp.getPublic(),
                subject,
                kp.getPrivate(),
                kp.getPublic(),
                spec,
                List.of(),
                List.of(),
                CertRequest.usagesFor(Role.CA),
                true,
                validity,
                now);
        return new CertificateAuthority(cert, kp.getPrivate());
    }

    /** Generates a key and a CSR for {@code req}, and signs it with {@code ca}. */
    public static IssuedCertificate issue(CertificateAuthority ca, CertRequest req, KeySpec spec, Instant now) {
        KeyPair kp = spec.generate();
        X500Name subject = Subject.of(req.commonName(), req.subject());
        PKCS10CertificationRequest csr = csr(subject, kp, spec);
        X509Certificate cert = sign(ca, subject, kp.getPublic(), req, now);
        return new IssuedCertificate(req.name(), cert, kp.getPrivate(), csr);
    }

    /** Signs a public key (e.g. from a CSR) with {@code ca}. */
    public static X509Certificate sign(
            CertificateAuthority ca, X500Name subject, PublicKey key, CertRequest req, Instant now) {
        KeySpec caSpec = KeySpec.of(ca.certificate().getPublicKey())
                .orElseThrow(() -> new IllegalArgumentException("unsupported CA key type"));
        X500Name issuer =
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        Duration validity = req.validity();
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (now.plus(validity).isAfter(caEnd)) {
            validity = Duration.between(now, caEnd);
        }
        return build(
                subject,
                key,
                issuer,
                ca.key(),
                ca.certificate().getPublicKey(),
                caSpec,
                req.dnsNames(),
                req.ipAddresses(),
                req.usages(),
                req.ca(),
                validity,
                now);
    }

    private static PKCS10CertificationRequest csr(X500Name subject, KeyPair kp, KeySpec spec) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, kp.getPublic())
                    .build(contentSigner(spec, kp.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR", e);
        }
    }

    private static X509Certificate build(
            X500Name subject,
            PublicKey key,
            X500Name issuer,
            PrivateKey issuerKey,
            PublicKey issuerPublic,
            KeySpec issuerSpec,
            List<String> dns,
            List<String> ips,
            List<String> usages,
            boolean ca,
            Duration validity,
            Instant now) {
        try {
            Instant notBefore = now.minus(BACKDATE);
            BigInteger serial = new BigInteger(159, RANDOM).setBit(158);
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(
                    issuer,
                    serial,
                    Date.from(notBefore),
                    Date.from(now.plus(validity)),
                    subject,
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(
                    Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(usages, ca)));
            List<KeyPurposeId> eku = extendedKeyUsage(usages);
            if (!eku.isEmpty()) {
                b.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
            List<GeneralName> sans = new ArrayList<>();
            dns.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(i -> sans.add(new GeneralName(GeneralName.iPAddress, i)));
            if (!sans.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            X509CertificateHolder holder = b.build(contentSigner(issuerSpec, issuerKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException
                | OperatorCreationException
                | CertificateException
                | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build a certificate", e);
        }
    }

    /** ECDSA through {@link FastEc}; RSA through the JDK. */
    static ContentSigner contentSigner(KeySpec spec, PrivateKey key) throws OperatorCreationException {
        if (spec.isEc() && key instanceof java.security.interfaces.ECPrivateKey) {
            return FastEc.signer(key, spec.signatureAlgorithm());
        }
        return new JcaContentSignerBuilder(spec.signatureAlgorithm()).build(key);
    }

    static int keyUsage(List<String> usages, boolean ca) {
        int bits = 0;
        for (String u : usages) {
            switch (u.toLowerCase(Locale.ROOT)) {
                case "signing":
                case "digital signature":
                    bits |= KeyUsage.digitalSignature;
                    break;
                case "key encipherment":
                    bits |= KeyUsage.keyEncipherment;
                    break;
                case "content commitment":
                    bits |= KeyUsage.nonRepudiation;
                    break;
                case "data encipherment":
                    bits |= KeyUsage.dataEncipherment;
                    break;
                case "key agreement":
                    bits |= KeyUsage.keyAgreement;
                    break;
                case "cert sign":
                    bits |= KeyUsage.keyCertSign;
                    break;
                case "crl sign":
                    bits |= KeyUsage.cRLSign;
                    break;
                default:
                    break;
            }
        }
        if (ca) {
            bits |= KeyUsage.keyCertSign | KeyUsage.cRLSign;
        }
        return bits == 0 ? KeyUsage.digitalSignature : bits;
    }

    static List<KeyPurposeId> extendedKeyUsage(List<String> usages) {
        List<KeyPurposeId> ids = new ArrayList<>();
        for (String u : usages) {
            KeyPurposeId id = Usages.EXTENDED.get(u.toLowerCase(Locale.ROOT));
            if (id != null && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
