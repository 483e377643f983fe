package dev.stockade.pki;

import dev.stockade.report.InputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Describes what a PEM file holds, as ordered field maps (stable names: they are the JSON API).
 * Private keys are described by type and size only; their material is never part of the result.
 */
public final class Inspection {

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

    public static List<Map<String, Object>> inspect(String file, String text) throws InputException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Pem.objects(file, text)) {
            if (o instanceof X509CertificateHolder) {
                out.add(certificate(Pem.certificate(file, (X509CertificateHolder) o)));
            } else if (o instanceof PKCS10CertificationRequest) {
                out.add(csr((PKCS10CertificationRequest) o));
            } else if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo) {
                out.add(key(Pem.privateKey(file, text, null)));
            } else if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "private key");
                m.put("encrypted", true);
                out.add(m);
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", o.getClass().getSimpleName());
                out.add(m);
            }
        }
        return out;
    }

    public static Map<String, Object> certificate(X509Certificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "certificate");
        m.put("subject", c.getSubjectX500Principal().getName());
        m.put("issuer", c.getIssuerX500Principal().getName());
        m.put("serial", c.getSerialNumber().toString(16));
        m.put("not_before", c.getNotBefore().toInstant().toString());
        m.put("not_after", c.getNotAfter().toInstant().toString());
        m.put("key", describe(c.getPublicKey()));
        m.put("signature", c.getSigAlgName());
        m.put("ca", c.getBasicConstraints() >= 0);
        TreeSet<String> dns = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        CertificateChecks.sans(c, dns, ips);
        m.put("dns_names", List.copyOf(dns));
        m.put("ip_addresses", ips.stream().map(Inspection::canonicalIp).toList());
        m.put("key_usage", keyUsage(c.getKeyUsage()));
        m.put("extended_key_usage", eku(c));
        m.put("sha256", fingerprint(c));
        return m;
    }

    private static Map<String, Object> csr(PKCS10CertificationRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "certificate request");
        m.put("subject", Subject.text(r.getSubject()));
        m.put("key", r.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
        return m;
    }

    private static Map<String, Object> key(java.security.PrivateKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "private key");
        m.put("encrypted", false);
        m.put("algorithm", k.getAlgorithm());
        m.put("format", k.getFormat());
        return m;
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
