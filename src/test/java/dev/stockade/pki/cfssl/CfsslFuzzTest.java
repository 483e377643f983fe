package dev.stockade.pki.cfssl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stockade.pki.Subject;
import dev.stockade.report.InputException;
import dev.stockade.report.LocatedErrors;
import java.nio.charset.StandardCharsets;

/**
 * Any text as cfssl's csr.json or ca-config.json: a model or located errors. A request that parses
 * is also turned into the X.500 subject {@code pki issue --csr} signs. bench/fuzz.sh targets: csr,
 * ca-config.
 */
class CfsslFuzzTest {

    @FuzzTest
    void csr_anyText_requestOrLocatedErrors(byte[] data) {
        try {
            CfsslCsr c = CfsslCsr.parse("csr.json", new String(data, StandardCharsets.UTF_8));
            Subject.text(Subject.of(c.commonName(), c.names()));
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
    }

    @FuzzTest
    void config_anyText_profilesOrLocatedErrors(byte[] data) {
        try {
            CfsslConfig.parse("ca-config.json", new String(data, StandardCharsets.UTF_8));
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
    }
}
