package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetLintsTest {

    static List<String> lint(String... files) throws Exception {
        java.util.ArrayList<RulesetLints.Source> sources = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            sources.add(new RulesetLints.Source(
                    "f" + i, IptablesSaveParser.parse("f" + i, files[i], null).ruleset()));
        }
        return RulesetLints.lint(sources).stream().map(Finding::id).toList();
    }

    static final String GOOD = String.join(
            "\n",
            "*filter",
            ":INPUT DROP [0:0]",
            ":FORWARD DROP [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            "-A INPUT -i lo -j ACCEPT",
            "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -j ACCEPT",
            "COMMIT",
            "");

    @Test
    void lint_soundRuleset_noFindings() throws Exception {
        assertEquals(List.of(), lint(GOOD));
        assertEquals(List.of(), lint(GOOD, GOOD.replace("203.0.113.0/24", "2001:db8::/32")));
    }

    @Test
    void lint_structuralProblems() throws Exception {
        String bad = String.join(
                "\n",
                "*filter",
                ":INPUT DROP [0:0]",
                ":FORWARD DROP [0:0]",
                ":a - [0:0]",
                ":b - [0:0]",
                ":orphan - [0:0]",
                "-A INPUT -j a",
                "-A a -j b",
                "-A b -g a",
                "-A INPUT -m comment --comment \"all\" -j DROP",
                "-A INPUT -i lo -j ACCEPT",
                "-A INPUT -j nowhere",
                "COMMIT",
                "");
        assertEquals(
                List.of("FW-UNDEFINED-CHAIN", "FW-JUMP-LOOP", "FW-UNREACHABLE-CHAIN", "FW-AFTER-CATCHALL"), lint(bad));
    }

    @Test
    void lint_acceptPolicyWithoutFinalDrop_andFinalDropCounts() throws Exception {
        assertEquals(List.of("FW-POLICY-ACCEPT"), lint(GOOD.replace(":FORWARD DROP", ":FORWARD ACCEPT")));
        assertEquals(
                List.of(),
                lint(GOOD.replace(":INPUT DROP", ":INPUT ACCEPT").replace("COMMIT", "-A INPUT -j REJECT\nCOMMIT")));
    }

    @Test
    void lint_ipv6OpenWhileIpv4Closed() throws Exception {
        String v6open = GOOD.replace(":INPUT DROP", ":INPUT ACCEPT").replace("203.0.113.0/24", "2001:db8::/32");
        assertEquals(List.of("FW-POLICY-ACCEPT", "FW-IPV6-OPEN"), lint(GOOD, v6open));
    }
}
