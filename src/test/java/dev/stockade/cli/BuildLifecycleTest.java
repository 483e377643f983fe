package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.BuildState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Second and later builds: etcd members joining and leaving, nodes leaving the spec and their certificates. */
class BuildLifecycleTest {

    @TempDir
    Path tmp;

    /** A spec of nodes n1..n{count} (private 10.250.0.{i}) with etcd on {@code members} (all when empty). */
    Path spec(int count, String members) throws IOException {
        StringBuilder y = new StringBuilder(
                "stockade: 1\ncluster: c\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\nnodes:\n");
        for (int i = 1; i <= count; i++) {
            y.append("  - {name: n")
                    .append(i)
                    .append(", private: 10.250.0.")
                    .append(i)
                    .append("}\n");
        }
        y.append("admin: {ssh: {from: []}}\n");
        y.append("etcd: {tls: true, clients_from: [cluster]")
                .append(members.isEmpty() ? "" : ", members: [" + members + "]")
                .append("}\n");
        Path p = tmp.resolve("c.yaml");
        Files.writeString(p, y);
        return p;
    }

    BuildCommandTest.Result build(Path spec, String... more) {
        List<String> argv = new java.util.ArrayList<>(List.of(
                "build",
                spec.toString(),
                "-o",
                tmp.resolve("out").toString(),
                "--pki",
                tmp.resolve("pki").toString()));
        argv.addAll(List.of(more));
        return BuildCommandTest.run(argv.toArray(String[]::new));
    }

    Path state() {
        return tmp.resolve("out/c/" + BuildState.FILE);
    }

    @Test
    void grow_newMembersJoinTheRunningClusterAndTheStepsArePrinted() throws Exception {
        assertEquals(0, build(spec(5, "n1, n2, n3")).code());
        BuildCommandTest.Result r = build(spec(5, ""));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("etcd members: n1 n2 n3 → n1 n2 n3 n4 n5\n"), r.out());
        assertTrue(
                r.out()
                        .contains("  export ETCDCTL_ENDPOINTS=https://10.250.0.1:2379,https://10.250.0.2:2379,"
                                + "https://10.250.0.3:2379 ETCDCTL_CACERT=" + tmp.resolve("pki/ca.pem")),
                r.out());
        assertTrue(r.out().contains("  1. firewall n1 n2 n3\n"), r.out());
        assertTrue(
                r.out().contains("  2. add n4\n     etcdctl member add n4 --peer-urls=https://10.250.0.4:2380\n"),
                r.out());
        assertTrue(
                r.out().contains("  3. add n5\n     etcdctl member add n5 --peer-urls=https://10.250.0.5:2380\n"),
                r.out());
        String cloudConfig = Files.readString(tmp.resolve("out/c/n5/cloud-config.yml"));
        assertTrue(cloudConfig.contains("ETCD_INITIAL_CLUSTER_STATE=existing"), cloudConfig);
        String founder = Files.readString(tmp.resolve("out/c/n1/cloud-config.yml"));
        assertTrue(
                founder.contains("ETCD_INITIAL_CLUSTER=n1=https://10.250.0.1:2380,n2=https://10.250.0.2:2380,"
                        + "n3=https://10.250.0.3:2380\\nETCD_INITIAL_CLUSTER_STATE=new"),
                "a founder keeps its first start: " + founder);

