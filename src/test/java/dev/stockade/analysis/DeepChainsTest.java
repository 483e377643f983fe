package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rulesets that nest chains thousands deep: every walk over the jump graph keeps its own stack. */
class DeepChainsTest {

    private static final int DEPTH = 3000;

    /** INPUT jumps to c0, each c(i) to c(i+1); the last accepts 192.0.2.0/24 (or jumps back to c0). */
    static Table chained(boolean loop) throws InputException {
        StringBuilder sb = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        for (int i = 0; i < DEPTH; i++) {
            sb.append(':').append("c").append(i).append(" - [0:0]\n");
        }
        sb.append("-A INPUT -j c0\n");
        for (int i = 0; i < DEPTH - 1; i++) {
            sb.append("-A c").append(i).append(" -j c").append(i + 1).append('\n');
        }
        sb.append("-A c")
                .append(DEPTH - 1)
                .append(loop ? " -j c0\n" : " -s 192.0.2.0/24 -j ACCEPT\n")
                .append("COMMIT\n");
        return IptablesSaveParser.parse("deep.rules", sb.toString(), null)
                .ruleset()
                .table("filter")
                .orElseThrow();
    }

    @Test
    void exposure_thousandsOfNestedChains_exactWithoutOverflow() throws Exception {
        Exposure e = Exposure.of(FilterAnalysis.of(IpFamily.V4, chained(false)), "INPUT");
        assertTrue(e.exact());
        assertEquals(4, e.accepted().size()); // tcp, udp, icmp, other protocols
        assertTrue(
                e.accepted().stream().allMatch(x -> x.addresses().toCidrText().equals("192.0.2.0/24")));
    }

    @Test
    void unfolded_thousandsOfNestedChains_sameAcceptedSet() throws Exception {
        FilterAnalysis a = FilterAnalysis.of(
                IpFamily.V4, List.of(chained(false)), List.of(), FilterAnalysis.Approximation.FFFUU, null);
        PacketSet expected = a.packets().all("INPUT").and(a.packets().source(Prefix.parse("192.0.2.0/24")));
        assertEquals(expected, a.acceptedLower("INPUT"));
    }

    @Test
    void summary_loopThousandsDeep_locatedJumpLoopError() throws Exception {
        FilterAnalysis a = FilterAnalysis.of(IpFamily.V4, chained(true));
        InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> a.chain("INPUT"));
        assertEquals("FW-JUMP-LOOP", e.diagnostics().get(0).code());
        assertEquals(2 * DEPTH + 5, e.diagnostics().get(0).span().line());
    }

    @Test
    void lints_thousandsOfNestedChains_loopReportedOnceWithoutOverflow() throws Exception {
        Table looped = chained(true);
        List<Finding> findings = RulesetLints.table("deep.rules", looped);
        assertEquals(
                1, findings.stream().filter(f -> f.id().equals("FW-JUMP-LOOP")).count());
        assertTrue(SemanticLints.lint("deep.rules", IpFamily.V4, looped).isEmpty());
        assertTrue(SemanticLints.lint("deep.rules", IpFamily.V4, chained(false)).stream()
                .noneMatch(f -> f.id().equals("FW-JUMP-LOOP")));
    }
}
