package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.report.Diagnostic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IPT-CRLF warning says whether iptables-restore loads a file with CR line ends; the tool
 * itself ({@code iptables-restore --test}, inside a throw-away namespace) is the judge.
 */
class CrlfRestoreIT {

    @Test
    void crlfWarning_agreesWithIptablesRestore() throws Exception {
        GeneratedFilesIT.requireTool("iptables-restore");
        Map<String, Boolean> accepted = new LinkedHashMap<>();
        accepted.put("*filter\r\n:INPUT DROP [0:0]\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n", false);
        accepted.put("*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\r\nCOMMIT\n", false);
        accepted.put("*filter\n:INPUT DROP [0:0]\n\r\nCOMMIT\n", false);
        accepted.put("*filter\n:INPUT DROP [0:0]\nCOMMIT\r\n", false);
        accepted.put("# made on Windows\r\n*filter\n:INPUT DROP [0:0]\r\n:user - [0:0]\r\nCOMMIT\n", true);
        String ns = "stk-" + ProcessHandle.current().pid() + "-crlf";
        assertEquals(0, GeneratedFilesIT.exec("ip", "netns", "add", ns).code());
        Path tmp = Files.createTempFile("stockade-crlf", ".rules");
        try {
            for (Map.Entry<String, Boolean> e : accepted.entrySet()) {
                Files.write(tmp, e.getKey().getBytes(StandardCharsets.UTF_8));
                GeneratedFilesIT.Result r =
                        GeneratedFilesIT.exec("ip", "netns", "exec", ns, "iptables-restore", "--test", tmp.toString());
                assertEquals(e.getValue(), r.code() == 0, e.getKey() + "\n" + r.output());
                Diagnostic crlf = IptablesSaveParser.parse("f", e.getKey(), null).warnings().stream()
                        .filter(d -> d.code().equals("IPT-CRLF"))
                        .findFirst()
                        .orElseThrow();
                String says = e.getValue() ? "which iptables-restore accepts" : "iptables-restore rejects this file";
                assertTrue(crlf.message().contains(says), crlf.message());
            }
        } finally {
            GeneratedFilesIT.exec("ip", "netns", "del", ns);
            Files.deleteIfExists(tmp);
        }
    }
}
