package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fact parsers (Listener, UnitState, Settings, Tar), LocalFacts, SshFacts' command line; the checks
 * (FirewallChecks, HostChecks, EtcdChecks, NftTables) are exercised through ChecksTest's fixtures. */
class FactParsersTest {

    @Test
    void listener_ssOutput_familiesLoopbackAndUnreadLines() {
        Listener.Parsed p = Listener.parse("tcp LISTEN 0 1 *:22 *:* users:((\"sshd\",pid=1,fd=3))\n"
                + "tcp LISTEN 0 1 [::1]:631 [::]:*\nudp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:*\nnonsense here\n"
                + "tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5555\n");
        assertEquals(3, p.listeners().size());
        assertEquals(Set.of(IpFamily.V4, IpFamily.V6), p.listeners().get(0).families());
        assertEquals("tcp/22 (sshd)", p.listeners().get(0).describe());
        assertTrue(p.listeners().get(1).loopbackOnly());
        assertTrue(p.listeners().get(2).loopbackOnly());
        assertEquals(java.util.List.of(4), p.unreadLines());
    }

    @Test
    void unitState_blocks_maskedRunningEnabled() {
        Map<String, UnitState> u = UnitState.parse("Id=a.service\nLoadState=masked\nActiveState=inactive\n"
                + "UnitFileState=masked\n\nId=b.socket\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n");
        assertTrue(u.get("a.service").masked());
        assertTrue(u.get("b.socket").running() && u.get("b.socket").enabled());
        assertEquals(6, u.get("b.socket").line());
    }

    @Test
    void settings_keyValuesSshdAndEtcd_flagsWinOverEnvironment() {
        assertEquals(
                "off",
                Settings.keyValues("A=1\n# c\nREBOOT_STRATEGY=\"off\"\n")
                        .last("REBOOT_STRATEGY")
                        .orElseThrow()
                        .value());
        assertEquals(
                "no",
                Settings.sshd("PermitRootLogin no\n")
                        .last("permitrootlogin")
                        .orElseThrow()
                        .value());
        Settings e =
                Settings.etcd("arg --listen-client-urls=http://0.0.0.0:2379\nenv ETCD_LISTEN_CLIENT_URLS=https://x\n");
        assertEquals(
                "http://0.0.0.0:2379",
                e.last("ETCD_LISTEN_CLIENT_URLS").orElseThrow().value());
    }

