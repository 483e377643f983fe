package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;

/**
 * An etcd cluster with one member per node, always over mutual TLS. Peers may only reach each
 * other on the private interface; clients are allowed from {@code clientsFrom}.
 */
public record EtcdSpec(List<SourceRef> clientsFrom, int clientPort, int peerPort, SourceSpan span) {

    public static final int DEFAULT_CLIENT_PORT = 2379;
    public static final int DEFAULT_PEER_PORT = 2380;

    public EtcdSpec {
        clientsFrom = List.copyOf(clientsFrom);
    }
}
