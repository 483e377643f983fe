package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.apply.NodeApply;
import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.testing.LoopbackSshd;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stockade apply} without namespaces: a dry run over a real sshd on loopback (it reads this
 * machine's rules and changes nothing), a node nobody listens for, and bad options (through
 * {@link SshConnectionOptions} too). The changes themselves are tested on namespace nodes (ApplyIT).
 */
class ApplyCommandTest {

    /** examples/demo.yaml with core-1 at 127.0.0.1 and SSH on {@code port}. */
    static Path loopbackSpec(Path dir, int port) throws Exception {
        String demo = Files.readString(Path.of("examples/demo.yaml"))
                .replace("private: 10.250.0.11", "private: 127.0.0.1")
                .replace("    from: [office]", "    port: " + port + "\n    from: [office]");
        return Files.writeString(dir.resolve("cluster.yaml"), demo);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code apply --dry-run} of core-1 at 127.0.0.1, over a real sshd started there for the run.
     * This machine is no Container Linux host: its sshd runs each command with a {@code systemctl}
     * first on the PATH that reports the restore units enabled.
     */
    static BuildCommandTest.Result dryRunOverLoopback(Path dir) throws Exception {
        return dryRunOverLoopback(dir, "enabled", "enabled");
    }

    /** As above, with the restore units' states as {@code systemctl is-enabled} reports them ("" for none). */
    static BuildCommandTest.Result dryRunOverLoopback(Path dir, String v4State, String v6State, String... more)
            throws Exception {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path systemctl = Files.writeString(
                bin.resolve("systemctl"),
                "#!/bin/sh\ncase \"$*\" in\n"
                        + "  'is-enabled iptables-restore.service') echo '" + v4State + "' ;;\n"
                        + "  'is-enabled ip6tables-restore.service') echo '" + v6State + "' ;;\n"
                        + "esac\n");
        Path force = Files.writeString(
                dir.resolve("force.sh"),
                "#!/bin/sh\nexec sh -c \"$(printf '%s' \"$SSH_ORIGINAL_COMMAND\" | sed 's|PATH=/usr/sbin|PATH=" + bin
                        + ":/usr/sbin|')\"\n");
        assertTrue(systemctl.toFile().setExecutable(true) && force.toFile().setExecutable(true));
        try (LoopbackSshd sshd =
                LoopbackSshd.start(Files.createDirectories(dir.resolve("sshd")), "ForceCommand " + force)) {
            Path spec = loopbackSpec(dir, sshd.port());
            List<String> argv = new java.util.ArrayList<>(List.of(
                    "apply",
                    "--spec",
                    spec.toString(),
                    "--nodes",
                    "core-1",
                    "--dry-run",
                    "--user",
                    "root",
                    "--known-hosts",
                    sshd.knownHosts().toString(),
                    "--identity",
                    sshd.clientKey().toString()));
            argv.addAll(List.of(more));
            return BuildCommandTest.run(argv.toArray(String[]::new));
        }
    }