    @Test
    void tar_regularFilesRead_garbageRefused() throws Exception {
        Map<String, byte[]> got = new HashMap<>();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tar");
        java.nio.file.Files.writeString(dir.resolve("x.out"), "hello\n");
        Process p = new ProcessBuilder(
                        "tar",
                        "-cf",
                        dir + ".tar",
                        "-C",
                        dir.getParent().toString(),
                        dir.getFileName().toString())
                .start();
        assertEquals(0, p.waitFor());
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(dir + ".tar"))) {
            Tar.read(in, 1 << 20, got::put);
        }
        assertEquals("hello\n", new String(got.get(dir.getFileName() + "/x.out"), StandardCharsets.UTF_8));
        assertThrows(
                Tar.FormatException.class,
                () -> Tar.read(new ByteArrayInputStream(new byte[7]), 1 << 20, (n, d) -> {}));
        byte[] junk = new byte[600];
        java.util.Arrays.fill(junk, (byte) 'x');
        assertThrows(Tar.FormatException.class, () -> Tar.read(new ByteArrayInputStream(junk), 1 << 20, (n, d) -> {}));
    }

    @Test
    void eachCheckFamily_onTheOpenFixture_reportsItsOwnIds() throws Exception {
        HostFacts f = HostFacts.collect(SnapshotFacts.read(java.nio.file.Path.of("src/test/resources/audit/open")));
        java.util.List<dev.stockade.report.Finding> fw = new java.util.ArrayList<>();
        FirewallChecks.check(f, fw);
        java.util.List<dev.stockade.report.Finding> host = new java.util.ArrayList<>();
        HostChecks.check(f, host);
        java.util.List<dev.stockade.report.Finding> etcd = new java.util.ArrayList<>();
        EtcdChecks.check(f, etcd);
        java.util.List<dev.stockade.report.Finding> nft = new java.util.ArrayList<>();
        NftTables.read(f, nft);
        assertTrue(fw.stream().anyMatch(x -> x.id().equals("AUD-V6-OPEN")), fw.toString());
        assertTrue(
                host.stream()
                        .allMatch(x -> Set.of(
                                        "AUD-SSH-ROOT",
                                        "AUD-SSH-PASSWORD",
                                        "AUD-CORE-GROUPS",
                                        "AUD-DOCKER-SOCKET",
                                        "AUD-SELINUX",
                                        "AUD-UPDATES",
                                        "AUD-RESTORE-DISABLED")
                                .contains(x.id())),
                host.toString());
        assertTrue(
                etcd.stream().allMatch(x -> x.id().startsWith("AUD-ETCD") || x.id().equals("AUD-KEY-MODE")),
                etcd.toString());
        assertEquals(
                java.util.List.of("AUD-NFT-UNMODELLED"),
                nft.stream().map(dev.stockade.report.Finding::id).toList());
    }

    @Test
    void localFacts_statusOfCommands_andSshFactsCommandLine() {
        LocalFacts local = new LocalFacts("here", Duration.ofSeconds(10));
        ProbeOutput os = local.collect(Probe.HOSTNAME);
        assertEquals(ProbeOutput.Status.OK, os.status());
        assertEquals("here/hostname.out", os.source());
        assertEquals(ProbeOutput.Status.MISSING, ProbeOutput.statusOf(127));
        assertEquals(ProbeOutput.Status.TIMEOUT, ProbeOutput.statusOf(124));
        assertEquals(
                "sudo -n env PATH=" + Probe.PATH + " LC_ALL=C sh -c " + CollectorScript.quote("echo 'x'"),
                SshFacts.remoteCommand("echo 'x'", true));
    }

    /** The provisioned-file probe, run by a real shell: one line per file, its SHA-256 as Java computes it. */
    @Test
    void provisionedProbe_ownerModeAndHashOfRealFiles() throws Exception {
        ProbeOutput o = new LocalFacts("here", Duration.ofSeconds(10)).collect(Probe.PROVISIONED);
        assertEquals(ProbeOutput.Status.OK, o.status(), o.stderr());
        java.nio.file.Path hostname = java.nio.file.Path.of("/etc/hostname");
        String line = o.stdout()
                .lines()
                .filter(l -> l.startsWith("/etc/hostname "))
                .findFirst()
                .orElseThrow();
        if (java.nio.file.Files.isRegularFile(hostname)) {
            String sha = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(java.nio.file.Files.readAllBytes(hostname)));
            String mode = Integer.toOctalString(java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(hostname))
                    .chars()
                    .reduce(0, (m, c) -> m * 2 + (c == '-' ? 0 : 1)));
            assertEquals(
                    "/etc/hostname " + java.nio.file.Files.getOwner(hostname).getName() + " " + mode + " " + sha, line);
        } else {
            assertEquals("/etc/hostname -", line);
        }
        assertTrue(o.stdout().lines().noneMatch(l -> l.contains("*")), "an unmatched glob is no file: " + o.stdout());
        assertTrue(o.stdout().contains("/etc/stockade/core-groups.sh -"), o.stdout());
    }

    /** The SSH script run by a real shell here: each probe's output, error output and status as LocalFacts gives them. */
    @Test
    void sshScript_framesEveryProbe_likeLocalFacts() throws Exception {
        String boundary = "@@stockade-test";
        Process p = new ProcessBuilder("sh", "-c", SshFacts.script(boundary, 10)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        var all = SshFacts.parse(
                "h", new dev.stockade.ssh.SshSession.Result(0, out, err, false, false), boundary, "lost");
        LocalFacts local = new LocalFacts("h", Duration.ofSeconds(10));
        for (Probe probe : java.util.List.of(Probe.HOSTNAME, Probe.OS_RELEASE, Probe.GROUPS, Probe.SELINUX_CONFIG)) {
            ProbeOutput here = local.collect(probe);
            ProbeOutput framed = all.get(probe);
            assertEquals(here.status(), framed.status(), probe.toString());
            assertEquals(here.exitCode(), framed.exitCode(), probe.toString());
            assertEquals(here.stdout(), framed.stdout(), probe.toString());
            assertEquals(here.stderr(), framed.stderr(), probe.toString());
            assertEquals("h/" + probe.file() + ".out", framed.source());
        }
        assertEquals(Probe.values().length, all.size());
    }

    /** A connection lost after two probes: their facts kept, the third "while it ran", the rest "before it ran". */
    @Test
    void sshScript_lostMidway_factsUntilThenKept() {
        String b = "@@x";
        String out =
                b + " begin hostname\nnode-1\n\n" + b + " end hostname 0\n" + b + " begin os-release\nID=flatcar\n\n"
                        + b + " end os-release 0\n" + b + " begin iptables-save\n*filter\n";
        var all = SshFacts.parse(
                "h", new dev.stockade.ssh.SshSession.Result(-1, out, "", false, true), b, "the connection was lost");
        assertEquals("node-1\n", all.get(Probe.HOSTNAME).stdout());
        assertEquals(ProbeOutput.Status.OK, all.get(Probe.OS_RELEASE).status());
        assertEquals(ProbeOutput.Status.FAILED, all.get(Probe.IPTABLES).status());
        assertEquals(
                "the connection was lost while it ran", all.get(Probe.IPTABLES).problem());
        assertEquals(
                "the connection was lost before it ran", all.get(Probe.SOCKETS).problem());
        // sudo refusing before anything ran: its own words for every probe
        var refused = SshFacts.parse(
                "h",
                new dev.stockade.ssh.SshSession.Result(1, "", "sudo: a password is required\n", false, false),
                b,
                "lost");
        assertEquals(
                "exit status 1: sudo: a password is required",
                refused.get(Probe.SOCKETS).problem());
        // the time ran out during a probe
        var slow = SshFacts.parse(
                "h", new dev.stockade.ssh.SshSession.Result(-1, b + " begin hostname\n", "", true, false), b, "lost");
        assertEquals(ProbeOutput.Status.TIMEOUT, slow.get(Probe.HOSTNAME).status());
    }
}
