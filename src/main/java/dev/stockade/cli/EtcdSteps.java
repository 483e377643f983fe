package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.etcd.Member;
import dev.stockade.etcd.MembershipChange;
import dev.stockade.pki.PkiStore;
import dev.stockade.provision.NodePlanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator runs after a build that changes a running etcd cluster, in the order that keeps
 * quorum ({@link MembershipChange}): remove departing members one at a time, load the new firewall
 * on the members that stay, give them the new CRL, then add the arriving members one at a time.
 * Commands are POSIX shell with {@code etcdctl} v3 configured through its environment variables,
 * so each command is short and the TLS files are named once.
 *
 * @param environment {@code ETCDCTL_*} variables: the staying members' client URLs and a client certificate
 * @param steps in order
 */
record EtcdSteps(Map<String, String> environment, List<Step> steps) {

    /**
     * One step.
     *
     * @param action {@code remove}, {@code firewall}, {@code crl} or {@code add}
     * @param nodes the nodes it concerns
     * @param commands shell commands, run with {@link #environment} exported; may be empty
     * @param note what else to do, in words
     */
    record Step(String action, List<String> nodes, List<String> commands, String note) {}

    static final EtcdSteps NONE = new EtcdSteps(Map.of(), List.of());

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** {@code export ETCDCTL_ENDPOINTS=... ...}, quoted for the shell. */
    String exportLine() {
        StringBuilder sb = new StringBuilder("export");
        environment.forEach((k, v) -> sb.append(' ').append(k).append('=').append(shellQuote(v)));
        return sb.toString();
    }

    /**
     * The steps after {@code r}; none when no running cluster changes.
     *
     * @param dir the build's output directory
     * @param revoked certificates revoked by this build (or to be, in a dry run)
     */
    static EtcdSteps of(BuildResult r, Path dir, Path pkiDir, List<String> revoked) {
        MembershipChange etcd = r.etcd();
        List<Member> kept = etcd.kept();
        if (kept.isEmpty() || (!etcd.changes() && revoked.isEmpty())) {
            return NONE;
        }
        List<String> keptNames = kept.stream().map(Member::name).toList();
        PkiStore pki = new PkiStore(pkiDir.toAbsolutePath().normalize(), java.time.Clock.systemUTC());
        String client = r.spec().pki().clients().isEmpty()
                ? keptNames.get(0)
                : r.spec().pki().clients().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(
                "ETCDCTL_ENDPOINTS",
                String.join(
                        ",", kept.stream().map(m -> m.clientUrl().orElseThrow()).toList()));
        env.put("ETCDCTL_CACERT", pki.certFile(PkiStore.CA).toString());
        env.put("ETCDCTL_CERT", pki.certFile(client).toString());
        env.put("ETCDCTL_KEY", pki.keyFile(client).toString());
        String out = dir.toAbsolutePath().normalize().toString();
        List<Step> steps = new ArrayList<>();
        for (Member m : etcd.removed()) {
            steps.add(new Step(
                    "remove",
                    List.of(m.name()),
                    List.of("etcdctl member remove \"$(etcdctl member list | awk -F', ' '$3 == \"" + m.name()
                            + "\" { print $1 }')\""),
                    "etcd on " + m.name() + " stops by itself once removed; then shut " + m.name() + " down"));
        }
        if (etcd.changes()) {
            steps.add(new Step(
                    "firewall",
                    keptNames,
                    List.of(),
                    "load the new rules on " + String.join(", ", keptNames) + " (" + out + "/<node>/"
                            + ClusterBuilder.RULES_V4 + " and " + ClusterBuilder.RULES_V6 + " with iptables-restore"
                            + " and ip6tables-restore, and as " + NodePlanner.RULES_V4 + " and "
                            + NodePlanner.RULES_V6 + "): they admit the new members' peer traffic and no longer"
                            + " the removed members'"));
        }
        if (!revoked.isEmpty()) {
            steps.add(new Step(
                    "crl",
                    keptNames,
                    List.of(),
                    "copy " + pki.crlPemFile() + " to " + dev.stockade.provision.EtcdPaths.CRL + " on "
                            + String.join(", ", keptNames) + " and restart etcd there, one member at a time:"
                            + " etcd reads the CRL only at start, and until then still accepts "
                            + String.join(", ", revoked)));
        }
        for (Member m : etcd.added()) {
            steps.add(new Step(
                    "add",
                    List.of(m.name()),
                    List.of("etcdctl member add " + m.name() + " --peer-urls=" + m.peerUrl()),
                    "then boot " + m.name() + " with its provisioning from " + out + "/" + m.name()
                            + "/ (it joins with ETCD_INITIAL_CLUSTER_STATE=existing) and wait until it is"
                            + " healthy before the next step; etcd answers 'unhealthy cluster' until every"
                            + " member has been connected for 5 seconds: wait and run the command again"));
        }
        return new EtcdSteps(env, steps);
    }

    /** {@code s} as one shell word: as is when it is plain, else in single quotes. */
    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Optional<String> describeChange(MembershipChange etcd) {
        if (!etcd.changes()) {
            return Optional.empty();
        }
        return Optional.of(names(etcd.current()) + " → " + names(etcd.wanted()));
    }

    private static String names(List<Member> members) {
        return String.join(" ", members.stream().map(Member::name).toList());
    }
}
