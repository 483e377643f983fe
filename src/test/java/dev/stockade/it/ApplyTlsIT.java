package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.provision.ParsedNodeConfig;
import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import dev.stockade.testing.TestSshd;
import dev.stockade.testing.etcd.EtcdCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * (f) {@code pki.deliver: ssh}: the build's Ignition carries no private key; {@code stockade
 * apply} loads each node's firewall, then copies its TLS files over SSH (the key with mode 0600)
 * and starts its member; the three members, Debian's etcd in three network namespaces, come up
 * healthy over mutual TLS from exactly those files, behind the applied firewalls. A key whose mode
 * drifted is delivered again and the member restarted; the cluster stays healthy.
 *
 * <p>No systemd runs in a network namespace, so each node's own mount namespace replaces {@code
 * systemctl} with {@link #SYSTEMCTL}, which runs {@code etcd-member.service} as a plain process with
 * the environment file the build wrote, and skips it while its key is missing (the unit's
 * ConditionPathExists). The node's /etc is an overlay, so what apply writes there stays the node's.
 */
class ApplyTlsIT {

    static final String SPEC = """
            stockade: 1
            cluster: tri
            target: fcos
            interfaces: {public: eth0, private: eth1}
            nodes:
              - {name: n1, private: 10.250.0.11}
              - {name: n2, private: 10.250.0.12}
              - {name: n3, private: 10.250.0.13}
            admin:
              ssh:
                from: [10.250.0.2/32]
                keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcDemo ops@example"]
            etcd: {tls: true, clients_from: [cluster, 10.250.0.2/32]}
            pki: {deliver: ssh}
            """;

    /** systemd's stand-in on a test node: etcd-member.service as a plain process; the restore units enabled. */
    static final String SYSTEMCTL = """
            #!/bin/sh
            pidfile=/var/lib/etcd-member.pid
            set -- $(for a in "$@"; do case $a in --*) ;; *) echo "$a" ;; esac; done)
            if [ "$2" != etcd-member.service ]; then
              # the restore units are enabled as systemd would say; nothing else runs here
              [ "$1" = is-enabled ] && [ -e "/etc/systemd/system/multi-user.target.wants/$2" ] && echo enabled
              exit 0
            fi
            running() { [ -f $pidfile ] && kill -0 "$(cat $pidfile)" 2>/dev/null; }
            start() {
              [ -e /etc/ssl/etcd/node-key.pem ] || return 0
              running && return 0
              ( set -a; . /etc/stockade/etcd.env; set +a
                exec setsid etcd >>/var/lib/etcd-member.log 2>&1 </dev/null ) &
              echo $! > $pidfile
            }
            stop() {
              running || return 0
              pid=$(cat $pidfile); kill "$pid"
              i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
            }
            case "$1" in
              is-active) running ;;
              start) start ;;
              stop) stop ;;
              restart|try-restart) stop; start ;;
              *) exit 0 ;;
            esac
            """;

    @Test
    void tlsDeliveredOverSsh_threeMembersHealthyOverMutualTls_driftedKeyModeRepaired(@TempDir Path tmp)
            throws Exception {
        Path sshd = TestSshd.sshd();
        Path spec = Files.writeString(tmp.resolve("tri.yaml"), SPEC);
        Path out = tmp.resolve("out");
        Path pki = tmp.resolve("pki");
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"build", spec.toString(), "-o", out.toString(), "--pki", pki.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
        Path fake = Files.writeString(tmp.resolve("systemctl"), SYSTEMCTL);
        assertTrue(fake.toFile().setExecutable(true));
        TestSshd.keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        StringBuilder known = new StringBuilder();
        List<Process> daemons = new ArrayList<>();
        List<Host> nodes = new ArrayList<>();
        NetnsLab lab = NetnsLab.create();
        try {
            Segment lan = lab.segment("lan");
            Host ops = lab.host("ops");
            lab.attach(ops, "eth1", lan, "10.250.0.2/24");
            for (int i = 1; i <= 3; i++) {
                String name = "n" + i;
                String address = "10.250.0.1" + i;
                String ignition =
                        Files.readString(out.resolve("tri").resolve(name).resolve("ignition.json"));
                assertFalse(ignition.contains("PRIVATE KEY"), name + ": no private key in the user data");
                assertFalse(
                        ignition.matches("(?s).*\"path\"\\s*:\\s*\"/etc/ssl/etcd/.*"),
                        name + ": no TLS file in the user data");
                Path env = Files.writeString(tmp.resolve(name + ".env"), etcdEnv(ignition));
                Host node = lab.host(name);
                nodes.add(node);
                lab.attach(node, "eth1", lan, address + "/24");
                lab.loadRuleText(node, ApplyIT.INITIAL, null);
                Path key = tmp.resolve("host-" + i);
                TestSshd.keygen(key);
                known.append(address + " " + Files.readString(tmp.resolve("host-" + i + ".pub")));
                Path config = TestSshd.config(
                        tmp.resolve("sshd_config-" + i), address, 22, key, tmp.resolve("authorized_keys"));
                daemons.add(ApplyIT.startNode(
                        lab,
                        node,
                        sshd,
                        config,
                        tmp.resolve("sshd-" + i + ".log"),
                        address,
                        "mode=0755",
                        ApplyIT.OWN_ETC + " && " + ApplyIT.RESTORE_UNITS + " && mkdir -p /etc/stockade && cp " + env
                                + " /etc/stockade/etcd.env" + " && mount --bind " + fake + " /usr/bin/systemctl"));
            }
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), known);

            ExecResult applied = apply(ops, tmp, knownHosts, spec, pki);
            assertEquals(0, applied.exit(), applied.describe() + logs(daemons));
            for (int i = 1; i <= 3; i++) {
                assertTrue(
                        applied.stdout()
                                .contains("n" + i + " (10.250.0.1" + i + "): confirmed: loaded, confirmed over a new"
                                        + " connection, saved; TLS files delivered ("),
                        applied.stdout());
                assertTrue(applied.stdout().contains("changed); etcd started\n"), applied.stdout());
                Process node = daemons.get(i - 1);
                assertEquals("600 root\n", ApplyIT.inNode(node, "stat", "-c", "%a %U", "/etc/ssl/etcd/node-key.pem"));
                assertEquals(
                        Files.readString(pki.resolve("n" + i + "-key.pem")),
                        ApplyIT.inNode(node, "cat", "/etc/ssl/etcd/node-key.pem"));
                assertEquals("644 root\n", ApplyIT.inNode(node, "stat", "-c", "%a %U", "/etc/ssl/etcd/node.pem"));
                assertEquals("", ApplyIT.inNode(node, "sh", "-c", "ls /etc/ssl/etcd | grep stockade-new || true"));
            }
            awaitHealthy(lab, ops, pki, daemons);
            ExecResult noCert = lab.exec(
                    ops,
                    EtcdCluster.ETCDCTL.toString(),
                    "--endpoints=https://10.250.0.11:2379",
                    "--cacert=" + pki.resolve("ca.pem"),
                    "--dial-timeout=3s",
                    "--command-timeout=5s",
                    "endpoint",
                    "health");
            assertTrue(noCert.exit() != 0, "a client without a certificate is refused: " + noCert.describe());

            ExecResult again = apply(ops, tmp, knownHosts, spec, pki);
            assertEquals(0, again.exit(), again.describe());
            assertTrue(
                    again.stdout()
                            .contains("n2 (10.250.0.12): unchanged: the live rules are the plan; TLS files as planned;"
                                    + " etcd running"),
                    again.stdout());

            // a key whose mode drifted: the dry run says so, apply delivers the set again and restarts n1
            ApplyIT.inNode(daemons.get(0), "chmod", "0644", "/etc/ssl/etcd/node-key.pem");
            ExecResult dry = apply(ops, tmp, knownHosts, spec, pki, "--nodes", "n1", "--dry-run");
            assertEquals(0, dry.exit(), dry.describe());
            assertTrue(
                    dry.stdout()
                            .contains(
                                    "n1 (10.250.0.11): planned: the live rules are the plan; would deliver 1 TLS file\n"
                                            + "  TLS delivers /etc/ssl/etcd/node-key.pem\n"),
                    dry.stdout());
            assertEquals("644\n", ApplyIT.inNode(daemons.get(0), "stat", "-c", "%a", "/etc/ssl/etcd/node-key.pem"));
            ExecResult repaired = apply(ops, tmp, knownHosts, spec, pki, "--nodes", "n1");
            assertEquals(0, repaired.exit(), repaired.describe());
            assertTrue(
                    repaired.stdout()
                            .contains("n1 (10.250.0.11): delivered: the live rules are the plan; TLS files delivered"
                                    + " (1 changed); etcd restarted"),
                    repaired.stdout());
            assertEquals("600\n", ApplyIT.inNode(daemons.get(0), "stat", "-c", "%a", "/etc/ssl/etcd/node-key.pem"));
            awaitHealthy(lab, ops, pki, daemons);
        } finally {
            // etcd was started by the nodes, not by the test: everything in the nodes' namespaces goes
            for (Host n : nodes) {
                killAllIn(n);
            }
            TestSshd.stop(daemons);
            lab.close();
        }
    }

    static ExecResult apply(Host ops, Path tmp, Path knownHosts, Path spec, Path pki, String... more) {
        List<String> argv = ApplyIT.command(tmp, knownHosts, spec, "--pki", pki.toString(), "--confirm-timeout", "20");
        argv.removeAll(List.of("--nodes", "core-1"));
        argv.addAll(List.of(more));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ops.netns()));
        cmd.addAll(List.of(ChildJvm.withCoverageAgent(argv.toArray(String[]::new))));
        return Commands.run(cmd, Duration.ofSeconds(120));
    }

    /** Every member healthy, asked from the operator's namespace with the operator's client certificate (at most 30 s). */
    static void awaitHealthy(NetnsLab lab, Host ops, Path pki, List<Process> daemons) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ExecResult last = null;
        while (System.nanoTime() < deadline) {
            last = operatorCtl(
                    lab,
                    ops,
                    pki,
                    "--endpoints=https://10.250.0.11:2379,https://10.250.0.12:2379,https://10.250.0.13:2379",
                    "endpoint",
                    "health");
            // etcdctl 3.4 prints each endpoint's health on stderr
            String said = last.stdout() + last.stderr();
            if (last.exit() == 0
                    && said.lines().filter(l -> l.contains("is healthy")).count() == 3) {
                ExecResult members =
                        operatorCtl(lab, ops, pki, "--endpoints=https://10.250.0.11:2379", "member", "list");
                assertEquals(0, members.exit(), members.describe());
                assertEquals(
                        3,
                        members.stdout()
                                .lines()
                                .filter(l -> l.contains(", started, "))
                                .count(),
                        members.stdout());
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "the cluster never became healthy: " + (last == null ? "" : last.describe()) + logs(daemons));
    }

    /** etcdctl in the operator's namespace with the operator's client certificate from the PKI. */
    static ExecResult operatorCtl(NetnsLab lab, Host ops, Path pki, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                EtcdCluster.ETCDCTL.toString(),
                "--cacert=" + pki.resolve("ca.pem"),
                "--cert=" + pki.resolve("operator.pem"),
                "--key=" + pki.resolve("operator-key.pem"),
                "--dial-timeout=3s",
                "--command-timeout=5s"));
        argv.addAll(List.of(args));
        return lab.exec(ops, argv.toArray(String[]::new));
    }

    /** The environment file the build wrote into the node's Ignition config. */
    static String etcdEnv(String ignition) {
        return ParsedNodeConfig.ignition(ignition)
                .requireFile("/etc/stockade/etcd.env")
                .contents();
    }

    static String logs(List<Process> daemons) {
        StringBuilder sb = new StringBuilder();
        for (Process d : daemons) {
            try {
                sb.append("\n--- etcd log of node pid ")
                        .append(d.pid())
                        .append(":\n")
                        .append(ApplyIT.inNode(d, "sh", "-c", "tail -n 20 /var/lib/etcd-member.log 2>&1"));
            } catch (Exception | AssertionError e) {
                sb.append("\n(no log: ").append(e.getMessage()).append(')');
            }
        }
        return sb.toString();
    }

    /** Kills every process in {@code host}'s network namespace (the node's sshd, its sessions, its etcd). */
    static void killAllIn(Host host) {
        ExecResult pids = Commands.run(List.of("ip", "netns", "pids", host.netns()), Duration.ofSeconds(10));
        for (String pid : pids.stdout().split("\\s+")) {
            if (pid.matches("\\d+")) {
                Commands.run(List.of("kill", "-9", pid), Duration.ofSeconds(5));
            }
        }
    }
}
