package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulesetBuilderTest {

    @Test
    void namedPriority_followsNftPerFamily() {
        assertEquals(Optional.of(0), RulesetBuilder.namedPriority("inet", "filter"));
        assertEquals(Optional.of(-300), RulesetBuilder.namedPriority("ip", "raw"));
        assertEquals(Optional.of(-200), RulesetBuilder.namedPriority("bridge", "filter"));
        assertEquals(Optional.empty(), RulesetBuilder.namedPriority("ip", "out"));
    }

    @Test
    void set_declaredAgain_addsElements() {
        RulesetBuilder b = new RulesetBuilder();
        b.table("inet", "t").set(new NftSet("s", "ipv4_addr", List.of(), List.of(NftExpr.Value.of("192.0.2.1"))));
        b.table("inet", "t").set(new NftSet("s", "ipv4_addr", List.of(), List.of(NftExpr.Value.of("192.0.2.2"))));
        assertEquals(
                2,
                b.build()
                        .table("inet", "t")
                        .orElseThrow()
                        .set("s")
                        .orElseThrow()
                        .elements()
                        .size());
        b.delete("inet", "t");
        assertEquals(List.of(), b.build().tables());
    }
}
