package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;

/**
 * An etcd cluster over mutual TLS, with a member on each node named in {@code members} (every node
 * when empty). Peers may only reach each other on the private interface; clients are allowed from
 * {@code clientsFrom}.
 */
public record EtcdSpec(
        List<SourceRef> clientsFrom, int clientPort, int peerPort, List<String> members, SourceSpan span) {

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
