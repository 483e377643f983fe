package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticLintsTest {

    static List<String> lint(String... lines) throws Exception {
        Table t = PacketSetAnalysisTest.table(lines);
        return SemanticLints.lint("t.rules", IpFamily.V4, t).stream()
                .map(f -> f.id() + " " + f.subject())
                .toList();
    }

    @Test
    void lint_ruleCoveredByEarlierRules_isShadowed() throws Exception {
        // and the DROP before it only does what the DROP policy would do anyway
        assertEquals(
                List.of("FW-REDUNDANT t.rules:6:1", "FW-SHADOWED t.rules:7:1"),
                structural(
                        "-A INPUT -s 10.0.0.0/9 -p tcp -m tcp --dport 22 -j ACCEPT",
                        "-A INPUT -s 10.128.0.0/9 -p tcp -m tcp --dport 22 -j DROP",
                        "-A INPUT -s 10.1.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT"));
    }

    @Test
    void lint_twoIdenticalRules_onlyTheSecondIsFlagged() throws Exception {
        // removing both would close the port: only one of the pair may be called removable
        assertEquals(
                List.of("FW-SHADOWED t.rules:6:1"),
                structural(
                        "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"));
    }

    @Test
    void lint_everyFlaggedRuleRemovedTogether_sameAcceptedSet() throws Exception {
        String[] rules = {
            "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
            "-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT",
            "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
            "-A INPUT -s 192.0.2.0/24 -j DROP",
            "-A INPUT -s 192.0.2.0/24 -j DROP",
            "-A INPUT -p udp -j ACCEPT"
        };
        Table all = PacketSetAnalysisTest.table(rules);
        List<Integer> flagged = SemanticLints.lint("t.rules", IpFamily.V4, all).stream()
                .filter(f -> f.id().equals("FW-SHADOWED") || f.id().equals("FW-REDUNDANT"))
                .map(f -> Integer.parseInt(f.subject().split(":")[1]) - 5)
                .toList();
        assertEquals(List.of(1, 2, 4), flagged);
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            if (!flagged.contains(i)) {
                kept.add(rules[i]);
            }
        }
        FilterAnalysis before = FilterAnalysis.of(IpFamily.V4, all);
        FilterAnalysis after = FilterAnalysis.of(
                IpFamily.V4,
                List.of(all, PacketSetAnalysisTest.table(kept.toArray(String[]::new))),
                List.of(),
                FilterAnalysis.Approximation.EXACT,
                null);
        assertEquals(after.acceptedLower(0, "INPUT"), after.acceptedLower(1, "INPUT"));
        assertEquals(
                Exposure.of(before, "INPUT").accepted().size(),
                Exposure.of(after, "INPUT").accepted().size());
    }

    @Test
    void lint_dropBeforeDropPolicy_isRedundant() throws Exception {
        assertEquals(
                List.of("FW-REDUNDANT t.rules:6:1"),
                structural("-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT", "-A INPUT -s 192.0.2.0/24 -j DROP"));
    }

    @Test
    void lint_dropThatProtectsALaterAccept_isNotRedundant() throws Exception {
        assertEquals(
                List.of(),
                structural("-A INPUT -s 192.0.2.0/24 -j DROP", "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT"));
    }

    @Test
    void lint_userChainReachedOnlyByUdp_tcpRuleInsideIsShadowed() throws Exception {
        List<String> found =
                structural(":c - [0:0]", "-A INPUT -p udp -j c", "-A c -p tcp -j ACCEPT", "-A c -p udp -j ACCEPT");
        assertEquals(List.of("FW-SHADOWED t.rules:7:1"), found);
    }

    @Test
    void lint_sshFromEverywhere_warnedOnlyWhenEverySourceOnEveryInterfaceIsAccepted() throws Exception {
        List<String> base = List.of("-A INPUT -i lo -j ACCEPT", "-A INPUT -m state --state ESTABLISHED -j ACCEPT");
        List<String> open = new java.util.ArrayList<>(base);
        open.add("-A INPUT -p tcp --dport 22 -j ACCEPT");
        assertEquals(List.of("FW-SSH-ANY t.rules: chain INPUT"), lint(open.toArray(String[]::new)));
        List<String> admins = new java.util.ArrayList<>(base);
        admins.add("-A INPUT -s 203.0.113.0/24 -p tcp --dport 22 -j ACCEPT");
        assertEquals(List.of(), lint(admins.toArray(String[]::new)));
        List<String> oneInterface = new java.util.ArrayList<>(base);
        oneInterface.add("-A INPUT -i eth1 -p tcp --dport 22 -j ACCEPT");
        assertEquals(List.of(), lint(oneInterface.toArray(String[]::new)));
    }

    @Test
    void lint_noRepliesNoLoopbackNoSsh_exactInputChecks() throws Exception {
        assertEquals(
                List.of(
                        "FW-NO-ESTABLISHED t.rules: chain INPUT",
                        "FW-NO-LOOPBACK t.rules: chain INPUT",
                        "FW-SSH-CLOSED t.rules: chain INPUT"),
                lint("-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT"));
        // loopback only for tcp is not all of loopback; ssh behind a source list is open to someone
        assertEquals(
                List.of("FW-NO-LOOPBACK t.rules: chain INPUT"),
                lint(
                        "-A INPUT -i lo -p tcp -j ACCEPT",
                        "-A INPUT -m state --state ESTABLISHED -j ACCEPT",
                        "-A INPUT -s 203.0.113.0/24 -p tcp --dport 22 -j ACCEPT"));
        // ssh shadowed by an earlier drop is closed, although a rule mentions port 22; once the
        // shadowed rule is gone, the drop only does what the policy does
        assertEquals(
                List.of("FW-SSH-CLOSED t.rules: chain INPUT", "FW-REDUNDANT t.rules:7:1", "FW-SHADOWED t.rules:8:1"),
                lint(
                        "-A INPUT -i lo -j ACCEPT",
                        "-A INPUT -m state --state ESTABLISHED -j ACCEPT",
                        "-A INPUT -p tcp -j DROP",
                        "-A INPUT -p tcp --dport 22 -j ACCEPT"));
    }

    @Test
    void lint_unmodelledMatch_isNeitherShadowedNorRedundant() throws Exception {
        assertEquals(List.of(), structural("-A INPUT -m recent --rcheck --name x -j DROP", "-A INPUT -j ACCEPT"));
    }

    static List<String> structural(String... lines) throws Exception {
        return lint(lines).stream()
                .filter(f -> !f.startsWith("FW-NO-") && !f.startsWith("FW-SSH"))
                .toList();
    }
}
