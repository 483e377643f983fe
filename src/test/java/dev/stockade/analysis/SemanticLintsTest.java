package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticLintsTest {

    static List<String> lint(String... lines) throws Exception {
        Table t = PacketSetAnalysisTest.table(lines);
        return SemanticLints.lint("t.rules", IpFamily.V4, t).stream().map(f -> f.id() + " " + f.subject()).toList();
    }

    @Test
    void lint_ruleCoveredByEarlierRules_isShadowed() throws Exception {
        // and the DROP before it only does what the DROP policy would do anyway
        assertEquals(List.of("FW-REDUNDANT t.rules:6:1", "FW-SHADOWED t.rules:7:1"), lint(
                "-A INPUT -s 10.0.0.0/9 -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A INPUT -s 10.128.0.0/9 -p tcp -m tcp --dport 22 -j DROP",
                "-A INPUT -s 10.1.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT"));
    }

    @Test
    void lint_dropBeforeDropPolicy_isRedundant() throws Exception {
        assertEquals(List.of("FW-REDUNDANT t.rules:6:1"), lint(
                "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT",
                "-A INPUT -s 192.0.2.0/24 -j DROP"));
    }

    @Test
    void lint_dropThatProtectsALaterAccept_isNotRedundant() throws Exception {
        assertEquals(List.of(), lint(
                "-A INPUT -s 192.0.2.0/24 -j DROP",
                "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT"));
    }

    @Test
    void lint_userChainReachedOnlyByUdp_tcpRuleInsideIsShadowed() throws Exception {
        List<String> found = lint(":c - [0:0]", "-A INPUT -p udp -j c", "-A c -p tcp -j ACCEPT", "-A c -p udp -j ACCEPT");
        assertEquals(List.of("FW-SHADOWED t.rules:7:1"), found);
    }

    @Test
    void lint_unmodelledMatch_isNeitherShadowedNorRedundant() throws Exception {
        assertEquals(List.of(), lint("-A INPUT -m recent --rcheck --name x -j DROP", "-A INPUT -j ACCEPT"));
    }

}
