package dev.stockade.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void badIdsAndFileNames_refused() {
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stage("../etc"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.stage("a b"));
        assertThrows(IllegalArgumentException.class, () -> NodeProtocol.upload("ok", "x/y"));
    }
}
