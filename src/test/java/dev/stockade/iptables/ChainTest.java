package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainTest {

    @Test
    void toSaveLine_builtinWithPolicyAndCounters_userWithDash() {
        Chain input = Chain.builtin("INPUT", "DROP");
        assertTrue(input.isBuiltin());
        assertEquals(":INPUT DROP [0:0]", input.toSaveLine());
        Chain mine = Chain.user("ssh-in");
        assertFalse(mine.isBuiltin());
        assertEquals(":ssh-in -", mine.toSaveLine());
        assertEquals(
                ":fwd - [7:420]", new Chain("fwd", Optional.empty(), Optional.of(new Counters(7, 420))).toSaveLine());
    }

    @Test
    void toSaveLine_readsBackTheSameChain() throws Exception {
        String text = "*filter\n" + Chain.builtin("INPUT", "ACCEPT").toSaveLine() + "\n"
                + Chain.user("x").toSaveLine() + "\nCOMMIT\n";
        Table t = IptablesSaveParser.parse("f", text, null).ruleset().tables().get(0);
        assertEquals("INPUT", t.chains().get(0).name());
        assertEquals(Optional.of("ACCEPT"), t.chains().get(0).policy());
        assertFalse(t.chains().get(1).isBuiltin());
    }
}
