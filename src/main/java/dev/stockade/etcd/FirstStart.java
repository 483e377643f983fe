package dev.stockade.etcd;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How a member starts for the first time: {@code ETCD_INITIAL_CLUSTER_STATE} and {@code
 * ETCD_INITIAL_CLUSTER}. etcd reads both only while its data directory is empty. A member of a new
 * cluster starts with every founding member; a member joining a running one starts with the
 * membership as it is right after its own {@code etcdctl member add}, which etcd compares with the
 * running cluster's (by peer URL) and refuses to join when they differ.
 */
public record FirstStart(boolean joinsExisting, List<Member> initialCluster) {

    public FirstStart {
        // only names and peer URLs matter to etcd here
        initialCluster = initialCluster.stream()
                .map(m -> new Member(m.name(), m.peerUrl(), java.util.Optional.empty()))
                .toList();
    }

    /** {@code new} or {@code existing}. */
    public String state() {
        return joinsExisting ? "existing" : "new";
    }

    /** {@code a=https://…:2380,b=https://…:2380}. */
    public String initialClusterText() {
        return initialCluster.stream().map(Member::initialClusterEntry).collect(Collectors.joining(","));
    }
}
