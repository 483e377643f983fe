package dev.stockade.etcd;

import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.EtcdSpec;
import dev.stockade.spec.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An etcd member as the cluster knows it: its name and the peer URL the other members dial. etcd
 * identifies a member by its peer URLs, so a node that keeps its name but moves to another address
 * is a different member. The client URL is known for members of the spec, not for members only
 * named on the command line ({@code --existing-cluster}).
 */
public record Member(String name, String peerUrl, Optional<String> clientUrl) {

    /** Whether {@code other} is the same member: same name, same peer URL. */
    public boolean sameAs(Member other) {
        return name.equals(other.name) && peerUrl.equals(other.peerUrl);
    }

    /** {@code name=peerUrl}, as in {@code ETCD_INITIAL_CLUSTER}. */
    public String initialClusterEntry() {
        return name + "=" + peerUrl;
    }

    private static final java.util.regex.Pattern ENTRY =
            java.util.regex.Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(https?://[^\\s,=/]+:[0-9]{1,5})");

    /**
     * Members written as etcd's {@code ETCD_INITIAL_CLUSTER} is: {@code name=https://host:port,...}.
     *
     * @throws IllegalArgumentException saying which entry is wrong and why
     */
    public static List<Member> parseList(String text) {
        List<Member> members = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String entry : text.split(",", -1)) {
            java.util.regex.Matcher m = ENTRY.matcher(entry.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + entry.strip()
                        + "' is not NAME=https://ADDRESS:PORT (as etcdctl member list shows a member's peer URL)");
            }
            // a set, not a scan of the list: a build state holds one list per member (n lists of n)
            if (!names.add(m.group(1))) {
                throw new IllegalArgumentException("member '" + m.group(1) + "' is named twice");
            }
            members.add(new Member(m.group(1), m.group(2), Optional.empty()));
        }
        return List.copyOf(members);
    }

    /**
     * The members the spec asks for, in spec order; empty when the spec has no etcd, or when a
     * member's private address is unknown (the build is provisional and configures no etcd).
     */
    public static Optional<List<Member>> wanted(ClusterSpec spec) {
        if (spec.etcd().isEmpty()) {
            return Optional.empty();
        }
        EtcdSpec e = spec.etcd().get();
        List<Member> members = new ArrayList<>();
        for (NodeSpec n : spec.etcdMembers()) {
            if (n.privateV4().isEmpty()) {
                return Optional.empty();
            }
            String ip = n.privateV4().get().address();
            members.add(new Member(
                    n.name(),
                    "https://" + ip + ":" + e.peerPort(),
                    Optional.of("https://" + ip + ":" + e.clientPort())));
        }
        return Optional.of(List.copyOf(members));
    }
}
