package dev.stockade.pki;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM in and out. Private keys are always written as PKCS#8 ({@code PRIVATE KEY}) from the key's
 * own DER encoding, which keeps EC keys on their named curve: openssl, Go (etcd) and cfssl all read
 * it. Reading accepts what cfssl and openssl write: PKCS#8, SEC1 {@code EC PRIVATE KEY}, PKCS#1
 * {@code RSA PRIVATE KEY} and encrypted PKCS#8.
 */
public final class Pem {

    private Pem() {}

    public static String certificate(X509Certificate cert) {
        try {
            return pem("CERTIFICATE", cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String crl(java.security.cert.X509CRL crl) {
        try {
            return pem("X509 CRL", crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first CRL in a PEM text ({@code -----BEGIN X509 CRL-----}). */
    public static java.security.cert.X509CRL crl(String file, String text) throws InputException {
        for (Object o : objects(file, text)) {
            if (o instanceof org.bouncycastle.cert.X509CRLHolder) {
                try {
                    return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter()
                            .getCRL((org.bouncycastle.cert.X509CRLHolder) o);
                } catch (java.security.cert.CRLException e) {
                    throw bad(file, "PKI-PEM", "the CRL in it cannot be decoded: " + e.getMessage(), "");
                }
            }
        }
        throw bad(file, "PKI-PEM", "holds no CRL", "expected a '-----BEGIN X509 CRL-----' block");
    }

    public static String privateKey(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String csr(PKCS10CertificationRequest csr) {
        try {
            return pem("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8 encrypted with AES-256-CBC and PBKDF2 (what {@code openssl pkcs8 -topk8 -v2 aes256} writes). */
    public static String encryptedPrivateKey(PrivateKey key, char[] passphrase) {
        try {
            JceOpenSSLPKCS8EncryptorBuilder b =
                    new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC);
            b.setProvider(Providers.bouncyCastle());
            b.setIterationCount(600_000);
            b.setPassword(passphrase);
            b.setPRF(org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(
                    new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
                            org.bouncycastle.asn1.DERNull.INSTANCE)));
            PemObject obj = new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, b.build()).generate();
            return pem(obj.getType(), obj.getContent());
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt the key", e);
        }
    }

    /**
     * RFC 7468 text: the base64 in lines of 64 characters, each ending in a newline (what
     * BouncyCastle's {@code PemWriter} writes on Linux, without its 8 KB buffer per call).
     */
    static String pem(String type, byte[] der) {
        String body = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        StringBuilder sb = new StringBuilder(body.length() + 2 * type.length() + 40);
        sb.append("-----BEGIN ").append(type).append("-----\n");
        if (!body.isEmpty()) {
            sb.append(body).append('\n');
        }
        return sb.append("-----END ").append(type).append("-----\n").toString();
    }

    /** Every certificate in a PEM text (a chain or bundle), in order. */
    public static List<X509Certificate> certificates(String file, String text) throws InputException {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : objects(file, text)) {
            if (o instanceof X509CertificateHolder) {
                out.add(certificate(file, (X509CertificateHolder) o));
            }
        }
        if (out.isEmpty()) {
            throw bad(file, "PKI-PEM", "holds no certificate", "expected a '-----BEGIN CERTIFICATE-----' block");
        }
        return out;
    }

    /** One certificate block as read by {@link #objects}, decoded by the JDK. */
    static X509Certificate certificate(String file, X509CertificateHolder holder) throws InputException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw bad(file, "PKI-PEM", "a certificate in it cannot be decoded: " + e.getMessage(), "");
        }
    }

    /**
     * The private key in a PEM text. {@code passphrase} is used only for an encrypted key; an
     * encrypted key without a passphrase, or with a wrong one, is a clear error.
     */
    public static PrivateKey privateKey(String file, String text, char[] passphrase) throws InputException {
        for (Object o : objects(file, text)) {
            try {
                JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
                if (o instanceof PEMKeyPair) {
                    return conv.getKeyPair((PEMKeyPair) o).getPrivate();
                }
                if (o instanceof PrivateKeyInfo) {
                    return conv.getPrivateKey((PrivateKeyInfo) o);
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    if (passphrase == null) {
                        throw bad(
                                file,
                                "PKI-KEY-ENCRYPTED",
                                "the key is encrypted and no passphrase was given",
                                "for the CA key, give --ca-passphrase-file FILE or --ca-passphrase-env VAR, or run the"
                                        + " command on a terminal to be asked for it; other keys are read unencrypted");
                    }
                    PrivateKeyInfo info = ((PKCS8EncryptedPrivateKeyInfo) o)
                            .decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                    .setProvider(Providers.bouncyCastle())
                                    .build(passphrase));
                    return conv.getPrivateKey(info);
                }
                if (o instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair) {
                    throw bad(
                            file,
                            "PKI-KEY-LEGACY",
                            "the key uses legacy OpenSSL encryption (Proc-Type: 4,ENCRYPTED)",
                            "convert it: openssl pkcs8 -topk8 -v2 aes256 -in KEY -out KEY.p8");
                }
            } catch (PKCSException e) {
                throw bad(
                        file,
                        "PKI-PASSPHRASE",
                        "cannot decrypt the key: wrong passphrase?",
                        "check the passphrase source");
            } catch (PEMException | OperatorCreationException e) {
                throw bad(file, "PKI-PEM", "the private key cannot be decoded: " + e.getMessage(), "");
            }
        }
        throw bad(file, "PKI-PEM", "holds no private key", "expected a '-----BEGIN ... PRIVATE KEY-----' block");
    }

    /** Whether the first key in {@code text} is encrypted (PKCS#8 or a legacy OpenSSL key). */
    public static boolean isEncryptedKey(String file, String text) throws InputException {
        return objects(file, text).stream()
                .anyMatch(o -> o instanceof PKCS8EncryptedPrivateKeyInfo
                        || o instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair);
    }

    public static PKCS10CertificationRequest csr(String file, String text) throws InputException {
        for (Object o : objects(file, text)) {
            if (o instanceof PKCS10CertificationRequest) {
                return (PKCS10CertificationRequest) o;
            }
        }
        throw bad(file, "PKI-PEM", "holds no certificate request", "expected '-----BEGIN CERTIFICATE REQUEST-----'");
    }

    /** All PEM objects, decoded by BouncyCastle; malformed base64 or DER is a {@code PKI-PEM} error. */
    public static List<Object> objects(String file, String text) throws InputException {
        List<Object> out = new ArrayList<>();
        if (!text.contains("-----BEGIN ")) {
            throw bad(
                    file,
                    "PKI-PEM",
                    "is not PEM (no '-----BEGIN' line)",
                    "give a PEM file such as ca.pem or node-key.pem");
        }
        try (PEMParser p = new PEMParser(new StringReader(text))) {
            for (int i = 0; i < 10_000; i++) {
                Object o = p.readObject();
                if (o == null) {
                    break;
                }
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw bad(
                    file,
                    "PKI-PEM",
                    "corrupt PEM: " + e.getMessage(),
                    "the file may be truncated or edited; re-export it");
        }
        if (out.isEmpty()) {
            throw bad(file, "PKI-PEM", "corrupt PEM: no readable block", "the file may be truncated or edited");
        }
        return out;
    }

    static InputException bad(String file, String code, String message, String hint) {
        return new InputException(Diagnostic.error(code, SourceSpan.ofFile(file), message, hint));
    }
}
