package dev.stockade.provision;

import java.util.Optional;

/**
 * The PEM texts a node's etcd member needs, and the CA's CRL when it has revoked anything. The key
 * is never printed.
 */
public record NodeTls(String caPem, String certPem, String keyPem, Optional<String> crlPem) {

    /** Without a CRL. */
    public NodeTls(String caPem, String certPem, String keyPem) {
        this(caPem, certPem, keyPem, Optional.empty());
    }

    @Override
    public String toString() {
        return "NodeTls[key hidden]";
    }
}
