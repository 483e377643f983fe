package dev.stockade.testing.etcd;

import java.nio.file.Path;

/**
 * The TLS files {@code etcdctl} is given ({@code --cacert}, {@code --cert}, {@code --key}); a null
 * component is simply not passed.
 *
 * @param caFile   the CA bundle the client trusts the servers with, or null
 * @param certFile the client certificate, or null (no client certificate is presented)
 * @param keyFile  the client certificate's private key, or null
 */
public record TlsClient(Path caFile, Path certFile, Path keyFile) {

    /** No TLS files at all. */
    public static final TlsClient NONE = new TlsClient(null, null, null);

    /** Only {@code --cacert}: the server is verified, but no client certificate is presented. */
    public static TlsClient caOnly(Path caFile) {
        return new TlsClient(caFile, null, null);
    }
}