    @Test
    void dryRun_overRealSshOnLoopback_showsThePlan_changesNothing(@TempDir Path tmp) throws Exception {
        BuildCommandTest.Result r = dryRunOverLoopback(tmp);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("core-1 (127.0.0.1): planned: would change (dry run)\n"), r.out());
        assertTrue(r.out().contains("\nNODE    HOST       RESULT\ncore-1  127.0.0.1  planned\n"), r.out());
        assertTrue(r.err().contains("core-1 (127.0.0.1): planning"), r.err());
    }

    @Test
    void dryRun_restoreUnitMissingOrDisabled_failedBeforeAnythingChanges(@TempDir Path tmp) throws Exception {
        BuildCommandTest.Result r = dryRunOverLoopback(tmp, "", "disabled");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(
                r.out()
                        .startsWith("core-1 (127.0.0.1): failed: the node would not load saved rules at boot:"
                                + " iptables-restore.service is not installed, ip6tables-restore.service is disabled;"
                                + " nothing was changed\n"),
                r.out());
        assertTrue(
                r.out()
                        .contains("  hint: provision the node with the build's output (it enables them), or run"
                                + " 'systemctl enable iptables-restore.service ip6tables-restore.service' on it\n"),
                r.out());
    }

    @Test
    void dryRun_json_oneObjectWithEachNodesResult(@TempDir Path tmp) throws Exception {
        BuildCommandTest.Result r = dryRunOverLoopback(tmp, "enabled", "", "--format", "json");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonValue.JsonObject o = (JsonValue.JsonObject) JsonReader.read("out", r.out());
        assertEquals(
                List.of("spec", "change", "dryRun", "ok", "nodes"),
                List.copyOf(o.members().keySet()));
        assertTrue(((JsonValue.JsonString) o.members().get("change")).value().matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}"));
        assertEquals(true, ((JsonValue.JsonBoolean) o.members().get("dryRun")).value());
        assertEquals(false, ((JsonValue.JsonBoolean) o.members().get("ok")).value());
        JsonValue.JsonObject node = (JsonValue.JsonObject)
                ((JsonValue.JsonArray) o.members().get("nodes")).items().get(0);
        assertEquals(
                List.of("node", "host", "result", "detail", "changes", "hint"),
                List.copyOf(node.members().keySet()));
        assertEquals("core-1", ((JsonValue.JsonString) node.members().get("node")).value());
        assertEquals("failed", ((JsonValue.JsonString) node.members().get("result")).value());
        assertTrue(
                ((JsonValue.JsonString) node.members().get("detail"))
                        .value()
                        .contains("ip6tables-restore.service is not installed"),
                r.out());
        assertTrue(node.members().get("hint") instanceof JsonValue.JsonString);
        assertTrue(((JsonValue.JsonArray) node.members().get("changes")).items().size() > 0, r.out());
        assertTrue(r.err().contains("core-1 (127.0.0.1): planning"), "progress stays on stderr: " + r.err());
    }

    @Test
    void tlsOverSsh_withoutThePki_refusedBeforeAnyNodeIsReached(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(
                tmp.resolve("demo.yaml"), Files.readString(Path.of("examples/demo.yaml")) + "pki: {deliver: ssh}\n");
        Path pki = tmp.resolve("no-pki");
        BuildCommandTest.Result r = BuildCommandTest.run(
                "apply",
                "--spec",
                spec.toString(),
                "--pki",
                pki.toString(),
                "--known-hosts",
                Files.writeString(tmp.resolve("kh"), "").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("APPLY-NO-PKI"), r.err());
        assertTrue(
                r.err()
                        .contains(spec + " delivers the nodes' TLS files over SSH (pki.deliver: ssh), but there is no"
                                + " CA in " + pki),
                r.err());
        assertTrue(r.err().contains("run 'stockade build " + spec + "' first"), r.err());
        assertEquals("", r.out(), "no node was reached");
    }

    @Test
    void nftablesSpec_refusedBeforeAnyNodeIsReached(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(
                tmp.resolve("demo.yaml"),
                Files.readString(Path.of("examples/demo.yaml"))
                        .replace("target: flatcar", "target: flatcar\nfirewall: nftables"));
        BuildCommandTest.Result r = BuildCommandTest.run(
                "apply",
                "--spec",
                spec.toString(),
                "--known-hosts",
                Files.writeString(tmp.resolve("kh"), "").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("APPLY-NFTABLES"), r.err());
        assertTrue(r.err().contains("apply delivers iptables rules only"), r.err());
        assertEquals("", r.out(), "no node was reached");
    }

    /** A key the node does not know, and a user it does not have: each a clear per-node failure, nothing read. */
    @Test
    void wrongKeyOrUser_failedWithAHint(@TempDir Path tmp) throws Exception {
        dev.stockade.testing.TestSshd.keygen(tmp.resolve("stranger"));
        try (LoopbackSshd sshd = LoopbackSshd.start(Files.createDirectories(tmp.resolve("sshd")))) {
            Path spec = loopbackSpec(tmp, sshd.port());
            for (String[] who : List.of(
                    new String[] {"root", tmp.resolve("stranger").toString()},
                    new String[] {"no-such-user", sshd.clientKey().toString()})) {
                BuildCommandTest.Result r = BuildCommandTest.run(
                        "apply",
                        "--spec",
                        spec.toString(),
                        "--nodes",
                        "core-1",
                        "--user",
                        who[0],
                        "--known-hosts",
                        sshd.knownHosts().toString(),
                        "--identity",
                        who[1]);
                assertEquals(1, r.code(), r.out() + r.err());
                assertTrue(
                        r.out()
                                .startsWith(
                                        "core-1 (127.0.0.1): failed: cannot connect: " + who[0] + "@127.0.0.1:"
                                                + sshd.port() + " refused every key offered\n"
                                                + "  hint: give the right key with --identity FILE (or load it into ssh-agent)\n"),
                        r.out());
            }
        }
    }

    @Test
    void nobodyListens_failedAndTheRolloutStops(@TempDir Path tmp) throws Exception {
        Path spec = loopbackSpec(tmp, freePort());
        BuildCommandTest.Result r = BuildCommandTest.run(
                "apply",
                "--spec",
                spec.toString(),
                "--nodes",
                "core-1,core-2",
                "--known-hosts",
                Files.writeString(tmp.resolve("kh"), "").toString(),
                "--connect-timeout",
                "2");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(
                r.out().startsWith("core-1 (127.0.0.1): failed: cannot connect: cannot connect to 127.0.0.1:"),
                r.out());
        assertTrue(r.out().contains("core-2  10.250.0.12  untouched"), "the canary failed: " + r.out());
    }

    @Test
    void badOptions_usageErrors() throws Exception {
        BuildCommandTest.Result nodes =
                BuildCommandTest.run("apply", "--spec", "examples/demo.yaml", "--nodes", "core-9");
        assertEquals(2, nodes.code());
        assertTrue(
                nodes.err().contains("--nodes: no node 'core-9' in examples/demo.yaml (nodes: core-1, core-2, core-3)"),
                nodes.err());
        BuildCommandTest.Result confirm =
                BuildCommandTest.run("apply", "--spec", "examples/demo.yaml", "--confirm-timeout", "1");
        assertEquals(2, confirm.code());
        assertTrue(confirm.err().contains("--confirm-timeout must be 5 to 3600 seconds, not 1"), confirm.err());
        BuildCommandTest.Result via = BuildCommandTest.run("apply", "--spec", "examples/demo.yaml", "--via", "side");
        assertEquals(2, via.code());
        assertTrue(via.err().contains("--via must be private or public, not 'side'"), via.err());
        BuildCommandTest.Result timeout = BuildCommandTest.run("audit", "--local", "--timeout", "0");
        assertEquals(2, timeout.code());
        assertTrue(timeout.err().contains("--timeout must be 1 to 3600 seconds, not 0"), timeout.err());
    }

    /** audit and apply take their SSH options from one mixin, so they cannot drift apart. */
    @Test
    void auditAndApply_shareTheSshOptions() {
        for (Object command : List.of(new AuditCommand(), new ApplyCommand())) {
            var spec = new picocli.CommandLine(command).getCommandSpec();
            assertTrue(
                    spec.mixins().values().stream().anyMatch(m -> m.userObject() instanceof SshConnectionOptions),
                    command.getClass().getSimpleName());
            for (String option : List.of("--user", "--via", "--known-hosts", "--identity", "--sudo", "--timeout")) {
                assertTrue(spec.findOption(option) != null, option);
            }
        }
    }

    @Test
    void summary_oneRowPerNode() {
        assertEquals(
                List.of(
                        "NODE    HOST         RESULT",
                        "core-1  10.250.0.11  rolled back",
                        "core-2  10.250.0.12  untouched"),
                ApplyCommand.summary(List.of(
                        new NodeApply.Result("core-1", "10.250.0.11", NodeApply.Outcome.ROLLED_BACK, List.of(), "", ""),
                        new NodeApply.Result(
                                "core-2", "10.250.0.12", NodeApply.Outcome.UNTOUCHED, List.of(), "", ""))));
        assertTrue(ApplyCommand.changeId().matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}"));
    }
}
