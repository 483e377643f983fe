package dev.stockade.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node-side commands: each parses as POSIX shell (dash, sh -n), and names only the change's own files. */
class NodeProtocolTest {

    static void parses(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-n", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + "\n" + out);
    }

    @Test
    void everyCommandParses_andStaysInItsDirectory() throws Exception {
        String id = "20261203-081500-0a1b";
        for (String s : List.of(
                NodeProtocol.whoAmI(),
                NodeProtocol.readLive(),
                NodeProtocol.restoreUnits(),
                NodeProtocol.stage(id),
                NodeProtocol.upload(id, "new-v4"),
                NodeProtocol.test(id),
                NodeProtocol.rollbackScript(id),
                NodeProtocol.arm(id, 60),
                NodeProtocol.load(id),
                NodeProtocol.confirm(id),
                NodeProtocol.persist(id),
                NodeProtocol.discard(id))) {
            parses(s);
        }
        assertTrue(NodeProtocol.rollbackScript(id)
                .contains("[ -e /var/lib/stockade/apply/" + id + "/confirmed ] && exit 0"));
        assertTrue(NodeProtocol.arm(id, 60).contains("--on-active=60s"));
        assertTrue(NodeProtocol.arm(id, 60).contains("setsid sh -c 'sleep 60; exec sh /var/lib/stockade/apply/" + id));
        assertTrue(NodeProtocol.persist(id)
                .contains("mv -f /var/lib/iptables/rules-save.stockade-new /var/lib/iptables/rules-save"));
    }

    static String run(String script, String input) throws Exception {
        Process p =
                new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + "\n" + out);
        return out;
    }

    /** The delivery commands run by the local shell on real files: modes, owner, renames, what inspect prints. */
    @Test
    void deliveredFiles_stagedWithTheirModeFirst_renamedKeyLast_inspectedByHash(@TempDir Path tmp) throws Exception {
        String owner = run("id -un", "").strip();
        Path dir = tmp.resolve("ssl/etcd");
        String cert = dir.resolve("node.pem").toString();
        String key = dir.resolve("node-key.pem").toString();
        parses(NodeProtocol.startMember("etcd-member.service", true));
        parses(NodeProtocol.startMember("etcd-member.service", false));
        assertEquals("systemctl try-restart stockade-proxy.service", NodeProtocol.tryRestart("stockade-proxy.service"));
        assertTrue(run(NodeProtocol.inspect(List.of(cert, key), "etcd-member.service"), "")
                .equals("missing " + cert + "\nmissing " + key + "\nmember inactive\n"));

        run(NodeProtocol.stageFile(cert, 0644, owner), "CERT\n");
        run(NodeProtocol.stageFile(key, 0600, owner), "KEY\n");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "a new directory");
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(key + NodeProtocol.NEW))));
        assertFalse(Files.exists(Path.of(key)), "nothing in place before install");
        run(NodeProtocol.install(List.of(cert, key)), "");
        assertEquals("KEY\n", Files.readString(Path.of(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(key))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(cert))));
        assertEquals(owner, Files.getOwner(Path.of(key)).getName());
        assertFalse(Files.exists(Path.of(key + NodeProtocol.NEW)));
        String keyHash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest("KEY\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(run(NodeProtocol.inspect(List.of(cert, key), "etcd-member.service"), "")
                .contains("600 " + owner + " " + keyHash + " " + key + "\n"));

        // a failed stage leaves no half-written file behind
        Process bad = new ProcessBuilder("sh", "-c", NodeProtocol.stageFile(key, 0600, "no-such-user-here"))
                .redirectErrorStream(true)
                .start();
        bad.getOutputStream().write("NEW KEY\n".getBytes(StandardCharsets.UTF_8));
        bad.getOutputStream().close();
        bad.getInputStream().readAllBytes();
        assertEquals(1, bad.waitFor());
        assertFalse(Files.exists(Path.of(key + NodeProtocol.NEW)));
        assertEquals("KEY\n", Files.readString(Path.of(key)), "the installed key is untouched");
        run(NodeProtocol.stageFile(cert, 0644, owner), "STALE\n");
        run(NodeProtocol.unstage(List.of(cert, key)), "");
        assertFalse(Files.exists(Path.of(cert + NodeProtocol.NEW)));
    }

    /** Pruning on a real directory: finished changes beyond the newest ten go; the newest and unfinished stay. */
    @Test
    void prune_keepsTheNewestTen_andEveryUnfinishedChange(@TempDir Path tmp) throws Exception {
        for (int i = 10; i < 25; i++) {
            Path d = Files.createDirectories(tmp.resolve("202612" + i + "-101500-0a1b"));
            Files.writeString(d.resolve(i == 12 ? "rolled-back" : i == 13 ? "new-v4" : "confirmed"), "");
        }
        parses(NodeProtocol.prune());
        run(NodeProtocol.prune(tmp.toString(), 10), "");
        List<String> left;
        try (var s = Files.list(tmp)) {
            left = s.map(p -> p.getFileName().toString().substring(6, 8))
                    .sorted()
                    .toList();
        }
        assertEquals(List.of("13", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24"), left);
        run(NodeProtocol.prune(tmp.toString(), 10), "");
        try (var s = Files.list(tmp)) {
            assertEquals(11, s.count(), "pruning again removes nothing more");
        }
    }

    @Test
    void badPathsOwnersAndUnits_refused() {
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stageFile("/etc/../x", 0600, "root"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stageFile("rel/x", 0600, "root"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stageFile("/etc/x", 0600, "r;m"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.startMember("a b", true));
    }

    @Test
    void badIdsAndFileNames_refused() {
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stage("../etc"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stage("a b"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.upload("ok", "x/y"));
    }
}
