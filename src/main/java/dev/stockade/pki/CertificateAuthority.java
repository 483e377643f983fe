package dev.stockade.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A CA certificate with its private key. {@link #toString()} never shows the key. */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", key hidden]";
    }
}
