package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.Table;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainGraphTest {

    private static Table table(String... lines) throws Exception {
        return PacketSetAnalysisTest.table(lines);
    }

    @Test
    void callees_firstCallOrder_onlyChainsOfTheTable() throws Exception {
        ChainGraph g = ChainGraph.of(table(
                ":a - [0:0]",
                ":b - [0:0]",
                "-A INPUT -p tcp -j b",
                "-A INPUT -j LOG",
                "-A INPUT -g a",
                "-A INPUT -j b",
                "-A a -j ACCEPT"));
        assertEquals(List.of("b", "a"), g.callees("INPUT"));
        assertEquals(List.of(), g.callees("a"));
        assertEquals(List.of(), g.callees("nosuch"));
    }

    @Test
    void postOrder_calleesBeforeCallers_doneChainsSkipped() throws Exception {
        ChainGraph g = ChainGraph.of(table(
                ":a - [0:0]",
                ":b - [0:0]",
                ":c - [0:0]",
                "-A INPUT -j a",
                "-A a -j b",
                "-A a -j c",
                "-A b -j c",
                "-A FORWARD -j c"));
        ChainGraph.Order o = g.postOrder(List.of("INPUT", "FORWARD"), Set.of());
        assertEquals(List.of("c", "b", "a", "INPUT", "FORWARD"), o.chains());
        assertEquals(Optional.empty(), o.loop());
        assertEquals(
                List.of("INPUT"), g.postOrder(List.of("INPUT"), Set.of("a")).chains());
    }

    @Test
    void postOrder_jumpLoop_givenFromItsFirstChain() throws Exception {
        ChainGraph g = ChainGraph.of(table(
                ":a - [0:0]", ":b - [0:0]", ":c - [0:0]", "-A INPUT -j a", "-A a -j b", "-A b -j c", "-A c -j a"));
        assertEquals(
                Optional.of(List.of("a", "b", "c", "a")),
                g.postOrder(List.of("INPUT"), Set.of()).loop());
    }

    @Test
    void of_withNames_undeclaredTargetIsNotAChain() throws Exception {
        Table t = table(":a - [0:0]", "-A INPUT -j a");
        assertEquals(List.of(), ChainGraph.of(t, Set.of("INPUT")).callees("INPUT"));
        assertEquals(List.of("a"), ChainGraph.of(t, Set.of("INPUT", "a")).callees("INPUT"));
    }
}
