package dev.stockade.provision;

/** The PEM texts a node's etcd member needs. The key is never printed. */
public record NodeTls(String caPem, String certPem, String keyPem) {

    @Override
    public String toString() {
        return "NodeTls[key hidden]";
    }
}
