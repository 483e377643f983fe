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
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * Makes certificates: self-signed CAs and leaf certificates signed by a CA. Serial numbers are 159
 * random bits (positive, as RFC 5280 asks); validity starts five minutes in the past to tolerate
 * clock skew between the machine that signs and the nodes. ECDSA goes through {@link FastEc}, RSA
 * through the JDK's providers.
 *
 * <p>Issuing a cluster's certificates is three products with the curve's generator per certificate
 * (the key, the CSR's signature, the certificate's signature), so {@link #issueAll} prepares the CA
 * once (its name, key identifier, validity bounds), issues on every core, and from {@value #MANY}
 * certificates on uses the precomputed {@link GeneratorTable}. The CSR is signed because it is
 * written beside each certificate ({@code NAME.csr}, as cfssljson does); the certificate is made from
 * the public key directly, not from the CSR.
 */
public final class Signer {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration BACKDATE = Duration.ofMinutes(5);
    /** From this many certificates on, a batch builds and uses the generator tables. */
    static final int MANY = 16;

    private Signer() {}

    /** A new self-signed CA (basic constraints CA:true, path length 0: it signs leaves only). */
    public static CertificateAuthority newCa(
            KeySpec spec, String commonName, List<Subject.Name> names, Duration validity, Instant now) {
        KeyPair kp = spec.generate();
        X500Name subject = Subject.of(commonName, names);
        SubjectPublicKeyInfo key =
                SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        X509Certificate cert = build(
                subject,
                time(now.minus(BACKDATE)),
                time(now.plus(validity)),
                subject,
                key,
                authorityKeyIdentifier(key),
                List.of(),
                List.of(),
                CertRequest.usagesFor(Role.CA),
                true,
                () -> contentSigner(spec, kp.getPrivate(), false));
        return new CertificateAuthority(cert, kp.getPrivate());
    }

    /** Generates a key and a CSR for {@code req}, and signs a certificate for the key with {@code ca}. */
    public static IssuedCertificate issue(CertificateAuthority ca, CertRequest req, KeySpec spec, Instant now) {
        return new Issuing(ca, now, false).issue(req, spec);
    }

    /**
     * {@link #issue} for every request, on all cores; the results come in the order of {@code
     * requests}, each with its own key, CSR and serial number.
     */
    public static List<IssuedCertificate> issueAll(
            CertificateAuthority ca, List<CertRequest> requests, KeySpec spec, Instant now) {
        if (requests.isEmpty()) {
            return List.of();
        }
        Issuing issuing = new Issuing(ca, now, requests.size() >= MANY);
        return requests.parallelStream().map(r -> issuing.issue(r, spec)).toList();
    }

    /** Signs a public key (e.g. from a CSR) with {@code ca}. */
    public static X509Certificate sign(
            CertificateAuthority ca, X500Name subject, PublicKey key, CertRequest req, Instant now) {
        return new Issuing(ca, now, false).sign(subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()), req);
    }

    /** A CA prepared for signing at one instant: what every certificate takes from it, decoded once. */
    private static final class Issuing {
        private final CertificateAuthority ca;
        private final KeySpec caSpec;
        private final X500Name issuer;
        private final Extension authorityKeyId;
        private final Instant now;
        private final Instant caEnd;
        private final Time notBefore;
        private final boolean many;
        private final java.util.Map<Duration, Time> notAfter = new java.util.concurrent.ConcurrentHashMap<>();

        Issuing(CertificateAuthority ca, Instant now, boolean many) {
            this.ca = ca;
            this.caSpec = KeySpec.of(ca.certificate().getPublicKey())
                    .orElseThrow(() -> new IllegalArgumentException("unsupported CA key type"));
            this.issuer = X500Name.getInstance(
                    ca.certificate().getSubjectX500Principal().getEncoded());
            this.authorityKeyId = authorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(
                    ca.certificate().getPublicKey().getEncoded()));
            this.now = now;
            this.caEnd = ca.certificate().getNotAfter().toInstant();
            this.notBefore = time(now.minus(BACKDATE));
            this.many = many;
        }

        IssuedCertificate issue(CertRequest req, KeySpec spec) {
            KeyPair kp = spec.generate(many);
            X500Name subject = Subject.of(req.commonName(), req.subject());
            SubjectPublicKeyInfo key =
                    SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
            PKCS10CertificationRequest csr;
            try {
                csr = new PKCS10CertificationRequestBuilder(subject, key)
                        .build(contentSigner(spec, kp.getPrivate(), many));
            } catch (OperatorCreationException e) {
                throw new IllegalStateException("cannot sign a CSR", e);
            }
            return new IssuedCertificate(req.name(), sign(subject, key, req), kp.getPrivate(), csr);
        }

        X509Certificate sign(X500Name subject, SubjectPublicKeyInfo key, CertRequest req) {
            Duration validity = req.validity();
            if (now.plus(validity).isAfter(caEnd)) {
                validity = Duration.between(now, caEnd);
            }
            Time end = notAfter.computeIfAbsent(validity, v -> time(now.plus(v)));
            return build(
                    issuer,
                    notBefore,
                    end,
                    subject,
                    key,
                    authorityKeyId,
                    req.dnsNames(),
                    req.ipAddresses(),
                    req.usages(),
                    req.ca(),
                    () -> contentSigner(caSpec, ca.key(), many));
        }
    }

    /** Makes a content signer; BouncyCastle's builders declare a checked exception. */
    private interface SignerSource {
        ContentSigner get() throws OperatorCreationException;
    }

    private static X509Certificate build(
            X500Name issuer,
            Time notBefore,
            Time notAfter,
            X500Name subject,
            SubjectPublicKeyInfo key,
            Extension authorityKeyId,
            List<String> dns,
            List<String> ips,
            List<String> usages,
            boolean ca,
            SignerSource signer) {
        try {
            BigInteger serial = new BigInteger(159, RANDOM).setBit(158);
            X509v3CertificateBuilder b =
                    new X509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, key);
            b.addExtension(
                    Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(usages, ca)));
            List<KeyPurposeId> eku = extendedKeyUsage(usages);
            if (!eku.isEmpty()) {
                b.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(key)));
            b.addExtension(authorityKeyId);
            List<GeneralName> sans = new ArrayList<>();
            dns.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(i -> sans.add(new GeneralName(GeneralName.iPAddress, i)));
            if (!sans.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            X509CertificateHolder holder = b.build(signer.get());
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot build a certificate", e);
        }
    }

    /**
     * A certificate time as RFC 5280, 4.1.2.5 wants it and BouncyCastle's {@code new Time(Date)} makes
     * it: UTCTime (YYMMDDHHMMSSZ) from 1950 to 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise, whole
     * seconds. Made from its DER bytes because BouncyCastle's constructors format and check the text
     * with {@code SimpleDateFormat}, whose first use loads the JDK's locale data (tens of
     * milliseconds, before the first certificate).
     */
    static Time time(Instant t) {
        java.time.ZonedDateTime z = t.atZone(java.time.ZoneOffset.UTC);
        int year = z.getYear();
        boolean utc = year >= 1950 && year <= 2049;
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must lie in the years 0 to 9999: " + t);
        }
        StringBuilder text = new StringBuilder(15);
        pad(text, utc ? year % 100 : year, utc ? 2 : 4);
        pad(text, z.getMonthValue(), 2);
        pad(text, z.getDayOfMonth(), 2);
        pad(text, z.getHour(), 2);
        pad(text, z.getMinute(), 2);
        pad(text, z.getSecond(), 2);
        text.append('Z');
        byte[] der = new byte[text.length() + 2];
        der[0] = (byte) (utc ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length();
        for (int i = 0; i < text.length(); i++) {
            der[i + 2] = (byte) text.charAt(i);
        }
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + t, e);
        }
    }

    private static void pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(digits);
    }

    /**
     * The key identifier of RFC 5280, 4.2.1.2, method (1): the SHA-1 hash of the public key's bit
     * string (what BouncyCastle's {@code JcaX509ExtensionUtils} computes).
     */
    static byte[] keyIdentifier(SubjectPublicKeyInfo key) {
        byte[] bits = key.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(bits, 0, bits.length);
        byte[] id = new byte[sha1.getDigestSize()];
        sha1.doFinal(id, 0);
        return id;
    }

    private static Extension authorityKeyIdentifier(SubjectPublicKeyInfo issuerKey) {
        try {
            return new Extension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new AuthorityKeyIdentifier(keyIdentifier(issuerKey)).getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a key identifier", e);
        }
    }

    /** ECDSA through {@link FastEc}; RSA through the JDK. */
    static ContentSigner contentSigner(KeySpec spec, PrivateKey key) throws OperatorCreationException {
        return contentSigner(spec, key, false);
    }

    private static ContentSigner contentSigner(KeySpec spec, PrivateKey key, boolean many)
            throws OperatorCreationException {
        if (spec.isEc() && key instanceof java.security.interfaces.ECPrivateKey) {
            return FastEc.signer(key, spec.signatureAlgorithm(), many);
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
