package dev.stockade.provision;

import java.util.Optional;

/**
 * The PEM texts a node's etcd member needs, the CA's CRL when it has revoked anything, and the
 * proxy's certificate and key when the cluster CA issues it ({@code proxy.tls: internal}). Keys
 * are never printed.
 */
public record NodeTls(String caPem, String certPem, String keyPem, Optional<String> crlPem, Optional<Pair> proxy) {

    /** A certificate and its key. */
    public record Pair(String certPem, String keyPem) {

        @Override
        public String toString() {
            return "Pair[key hidden]";
        }
    }

    /** Without a proxy certificate. */
    public NodeTls(String caPem, String certPem, String keyPem, Optional<String> crlPem) {
        this(caPem, certPem, keyPem, crlPem, Optional.empty());
    }

    /** Without a CRL or a proxy certificate. */
    public NodeTls(String caPem, String certPem, String keyPem) {
        this(caPem, certPem, keyPem, Optional.empty());
    }

    @Override
    public String toString() {
        return "NodeTls[key hidden]";
    }
}
