package dev.stockade.pki;

import dev.stockade.report.InputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Describes what a PEM file holds, one typed item per PEM object (their field names are the JSON
 * API of {@code pki inspect}). Private keys are described by type only; their material is never
 * part of the result.
 */
public final class Inspection {

    /** One PEM object. */
    public sealed interface Item permits CertificateInfo, RequestInfo, KeyInfo, OtherObject {
        /** What it is, as the text output names it: "certificate", "private key"... */
        String type();
    }

    /** A certificate: names, validity, key, usages and fingerprint. */
    public record CertificateInfo(
            String subject,
            String issuer,
            String serial,
            Instant notBefore,
            Instant notAfter,
            String key,
            String signature,
            boolean ca,
            List<String> dnsNames,
            List<String> ipAddresses,
            List<String> keyUsage,
            List<String> extendedKeyUsage,
            String sha256)
            implements Item {
        public CertificateInfo {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
            keyUsage = List.copyOf(keyUsage);
            extendedKeyUsage = List.copyOf(extendedKeyUsage);
        }

        @Override
        public String type() {
            return "certificate";
        }
    }

    /** A certificate signing request: its subject and key algorithm. */
    public record RequestInfo(String subject, String key) implements Item {
        @Override
        public String type() {
            return "certificate request";
        }
    }

    /** A private key: encrypted ones say nothing more; others give algorithm and encoding. */
    public record KeyInfo(boolean encrypted, Optional<String> algorithm, Optional<String> format) implements Item {
        @Override
        public String type() {
            return "private key";
        }
    }

    /** Any other PEM object, named by its kind. */
    public record OtherObject(String type) implements Item {}

    private static final Map<String, String> EKU_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1",
            "server auth",
            "1.3.6.1.5.5.7.3.2",
            "client auth",
            "1.3.6.1.5.5.7.3.3",
            "code signing",
            "1.3.6.1.5.5.7.3.4",
            "email protection",
            "1.3.6.1.5.5.7.3.8",
            "timestamping",
            "1.3.6.1.5.5.7.3.9",
            "ocsp signing");
    private static final String[] KEY_USAGE = {
        "digital signature",
        "content commitment",
        "key encipherment",
        "data encipherment",
        "key agreement",
        "cert sign",
        "crl sign",
        "encipher only",
        "decipher only"
    };

    private Inspection() {}

    public static List<Item> inspect(String file, String text) throws InputException {
        List<Item> out = new ArrayList<>();
        for (Object o : Pem.objects(file, text)) {
            if (o instanceof X509CertificateHolder) {
                out.add(certificate(Pem.certificate(file, (X509CertificateHolder) o)));
            } else if (o instanceof PKCS10CertificationRequest) {
                out.add(csr((PKCS10CertificationRequest) o));
            } else if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo) {
                out.add(key(Pem.privateKey(file, text, null)));
            } else if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                out.add(new KeyInfo(true, Optional.empty(), Optional.empty()));
            } else {
                out.add(new OtherObject(o.getClass().getSimpleName()));
            }
        }
        return out;
    }

    public static CertificateInfo certificate(X509Certificate c) {
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        CertificateChecks.sans(c, dns, ips);
        return new CertificateInfo(
                c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(16),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                describe(c.getPublicKey()),
                c.getSigAlgName(),
                c.getBasicConstraints() >= 0,
                List.copyOf(dns),
                ips.stream().map(Inspection::canonicalIp).toList(),
                keyUsage(c.getKeyUsage()),
                eku(c),
                fingerprint(c));
    }

    private static RequestInfo csr(PKCS10CertificationRequest r) {
        return new RequestInfo(
                Subject.text(r.getSubject()),
                r.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
    }

    private static KeyInfo key(java.security.PrivateKey k) {
        return new KeyInfo(false, Optional.of(k.getAlgorithm()), Optional.ofNullable(k.getFormat()));
    }

    private static String canonicalIp(String ip) {
        try {
            return dev.stockade.net.Prefix.parse(ip).address();
        } catch (IllegalArgumentException e) {
            return ip;
        }
    }

    static String describe(PublicKey k) {
        return KeySpec.of(k).map(KeySpec::keyword).orElse(k.getAlgorithm());
    }

    private static List<String> keyUsage(boolean[] bits) {
        List<String> out = new ArrayList<>();
        if (bits != null) {
            for (int i = 0; i < bits.length && i < KEY_USAGE.length; i++) {
                if (bits[i]) {
                    out.add(KEY_USAGE[i]);
                }
            }
        }
        return out;
    }

    private static List<String> eku(X509Certificate c) {
        try {
            List<String> ids = c.getExtendedKeyUsage();
            return ids == null
                    ? List.of()
                    : ids.stream().map(id -> EKU_NAMES.getOrDefault(id, id)).toList();
        } catch (CertificateParsingException e) {
            return List.of("(unreadable)");
        }
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.ofDelimiter(":")
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }
}
