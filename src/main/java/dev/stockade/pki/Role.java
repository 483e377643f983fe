package dev.stockade.pki;

/** What a certificate is for; decides its key usages and extended key usages. */
public enum Role {
    /** A certificate authority: keyCertSign and cRLSign, no EKU. */
    CA,
    /** An etcd member: serves clients and peers, and is a client of its peers (EKU server + client). */
    PEER,
    /** A client only (etcdctl, services, locksmith): EKU client. */
    CLIENT;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
