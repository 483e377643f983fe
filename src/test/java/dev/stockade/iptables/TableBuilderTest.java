package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableBuilderTest {

    private static Rule rule(String chain, String verdict) {
        return Rule.of(chain, List.of(), new Target(verdict, false, List.of()));
    }

    private static List<String> order(Table t) {
        return t.rules().stream()
                .map(r -> r.chain() + ":" + r.target().orElseThrow().name())
                .toList();
    }

    @Test
    void insert_positionCountsOnlyTheRulesOfThatChain() {
        TableBuilder b = new TableBuilder("filter", new SourceSpan("f", 1, 1));
        b.append(rule("INPUT", "A1"));
        b.append(rule("FORWARD", "F1"));
        b.append(rule("INPUT", "A2"));
        b.insert(rule("INPUT", "I0"), 0);
        b.insert(rule("INPUT", "I2"), 2);
        b.insert(rule("FORWARD", "F0"), 0);
        assertEquals(
                List.of("INPUT:I0", "INPUT:A1", "FORWARD:F0", "FORWARD:F1", "INPUT:I2", "INPUT:A2"), order(b.build()));
    }

    @Test
    void insert_pastTheEnd_appends() {
        TableBuilder b = new TableBuilder("filter", new SourceSpan("f", 1, 1));
        b.append(rule("INPUT", "A1"));
        b.insert(rule("INPUT", "LAST"), 5);
        b.insert(rule("OUTPUT", "O"), 0);
        assertEquals(List.of("INPUT:A1", "INPUT:LAST", "OUTPUT:O"), order(b.build()));
    }

    @Test
    void build_chainsInDeclarationOrder() {
        TableBuilder b = new TableBuilder("nat", new SourceSpan("f", 3, 1));
        b.chains.put("PREROUTING", Chain.builtin("PREROUTING", "ACCEPT"));
        b.chains.put("mine", Chain.user("mine"));
        Table t = b.build();
        assertEquals("nat", t.name());
        assertEquals(
                List.of("PREROUTING", "mine"),
                t.chains().stream().map(Chain::name).toList());
    }
}
