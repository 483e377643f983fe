package dev.stockade.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** A freshly issued certificate with its key and the CSR it was made from. The key is never printed. */
public record IssuedCertificate(
        String name, X509Certificate certificate, PrivateKey key, PKCS10CertificationRequest csr) {

    @Override
    public String toString() {
        return "IssuedCertificate[" + name + ", "
                + certificate.getSubjectX500Principal().getName() + ", key hidden]";
    }
}
