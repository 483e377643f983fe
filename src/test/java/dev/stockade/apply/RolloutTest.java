package dev.stockade.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.Table;
import dev.stockade.ssh.SshTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTest {

    static List<NodeApply.Planned> nodes(int n, Set<String> members) {
        List<NodeApply.Planned> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Table empty = new Table("filter", List.of(), List.of());
            out.add(new NodeApply.Planned(
                    "n" + i,
                    new SshTarget("core", "10.250.0." + i, 22),
                    "",
                    "",
                    empty,
                    empty,
                    List.of(),
                    members.contains("n" + i)));
        }
        return out;
    }

    static List<List<String>> names(List<List<NodeApply.Planned>> batches) {
        return batches.stream()
                .map(b -> b.stream().map(NodeApply.Planned::node).toList())
                .toList();
    }

    @Test
    void canaryAlone_thenBatches_neverTwoEtcdMembersTogether() {
        assertEquals(
                List.of(List.of("n1"), List.of("n2"), List.of("n3"), List.of("n4")),
                names(Rollout.batches(nodes(4, Set.of()), 1)));
        assertEquals(
                List.of(List.of("n1"), List.of("n2", "n4", "n5"), List.of("n3", "n6")),
                names(Rollout.batches(nodes(6, Set.of("n2", "n3")), 3)));
    }

    @Test
    void theFirstNodeThatFails_stopsTheRollout_theRestUntouched() {
        List<String> changed = Collections.synchronizedList(new ArrayList<>());
        List<NodeApply.Result> r = Rollout.run(nodes(5, Set.of()), 1, p -> {
            changed.add(p.node());
            return new NodeApply.Result(
                    p.node(),
                    p.target().host(),
                    p.node().equals("n3") ? NodeApply.Outcome.ROLLED_BACK : NodeApply.Outcome.CONFIRMED,
                    List.of(),
                    "",
                    "");
        });
        assertEquals(List.of("n1", "n2", "n3"), changed);
        assertEquals(
                List.of("CONFIRMED", "CONFIRMED", "ROLLED_BACK", "UNTOUCHED", "UNTOUCHED"),
                r.stream().map(x -> x.outcome().name()).toList());
    }
}