        // the next build knows the members joined: nothing more to do
        BuildCommandTest.Result again = build(spec(5, ""));
        assertFalse(again.out().contains("etcd members:"), again.out());
        assertFalse(again.out().contains("Follow these steps"), again.out());
    }

    @Test
    void shrink_removalsComeFirstWithTheMemberLookedUpByName() throws Exception {
        assertEquals(0, build(spec(5, "")).code());
        BuildCommandTest.Result r = build(spec(5, "n3, n4, n5"));
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains("  1. remove n1\n     etcdctl member remove \"$(etcdctl member list | awk -F', '"
                                + " '$3 == \"n1\" { print $1 }')\"\n"),
                r.out());
        assertTrue(r.out().contains("  2. remove n2\n"), r.out());
        assertTrue(r.out().contains("  3. firewall n3 n4 n5\n"), r.out());
        assertTrue(r.out().contains("ETCDCTL_ENDPOINTS=https://10.250.0.3:2379,"), "only staying members: " + r.out());
    }

    @ParameterizedTest(name = "dry run {0}")
    @ValueSource(booleans = {false, true})
    void majorityReplaced_refusedAlikeInTheDryRun_nothingWritten(boolean dryRun) throws Exception {
        assertEquals(0, build(spec(5, "n1, n2, n3")).code());
        Map<String, byte[]> before = BuildCommandTest.snapshot(tmp);
        BuildCommandTest.Result r = dryRun ? build(spec(5, "n1, n4, n5"), "--dry-run") : build(spec(5, "n1, n4, n5"));
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith(tmp.resolve("c.yaml") + ":12:7: error: this build removes 2 of the 3 running"
                                + " etcd members (n2, n3)"),
                r.err());
        assertTrue(r.err().contains("[ETCD-QUORUM]"), r.err());
        before.remove("c.yaml");
        Map<String, byte[]> after = BuildCommandTest.snapshot(tmp);
        after.remove("c.yaml");
        assertEquals(before.keySet(), after.keySet());
    }

    @Test
    void existingCluster_namesTheRunningMembers() throws Exception {
        BuildCommandTest.Result r = build(
                spec(4, ""),
                "--dry-run",
                "--existing-cluster",
                "n1=https://10.250.0.1:2380,n2=https://10.250.0.2:2380,n3=https://10.250.0.3:2380");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("etcd members: n1 n2 n3 → n1 n2 n3 n4\n"), r.out());
        assertTrue(r.out().contains("  2. add n4\n"), r.out());

        BuildCommandTest.Result bad = build(spec(4, ""), "--existing-cluster", "n1=10.250.0.1");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(
                bad.err().contains("--existing-cluster: 'n1=10.250.0.1' is not NAME=https://ADDRESS:PORT"), bad.err());
    }

    @ParameterizedTest(name = "dry run {0}")
    @ValueSource(booleans = {false, true})
    void corruptBuildState_locatedError(boolean dryRun) throws Exception {
        assertEquals(0, build(spec(3, "")).code());
        Files.writeString(state(), "{\"cluster\": \"c\",\n \"nodes\": [1]}");
        BuildCommandTest.Result r = dryRun ? build(spec(3, ""), "--dry-run") : build(spec(3, ""));
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err().startsWith(state() + ":2:12: error: expected a string, not a number [BUILD-STATE]"), r.err());
    }

    @Test
    void oversizedBuildState_readError() throws Exception {
        assertEquals(0, build(spec(3, "")).code());
        // a sparse file one byte over the limit: nothing that large is allocated or written
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(state().toFile(), "rw")) {
            f.setLength(BuildCommand.MAX_STATE_BYTES + 1);
        }
        BuildCommandTest.Result r = build(spec(3, ""));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("[BUILD-READ]"), r.err());
    }

    @Test
    void departedNode_revokedByTheNextBuild_unlessKept() throws Exception {
        assertEquals(0, build(spec(4, "n1, n2, n3")).code());
        BuildCommandTest.Result dry = build(spec(3, ""), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("Would revoke n4 (left the spec since the previous build)\n"), dry.out());

        BuildCommandTest.Result kept = build(spec(3, ""), "--keep-departed", "--dry-run");
        assertFalse(kept.out().contains("revoke"), kept.out());

        BuildCommandTest.Result r = build(spec(3, ""));
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .matches("(?s).*\nRevoked n4 \\(left the spec since the previous build; serial [0-9a-f]+,"
                                + " cessation-of-operation\\); CRL number 1, next update \\S+\n.*"),
                r.out());
        assertTrue(r.out().contains("  1. crl n1 n2 n3\n"), r.out());
        assertTrue(Files.readString(tmp.resolve("pki/revoked.json")).contains("\"name\": \"n4\""));
        assertTrue(Files.readString(tmp.resolve("out/c/n1/cloud-config.yml")).contains("ETCD_PEER_CRL_FILE="));

        // revoked once: the next build has nothing to revoke
        BuildCommandTest.Result again = build(spec(3, ""));
        assertFalse(again.out().contains("Revoked"), again.out());
    }

    @Test
    void departedNode_withAnEncryptedCaAndNoPassphrase_refusedBeforeAnythingIsWritten() throws Exception {
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "correct horse battery staple\n");
        BuildCommandTest.Result init = BuildCommandTest.run(
                "pki",
                "init",
                "--dir",
                tmp.resolve("pki").toString(),
                "--encrypt",
                "--ca-passphrase-file",
                pass.toString());
        assertEquals(0, init.code(), init.err());
        assertEquals(
                0,
                build(spec(4, "n1, n2, n3"), "--ca-passphrase-file", pass.toString())
                        .code());
        Map<String, byte[]> before = BuildCommandTest.snapshot(tmp.resolve("out"));
        BuildCommandTest.Result r = build(spec(3, ""));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("[PKI-KEY-ENCRYPTED]"), r.err());
        assertTrue(r.err().contains("--ca-passphrase-file"), r.err());
        assertEquals(
                before.keySet(), BuildCommandTest.snapshot(tmp.resolve("out")).keySet());
        assertFalse(Files.exists(tmp.resolve("pki/revoked.json")));

        BuildCommandTest.Result ok = build(spec(3, ""), "--ca-passphrase-file", pass.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("Revoked n4"), ok.out());
    }

    @Test
    void aLargeClustersState_overOneMebibyte_isReadBack() throws Exception {
        // 400 members, each with the 400-member initial cluster: the state of a large build
        java.util.List<dev.stockade.etcd.Member> members = new java.util.ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            String ip = "10.250." + (i / 250) + "." + (i % 250 + 1);
            members.add(new dev.stockade.etcd.Member(
                    "node-" + i, "https://" + ip + ":2380", java.util.Optional.of("https://" + ip + ":2379")));
        }
        dev.stockade.etcd.FirstStart start = new dev.stockade.etcd.FirstStart(false, members);
        java.util.List<dev.stockade.etcd.MembershipChange.Running> running = members.stream()
                .map(m -> new dev.stockade.etcd.MembershipChange.Running(m, java.util.Optional.of(start)))
                .toList();
        dev.stockade.build.BuildState state = new dev.stockade.build.BuildState(
                "big", members.stream().map(dev.stockade.etcd.Member::name).toList(), running);
        java.nio.file.Files.writeString(tmp.resolve(dev.stockade.build.BuildState.FILE), state.toJson());
        assertTrue(java.nio.file.Files.size(tmp.resolve(dev.stockade.build.BuildState.FILE)) > (1 << 20));
        dev.stockade.build.BuildState back = BuildCommand.previousState(tmp);
        assertEquals(400, back.etcdMembers().size());
        assertEquals(state.nodes(), back.nodes());
    }
}
