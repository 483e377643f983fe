package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import dev.stockade.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stockade audit --ssh} against a real sshd (Debian's openssh-server) in a network
 * namespace, with host and client keys made for the test: the audit runs in a second namespace,
 * connects through the node's firewall and reports the node's facts; an unknown host key and a
 * changed one are refused (exit 3, nothing collected), as is a host nobody listens on.
 */
class AuditSshIT {

    static final String V4 = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A INPUT -i lo -j ACCEPT\n"
            + "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
            + "-A INPUT -s 10.250.8.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n"
            + "-A INPUT -s 10.250.8.0/24 -p tcp -m tcp --dport 2222 -j ACCEPT\n"
            + "COMMIT\n";

    /**
     * A host that misbehaves, as sshd's ForceCommand: it puts fakes first on the PATH the audit's
     * command sets, giving garbage for the IPv4 rules, IPv6 rules that never come, a missing nft,
     * and a cut connection while the listening sockets are read.
     */
    static final String BAD = """
            #!/bin/sh
            fake=$(mktemp -d)
            printf '#!/bin/sh\\nprintf "*filter\\\\n:INPUT DROP\\\\n\\\\001\\\\377 garbage\\\\n"\\n' >"$fake/iptables-save"
            printf '#!/bin/sh\\nsleep 20\\n' >"$fake/ip6tables-save"
            printf '#!/bin/sh\\necho "sh: nft: not found" >&2\\nexit 127\\n' >"$fake/nft"
            cat >"$fake/ss" <<'EOF'
            #!/bin/sh
            p=$PPID
            for i in 1 2 3 4 5 6 7 8 9 10; do
              case "$(cat /proc/$p/comm)" in sshd*) kill -9 "$p"; exit 0 ;; esac
              p=$(awk '{print $4}' /proc/$p/stat)
            done
            EOF
            chmod +x "$fake"/*
            exec sh -c "$(printf '%s' "$SSH_ORIGINAL_COMMAND" | sed "s|PATH=/usr/sbin|PATH=$fake:/usr/sbin|")"
            """;

    @Test
    void sshAudit_realSshd_factsCollected_unknownAndChangedHostKeysRefused(@TempDir Path tmp) throws Exception {
        Path sshd = TestSshd.sshd();
        keygen(tmp.resolve("host"));
        keygen(tmp.resolve("other-host"));
        keygen(tmp.resolve("client"));
        Files.copy(tmp.resolve("client.pub"), tmp.resolve("authorized_keys"));
        Path config = TestSshd.config(
                tmp.resolve("sshd_config"), "10.250.8.1", 22, tmp.resolve("host"), tmp.resolve("authorized_keys"));
        Path known = Files.writeString(
                tmp.resolve("known_hosts"), "10.250.8.1 " + Files.readString(tmp.resolve("host.pub")));
        Path changed = Files.writeString(
                tmp.resolve("known_hosts.changed"), "10.250.8.1 " + Files.readString(tmp.resolve("other-host.pub")));
        Path empty = Files.writeString(tmp.resolve("known_hosts.empty"), "");
        try (NetnsLab lab = NetnsLab.create()) {
            Host node = lab.host("node");
            Host ops = lab.host("ops");
            Segment lan = lab.segment("lan");
            lab.attach(node, "eth1", lan, "10.250.8.1/24");
            lab.attach(ops, "eth1", lan, "10.250.8.2/24");
            lab.loadRuleText(node, V4, null);
            Process daemon = new ProcessBuilder(
                            "ip", "netns", "exec", node.netns(), sshd.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("sshd.log").toFile())
                    .start();
            Path bad = Files.writeString(tmp.resolve("bad.sh"), BAD);
            assertTrue(bad.toFile().setExecutable(true));
            Path badConfig = TestSshd.config(
                    tmp.resolve("sshd_config.bad"),
                    "10.250.8.1",
                    2222,
                    tmp.resolve("host"),
                    tmp.resolve("authorized_keys"),
                    "ForceCommand " + bad);
            Files.writeString(
                    known, Files.readString(known) + "[10.250.8.1]:2222 " + Files.readString(tmp.resolve("host.pub")));
            Process badDaemon = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            node.netns(),
                            sshd.toString(),
                            "-D",
                            "-e",
                            "-f",
                            badConfig.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("sshd-bad.log").toFile())
                    .start();
            try {
                awaitListening(lab, node, daemon, tmp.resolve("sshd.log"));
                awaitListening(lab, node, badDaemon, tmp.resolve("sshd-bad.log"), "10.250.8.1:2222");

                // one run, a good host and a bad one: the bad one gives findings, never a crash
                ExecResult both = audit(
                        lab, ops, tmp, known, List.of("root@10.250.8.1:2222", "root@10.250.8.1"), "--timeout", "3");
                assertEquals(1, both.exit(), both.describe());
                String text = both.stdout();
                assertTrue(text.startsWith("Audited 10.250.8.1 ("), text);
                assertEquals(2, text.split("(?m)^Audited 10\\.250\\.8\\.1 ").length - 1, text);
                assertTrue(text.contains("the IPv4 rules do not parse"), text);
                assertTrue(text.contains("no ip6tables-save fact (it did not finish in time)"), text);
                assertTrue(text.contains("no listening fact (the connection to 10.250.8.1:2222 was lost while"), text);
                assertTrue(
                        text.contains("tcp/22 (sshd) on 10.250.8.1 can be reached over IPv4 from 10.250.8.0/24"),
                        "the good host is audited in full: " + text);
                assertFalse(text.contains("Exception") || text.contains("\tat "), text);
                ExecResult ok = audit(lab, ops, tmp, known, "--format", "json");
                assertEquals(1, ok.exit(), ok.describe() + "\nsshd: " + Files.readString(tmp.resolve("sshd.log")));
                assertTrue(ok.stdout().contains("\"host\": \"10.250.8.1\""), ok.stdout());
                assertTrue(
                        ok.stdout().contains("tcp/22 (sshd) on 10.250.8.1 can be reached over IPv4 from 10.250.8.0/24"),
                        ok.stdout());
                assertTrue(ok.stdout().contains("no IPv6 firewall is loaded"), ok.stdout());

                ExecResult unknown = audit(lab, ops, tmp, empty);
                assertEquals(3, unknown.exit(), unknown.describe());
                assertTrue(
                        unknown.stdout()
                                .contains("error: cannot audit: 10.250.8.1:22 is not in " + empty
                                        + " (its key is unknown) [AUD-UNREACHABLE]"),
                        unknown.stdout());

                ExecResult mismatch = audit(lab, ops, tmp, changed);
                assertEquals(3, mismatch.exit(), mismatch.describe());
                assertTrue(
                        mismatch.stdout().contains("the host key of 10.250.8.1:22 differs from the one in " + changed),
                        mismatch.stdout());
                assertTrue(mismatch.stdout().contains("hint: do not connect until you know why"), mismatch.stdout());
            } finally {
                for (Process d : List.of(daemon, badDaemon)) {
                    d.descendants().forEach(ProcessHandle::destroyForcibly);
                    d.destroyForcibly();
                    d.waitFor(10, TimeUnit.SECONDS);
                }
            }
            ExecResult down = audit(lab, ops, tmp, known);
            assertEquals(3, down.exit(), down.describe());
            assertTrue(down.stdout().contains("cannot audit: cannot connect to 10.250.8.1:22"), down.stdout());
        }
    }

    static ExecResult audit(NetnsLab lab, Host from, Path tmp, Path knownHosts, String... more) {
        return audit(lab, from, tmp, knownHosts, List.of("root@10.250.8.1"), more);
    }

    static ExecResult audit(NetnsLab lab, Host from, Path tmp, Path knownHosts, List<String> hosts, String... more) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stockade.cli.Main",
                "audit",
                "--ssh"));
        argv.addAll(hosts);
        argv.addAll(List.of(
                "--known-hosts",
                knownHosts.toString(),
                "--identity",
                tmp.resolve("client").toString(),
                "--connect-timeout",
                "5"));
        argv.addAll(List.of(more));
        return lab.exec(from, ChildJvm.withCoverageAgent(argv.toArray(String[]::new)));
    }

    static void keygen(Path key) throws IOException, InterruptedException {
        TestSshd.keygen(key);
    }

    /** Waits (at most 10 s) until sshd listens in the node's namespace. */
    static void awaitListening(NetnsLab lab, Host node, Process daemon, Path log) throws Exception {
        awaitListening(lab, node, daemon, log, "10.250.8.1:22 ");
    }

    static void awaitListening(NetnsLab lab, Host node, Process daemon, Path log, String address) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (lab.exec(node, "ss", "-Htln").stdout().contains(address)) {
                return;
            }
            if (!daemon.isAlive()) {
                throw new AssertionError("sshd exited " + daemon.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sshd did not listen within 10 s: " + Files.readString(log));
    }
}
