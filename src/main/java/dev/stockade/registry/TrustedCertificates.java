package dev.stockade.registry;

import dev.stockade.io.TextFiles;
import dev.stockade.pki.Pem;
import dev.stockade.report.InputException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a registry's TLS certificate may chain to: the JDK's default trust store plus
 * the CA certificates in the caller's PEM files. Both go into one PKIX trust manager, so the JDK's
 * own path validation and host name checks apply unchanged.
 */
final class TrustedCertificates {

    static final long MAX_PEM_BYTES = 4L << 20;

    private TrustedCertificates() {}

    /** Every certificate in the PEM files (a file may hold a bundle). */
    static List<X509Certificate> read(List<Path> pemFiles) throws InputException {
        List<X509Certificate> out = new ArrayList<>();
        for (Path p : pemFiles) {
            out.addAll(Pem.certificates(p.toString(), TextFiles.read(p, "PKI", MAX_PEM_BYTES)));
        }
        return out;
    }

    /** A TLS context trusting the JDK's defaults and {@code extra}. */
    static SSLContext context(List<X509Certificate> extra) {
        try {
            if (extra.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (TrustManager tm : defaults.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    for (X509Certificate c : ((X509TrustManager) tm).getAcceptedIssuers()) {
                        store.setCertificateEntry("default-" + n++, c);
                    }
                }
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("extra-" + n++, c);
            }
            TrustManagerFactory all = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            all.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, all.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e, e);
        }
    }
}
