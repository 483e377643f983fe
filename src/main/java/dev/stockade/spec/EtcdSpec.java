package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;

/**
 * An etcd cluster over mutual TLS, with a member on each node named in {@code members} (every node
 * when empty). Peers may only reach each other on the private interface; clients are allowed from
 * {@code clientsFrom}.
 */
public record EtcdSpec(
        List<SourceRef> clientsFrom,
        int clientPort,
        int peerPort,
        List<String> members,
        java.util.Optional<String> image,
        SourceSpan span) {

    /** The image Fedora CoreOS members run when {@code image} is empty (by tag: {@code SPEC-ETCD-IMAGE}). */
    public static final String FCOS_IMAGE = "quay.io/coreos/etcd:v3.5.17";

    public static final int DEFAULT_CLIENT_PORT = 2379;
    public static final int DEFAULT_PEER_PORT = 2380;

    public EtcdSpec {
        clientsFrom = List.copyOf(clientsFrom);
        members = List.copyOf(members);
    }

    /** Whether {@code node} runs an etcd member (every node when {@code members} is empty). */
    public boolean isMember(String node) {
        return members.isEmpty() || members.contains(node);
    }
}
