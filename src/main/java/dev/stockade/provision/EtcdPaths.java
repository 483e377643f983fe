package dev.stockade.provision;

/** Where etcd's TLS material lives on every node; the PKI writes exactly these files. */
public final class EtcdPaths {

    public static final String DIR = "/etc/ssl/etcd";
    public static final String CA = DIR + "/ca.pem";
    public static final String CERT = DIR + "/node.pem";
    public static final String KEY = DIR + "/node-key.pem";

    private EtcdPaths() {}
}
