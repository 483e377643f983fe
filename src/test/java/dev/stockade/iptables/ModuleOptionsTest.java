package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleOptionsTest {

    @Test
    void knows_optionBelongsToItsModuleOnly() {
        assertTrue(ModuleOptions.knows("tcp", "dport"));
        assertTrue(ModuleOptions.knows("multiport", "dports"));
        assertTrue(ModuleOptions.knows("conntrack", "ctstate"));
        assertFalse(ModuleOptions.knows("state", "dport"));
        assertFalse(ModuleOptions.knows("icmp", "icmpv6-type"));
        assertFalse(ModuleOptions.knows("nosuchmodule", "dport"));
    }

    @Test
    void isKnown_listedModulesOnly() {
        assertTrue(ModuleOptions.isKnown("tcp"));
        assertTrue(ModuleOptions.isKnown("recent"));
        assertFalse(ModuleOptions.isKnown("geoip"));
    }

    @Test
    void parse_optionAfterAnotherModule_landsInTheModuleThatOwnsIt() throws Exception {
        String text =
                "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m state --state NEW --dport 22 -j ACCEPT\nCOMMIT\n";
        Rule r = IptablesSaveParser.parse("f", text, null)
                .ruleset()
                .tables()
                .get(0)
                .rules()
                .get(0);
        List<String> modules = r.matches().stream()
                .filter(m -> m instanceof Match.Module)
                .map(m -> ((Match.Module) m).name()
                        + ((Match.Module) m)
                                .options().stream().map(Option::name).toList())
                .toList();
        assertEquals(
                List.of("state[state]", "tcp[dport]"), modules.stream().sorted().toList());
    }
}
