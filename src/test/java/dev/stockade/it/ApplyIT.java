package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import dev.stockade.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stockade apply} against a real node: a network namespace running Debian's sshd (host key
 * made for the test) in a mount namespace of its own, with /var/lib on a tmpfs, so the node's
 * rules-save and the change's files are its own. The operator is a second namespace. One node, in
 * order: (g) a changed host key is refused and nothing changes; (b) a plan that would not accept
 * the operator's connection is refused by the lockout proof; (a) a normal change is applied,
 * confirmed over a new connection and persisted; (c) with --allow-lockout, a plan that cuts the
 * operator off is loaded, the confirming connection fails, and the node restores its previous
 * rules by itself, which a new SSH connection (OpenSSH's client) then proves; (d) Stockade killed
 * with SIGKILL right after loading: the node rolls back all the same.
 */
class ApplyIT {

    static final String INITIAL = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A INPUT -i lo -j ACCEPT\n"
            + "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
            + "-A INPUT -s 10.250.0.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n"
            + "-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT\n"
            + "COMMIT\n";

    @Test
    void apply_hostKeyChecked_lockoutRefused_changeConfirmedAndSaved_lockoutRolledBackByTheNode(@TempDir Path tmp)
            throws Exception {
        Path sshd = TestSshd.sshd();
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        Path open = Files.writeString(
                tmp.resolve("open.yaml"), demo.replace("    from: [office]", "    from: [office, 10.250.0.2/32]"));
        Path closed = Files.writeString(tmp.resolve("closed.yaml"), demo);
        AuditSshIT.keygen(tmp.resolve("host"));
        AuditSshIT.keygen(tmp.resolve("other-host"));
        AuditSshIT.keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        Path known = Files.writeString(
                tmp.resolve("known_hosts"), "10.250.0.11 " + Files.readString(tmp.resolve("host.pub")));
        Path changed = Files.writeString(
                tmp.resolve("known_hosts.changed"), "10.250.0.11 " + Files.readString(tmp.resolve("other-host.pub")));
        Path config = TestSshd.config(
                tmp.resolve("sshd_config"), "10.250.0.11", 22, tmp.resolve("host"), tmp.resolve("authorized_keys"));
        List<Process> daemons = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Host node = lab.host("node");
            Host ops = lab.host("ops");
            Segment lan = lab.segment("lan");
            lab.attach(node, "eth1", lan, "10.250.0.11/24");
            lab.attach(ops, "eth1", lan, "10.250.0.2/24");
            lab.loadRuleText(node, INITIAL, null);
            Process daemon = startNode(lab, node, sshd, config, tmp.resolve("sshd.log"), "10.250.0.11");
            daemons.add(daemon);
            String before = lab.exec(node, "iptables-save").stdout();

            // (g) a changed host key: refused before anything is read or changed
            ExecResult mismatch = apply(lab, ops, tmp, changed, open);
            assertEquals(1, mismatch.exit(), mismatch.describe());
            assertTrue(mismatch.stdout().contains("core-1 (10.250.0.11): failed: cannot connect:"), mismatch.stdout());
            assertTrue(mismatch.stdout().contains("hint: do not connect until you know why"), mismatch.stdout());

            // (b) the spec lets SSH in from the office only: this connection would be cut off
            ExecResult refused = apply(lab, ops, tmp, known, closed);
            assertEquals(1, refused.exit(), refused.describe());
            assertTrue(
                    refused.stdout()
                            .contains(
                                    "core-1 (10.250.0.11): refused: the planned rules would not accept this"
                                            + " SSH connection (10.250.0.2 -> 10.250.0.11:22 on eth1): DROP by the INPUT policy"),
                    refused.stdout());
            assertTrue(
                    refused.stdout().contains("IPv4 closes tcp/22 from 10.250.0.0/24, tcp/8080 from any"),
                    refused.stdout());
            assertEquals(rules(before), rules(lab.exec(node, "iptables-save").stdout()), "nothing changed");

            // (a) a normal change: loaded, confirmed over a new connection, saved
            ExecResult dry = apply(lab, ops, tmp, known, open, "--dry-run");
            assertEquals(0, dry.exit(), dry.describe());
            assertTrue(dry.stdout().contains("core-1 (10.250.0.11): planned: would change (dry run)"), dry.stdout());
            assertEquals(rules(before), rules(lab.exec(node, "iptables-save").stdout()), "a dry run changes nothing");
            ExecResult ok = apply(lab, ops, tmp, known, open, "--confirm-timeout", "20");
            assertEquals(0, ok.exit(), ok.describe() + "\n" + Files.readString(tmp.resolve("sshd.log")));
            assertTrue(
                    ok.stdout()
                            .contains("core-1 (10.250.0.11): confirmed: loaded, confirmed over a new connection,"
                                    + " saved"),
                    ok.stdout());
            assertTrue(ok.stderr().contains("core-1: rollback armed (shell, 20 s), loading"), ok.stderr());
            String applied = lab.exec(node, "iptables-save").stdout();
            assertTrue(applied.contains("--dport 443 -m comment --comment \"services.https\" -j ACCEPT"), applied);
            assertFalse(applied.contains("--dport 8080"), applied);
            String saved = inNode(daemon, "cat", "/var/lib/iptables/rules-save");
            assertEquals(rules(applied), rules(saved), "rules-save holds what is loaded");
            ExecResult again = apply(lab, ops, tmp, known, open);
            assertEquals(0, again.exit(), again.describe());
            assertTrue(again.stdout().contains("core-1 (10.250.0.11): unchanged"), again.stdout());

            // (c) allowed to lock itself out: loaded, not confirmed, rolled back by the node
            ExecResult cut = apply(lab, ops, tmp, known, closed, "--allow-lockout", "--confirm-timeout", "5");
            assertEquals(1, cut.exit(), cut.describe());
            assertTrue(
                    cut.stdout().contains("core-1 (10.250.0.11): rolled back: a new connection failed after loading"),
                    cut.stdout());
            String back = awaitRules(lab, ops, tmp, known, applied);
            assertEquals(rules(applied), rules(back), "the node restored the rules loaded before the change");
            assertEquals(
                    rules(applied),
                    rules(inNode(daemon, "cat", "/var/lib/iptables/rules-save")),
                    "a change not confirmed is never saved");

            // (d) Stockade killed (SIGKILL) right after loading: the node still rolls back by itself
            lab.loadRuleText(node, INITIAL, null);
            String initial = lab.exec(node, "iptables-save").stdout();
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ops.netns()));
            argv.addAll(command(tmp, known, open, "--confirm-timeout", "8"));
            Process killed = new ProcessBuilder(argv)
                    .redirectOutput(tmp.resolve("killed.out").toFile())
                    .start();
            try (var err = new java.io.BufferedReader(
                    new java.io.InputStreamReader(killed.getErrorStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = err.readLine()) != null && !line.contains("loaded; confirming")) {
                    seen.append(line).append('\n');
                }
                assertTrue(line != null, "apply never loaded: " + seen);
                killed.destroyForcibly(); // SIGKILL: no shutdown hook, nothing more sent to the node
                assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
            }
            String during = lab.exec(node, "iptables-save").stdout();
            assertTrue(during.contains("services.https"), "the new rules were loaded: " + during);
            String restored = awaitRules(lab, ops, tmp, known, initial);
            assertEquals(rules(initial), rules(restored), "the node restored its rules though Stockade was killed");
        } finally {
            TestSshd.stop(daemons);
        }
    }

    static final String FIVE = """
            stockade: 1
            cluster: five
            target: flatcar
            interfaces: {public: eth0, private: eth1}
            nodes:
              - {name: n1, private: 10.250.0.11}
              - {name: n2, private: 10.250.0.12}
              - {name: n3, private: 10.250.0.13}
              - {name: n4, private: 10.250.0.14}
              - {name: n5, private: 10.250.0.15}
            admin:
              ssh:
                from: [10.250.0.2/32]
                keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcDemo ops@example"]
            services:
              - {name: https, port: 443, from: any}
            """;

    /**
     * (e) A staged rollout of five nodes whose third is down: the first two are changed and
     * confirmed, the third fails, and the last two are left exactly as they were.
     */
    @Test
    void stagedRolloutOfFive_theFailedNodeStopsIt_theRestUntouched(@TempDir Path tmp) throws Exception {
        Path sshd = TestSshd.sshd();
        Path spec = Files.writeString(tmp.resolve("five.yaml"), FIVE);
        TestSshd.keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        StringBuilder known = new StringBuilder();
        List<Process> daemons = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Segment lan = lab.segment("lan");
            Host ops = lab.host("ops");
            lab.attach(ops, "eth1", lan, "10.250.0.2/24");
            List<Host> nodes = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String address = "10.250.0.1" + i;
                Host node = lab.host("n" + i);
                nodes.add(node);
                lab.attach(node, "eth1", lan, address + "/24");
                lab.loadRuleText(node, INITIAL, null);
                if (i == 3) {
                    continue; // down: nothing listens on its SSH port
                }
                Path key = tmp.resolve("host-" + i);
                TestSshd.keygen(key);
                known.append(address + " " + Files.readString(tmp.resolve("host-" + i + ".pub")));
                Path config = TestSshd.config(
                        tmp.resolve("sshd_config-" + i), address, 22, key, tmp.resolve("authorized_keys"));
                daemons.add(startNode(lab, node, sshd, config, tmp.resolve("sshd-" + i + ".log"), address));
            }
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), known);
            List<String> argv = command(tmp, knownHosts, spec, "--confirm-timeout", "20");
            argv.removeAll(List.of("--nodes", "core-1"));
            ExecResult r = lab.exec(ops, ChildJvm.withCoverageAgent(argv.toArray(String[]::new)));
            assertEquals(1, r.exit(), r.describe());
            assertTrue(
                    r.stdout()
                            .contains("NODE  HOST         RESULT\n"
                                    + "n1    10.250.0.11  confirmed\n"
                                    + "n2    10.250.0.12  confirmed\n"
                                    + "n3    10.250.0.13  failed\n"
                                    + "n4    10.250.0.14  untouched\n"
                                    + "n5    10.250.0.15  untouched\n"),
                    r.stdout());
            for (int i = 0; i < 5; i++) {
                String live = lab.exec(nodes.get(i), "iptables-save").stdout();
                assertEquals(i < 2, live.contains("services.https"), "n" + (i + 1) + ": " + live);
                if (i >= 2) {
                    assertEquals(rules(INITIAL), rules(live), "n" + (i + 1) + " as it was");
                }
            }
        } finally {
            TestSshd.stop(daemons);
        }
    }

    /**
     * A node that refuses the rules ({@code iptables-restore --test} fails there, as on a kernel
     * without a module the rules need), and a node whose disk is full while the change is uploaded:
     * each is a clear result for that node, nothing is loaded and nothing saved.
     */
    @Test
    void kernelRefusesTheRules_diskFullWhileUploading_nothingChanges(@TempDir Path tmp) throws Exception {
        Path sshd = TestSshd.sshd();
        Path spec = Files.writeString(tmp.resolve("five.yaml"), FIVE);
        TestSshd.keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        Path refuse = Files.writeString(tmp.resolve("refuse.sh"), REFUSE);
        assertTrue(refuse.toFile().setExecutable(true));
        StringBuilder known = new StringBuilder();
        List<Process> daemons = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Segment lan = lab.segment("lan");
            Host ops = lab.host("ops");
            lab.attach(ops, "eth1", lan, "10.250.0.2/24");
            List<Host> nodes = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String address = "10.250.0.1" + i;
                Host node = lab.host("n" + i);
                nodes.add(node);
                lab.attach(node, "eth1", lan, address + "/24");
                lab.loadRuleText(node, INITIAL, null);
                Path key = tmp.resolve("host-" + i);
                TestSshd.keygen(key);
                known.append(address + " " + Files.readString(tmp.resolve("host-" + i + ".pub")));
                Path config = i == 1
                        ? TestSshd.config(
                                tmp.resolve("sshd_config-1"),
                                address,
                                22,
                                key,
                                tmp.resolve("authorized_keys"),
                                "ForceCommand " + refuse)
                        : TestSshd.config(
                                tmp.resolve("sshd_config-2"), address, 22, key, tmp.resolve("authorized_keys"));
                // node 2's /var/lib holds two pages: the saved live rules fill it; node 3 has no restore units
                daemons.add(startNode(
                        lab,
                        node,
                        sshd,
                        config,
                        tmp.resolve("sshd-" + i + ".log"),
                        address,
                        i == 2 ? "mode=0755,size=8k" : "mode=0755",
                        i == 3 ? "true" : OWN_ETC + " && " + RESTORE_UNITS));
            }
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), known);
            for (int i = 1; i <= 3; i++) {
                List<String> argv = command(tmp, knownHosts, spec);
                argv.set(argv.indexOf("core-1"), "n" + i);
                ExecResult r = lab.exec(ops, ChildJvm.withCoverageAgent(argv.toArray(String[]::new)));
                assertEquals(1, r.exit(), r.describe());
                assertTrue(
                        r.stdout()
                                .contains(
                                        i == 1
                                                ? "n1 (10.250.0.11): failed: the node's kernel refuses the new rules: iptables-restore:"
                                                        + " line 5 failed; nothing was loaded"
                                                : i == 2
                                                        ? "n2 (10.250.0.12): failed: uploading new-v"
                                                        : "n3 (10.250.0.13): failed: the node would not load saved"
                                                                + " rules at boot: iptables-restore.service is not"
                                                                + " installed, ip6tables-restore.service is not"
                                                                + " installed; nothing was changed"),
                        r.stdout());
                if (i == 2) {
                    assertTrue(r.stdout().contains("No space left on device; nothing was loaded"), r.stdout());
                }
                assertEquals(
                        rules(INITIAL),
                        rules(lab.exec(nodes.get(i - 1), "iptables-save").stdout()),
                        "n" + i + " as it was");
                assertFalse(
                        inNode(daemons.get(i - 1), "ls", "/var/lib/iptables").contains("rules-save"),
                        "nothing saved on n" + i);
                assertEquals(
                        "",
                        inNode(daemons.get(i - 1), "sh", "-c", "ls -A /var/lib/stockade/apply 2>/dev/null || true"),
                        "the change that was never loaded is removed from n" + i);
            }
        } finally {
            TestSshd.stop(daemons);
        }
    }

    /** sshd's ForceCommand on a node whose kernel refuses the rules: a fake iptables-restore first on the PATH. */
    static final String REFUSE = """
            #!/bin/sh
            fake=$(mktemp -d)
            cat >"$fake/iptables-restore" <<'EOF'
            #!/bin/sh
            case " $* " in *" --test "*) echo "iptables-restore: line 5 failed" >&2; exit 1 ;; esac
            exec /usr/sbin/iptables-restore "$@"
            EOF
            chmod +x "$fake/iptables-restore"
            exec sh -c "$(printf '%s' "$SSH_ORIGINAL_COMMAND" | sed "s|PATH=/usr/sbin|PATH=$fake:/usr/sbin|")"
            """;

    /**
     * The node's own /etc: an overlay of this machine's, its changes kept on a tmpfs of the node's
     * own (not counted against /var/lib), so whatever the node writes there stays the node's.
     */
    static final String OWN_ETC = "mkdir /var/lib/.etc && mount -t tmpfs -o mode=0755 stockade-etc /var/lib/.etc"
            + " && mkdir /var/lib/.etc/up /var/lib/.etc/work && mount -t overlay overlay -o"
            + " lowerdir=/etc,upperdir=/var/lib/.etc/up,workdir=/var/lib/.etc/work /etc";

    /** The restore units enabled, as a build provisions them (systemctl is-enabled reads them without systemd running). */
    static final String RESTORE_UNITS = "mkdir -p /etc/systemd/system/multi-user.target.wants"
            + " && for u in iptables-restore ip6tables-restore; do printf '[Unit]\\nDescription=%s\\n[Service]\\n"
            + "Type=oneshot\\nExecStart=/usr/sbin/%s -w /var/lib/%s/rules-save\\n[Install]\\n"
            + "WantedBy=multi-user.target\\n' $u $u ${u%-restore} > /etc/systemd/system/$u.service"
            + " && ln -s ../$u.service /etc/systemd/system/multi-user.target.wants/$u.service; done";

    /**
     * sshd in {@code node}, in a mount namespace of its own with a tmpfs on /var/lib (the node's own
     * rules-save) and its own /etc with the restore units enabled.
     */
    static Process startNode(NetnsLab lab, Host node, Path sshd, Path config, Path log, String address)
            throws Exception {
        return startNode(lab, node, sshd, config, log, address, "mode=0755");
    }

    static Process startNode(NetnsLab lab, Host node, Path sshd, Path config, Path log, String address, String tmpfs)
            throws Exception {
        return startNode(lab, node, sshd, config, log, address, tmpfs, OWN_ETC + " && " + RESTORE_UNITS);
    }

    /** As above, running {@code setup} (shell) in the node's mount namespace once /var/lib is mounted. */
    static Process startNode(
            NetnsLab lab, Host node, Path sshd, Path config, Path log, String address, String tmpfs, String setup)
            throws Exception {
        Process daemon = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        node.netns(),
                        "unshare",
                        "-m",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount -t tmpfs -o " + tmpfs + " stockade-test /var/lib && " + setup + " && exec " + sshd
                                + " -D -e -f " + config)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        AuditSshIT.awaitListening(lab, node, daemon, log, address + ":22 ");
        return daemon;
    }

    /** The rule lines, without counters and comments. */
    static List<String> rules(String save) {
        return save.lines()
                .filter(l -> l.startsWith("-A ") || l.startsWith(":"))
                .map(l -> l.replaceAll(" \\[\\d+:\\d+\\]$", ""))
                .toList();
    }

    /** A command in the node's own mount namespace (where its /var/lib is). */
    static String inNode(Process sshd, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(sshd.pid()), "-m", "-n"));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    /** Logs in with OpenSSH's client until the node's rules are {@code expected} again (at most 30 s). */
    static String awaitRules(NetnsLab lab, Host ops, Path tmp, Path known, String expected) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ExecResult r = lab.exec(
                    ops,
                    "ssh",
                    "-o",
                    "BatchMode=yes",
                    "-o",
                    "ConnectTimeout=2",
                    "-o",
                    "UserKnownHostsFile=" + known,
                    "-i",
                    tmp.resolve("client").toString(),
                    "root@10.250.0.11",
                    "iptables-save");
            if (r.exit() == 0) {
                last = r.stdout();
                if (rules(last).equals(rules(expected))) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        return last;
    }

    static ExecResult apply(NetnsLab lab, Host from, Path tmp, Path knownHosts, Path spec, String... more) {
        return lab.exec(
                from,
                ChildJvm.withCoverageAgent(command(tmp, knownHosts, spec, more).toArray(String[]::new)));
    }

    static List<String> command(Path tmp, Path knownHosts, Path spec, String... more) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stockade.cli.Main",
                "apply",
                "--spec",
                spec.toString(),
                "--nodes",
                "core-1",
                "--user",
                "root",
                "--known-hosts",
                knownHosts.toString(),
                "--identity",
                tmp.resolve("client").toString(),
                "--connect-timeout",
                "3"));
        argv.addAll(List.of(more));
        return argv;
    }
}
