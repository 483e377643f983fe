package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetsTest {

    @ParameterizedTest
    @CsvSource({
        "LOG, true, true",
        "NFLOG, true, true",
        "MARK, true, true",
        "ACCEPT, false, true",
        "DROP, false, true",
        "REJECT, false, true",
        "RETURN, false, true",
        "DNAT, false, true",
        "my-chain, false, false",
        "log, false, false",
    })
    void isObservingAndIsBuiltin(String name, boolean observing, boolean builtin) {
        assertEquals(observing, Targets.isObserving(name));
        assertEquals(builtin, Targets.isBuiltin(name));
    }

    @ParameterizedTest
    @CsvSource({"LOG", "ACCEPT", "MASQUERADE"})
    void isBuiltin_caseMatters_asIptablesTargetNames(String builtin) {
        assertTrue(Targets.isBuiltin(builtin));
        assertFalse(Targets.isBuiltin(builtin.toLowerCase(java.util.Locale.ROOT)));
    }
}
