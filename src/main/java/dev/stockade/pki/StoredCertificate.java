package dev.stockade.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;

/** A certificate and its key as found on disk, with the key file's permission bits. Key hidden. */
public record StoredCertificate(
        String name,
        X509Certificate certificate,
        PrivateKey key,
        Path certFile,
        Path keyFile,
        Set<java.nio.file.attribute.PosixFilePermission> keyPermissions) {

    @Override
    public String toString() {
        return "StoredCertificate[" + name + ", " + certFile + ", key hidden]";
    }
}
