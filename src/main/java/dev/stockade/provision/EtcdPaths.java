package dev.stockade.provision;

import dev.stockade.spec.Target;

/**
 * Where etcd's TLS material lives on every node; the PKI writes exactly these files. Etcd runs in a
 * container and opens them by the path its container sees: on Fedora CoreOS Stockade's podman unit
 * mounts {@link #DIR} at the same path; on Flatcar and Container Linux the OS's {@code etcd-wrapper}
 * mounts the directory named by {@code ETCD_SSL_DIR} (set to {@link #DIR}) at {@link #WRAPPER_MOUNT}.
 */
public final class EtcdPaths {

    public static final String DIR = "/etc/ssl/etcd";
    public static final String CA = DIR + "/ca.pem";
    public static final String CERT = DIR + "/node.pem";
    public static final String KEY = DIR + "/node-key.pem";
    /** The CA's certificate revocation list, placed only when the PKI has one. */
    public static final String CRL = DIR + "/crl.pem";

    /** Where the etcd-member wrapper of Flatcar and Container Linux mounts {@code $ETCD_SSL_DIR}. */
    public static final String WRAPPER_MOUNT = "/etc/ssl/certs";

    private EtcdPaths() {}

    /** The path etcd opens, in its container on {@code target}, for the host file {@code hostPath} under {@link #DIR}. */
    public static String seenByEtcd(Target target, String hostPath) {
        if (!hostPath.startsWith(DIR + "/")) {
            throw new IllegalArgumentException(hostPath + " is not under " + DIR);
        }
        return target == Target.FCOS ? hostPath : WRAPPER_MOUNT + hostPath.substring(DIR.length());
    }
}
