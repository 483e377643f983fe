package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiVerifyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void verify_fittingPki_exit0_changedSpec_exit1() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        assertEquals(0, f.pki("issue", "--spec", f.spec.toString()).exit);
        CommandRun ok = f.pki("verify", "--spec", f.spec.toString());
        assertEquals(0, ok.exit, ok::toString);
        assertEquals("Checked " + f.dir + " against " + f.spec + ".\nAll certificates fit the spec.\n", ok.out);

        Files.writeString(f.spec, Files.readString(f.spec).replace("private: 10.250.0.1", "private: 10.250.0.9"));
        CommandRun changed = f.pki("verify", "--spec", f.spec.toString());
        assertEquals(1, changed.exit, changed::toString);
        assertTrue(changed.out.contains("10.250.0.9"), changed.out);
        assertTrue(changed.out.lines().anyMatch(l -> l.matches("\\d+ findings?: .*")), changed.out);
    }

    @Test
    void verify_expiringWithinWarnDays_failOnWarning() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        assertEquals(0, f.pki("issue", "--spec", f.spec.toString()).exit);
        CommandRun r = f.pki("verify", "--spec", f.spec.toString(), "--warn-days", "100", "--fail-on", "warning");
        assertEquals(1, r.exit, "certificates of 90 days expire within 100: " + r);
        assertEquals(100, r.command(PkiVerifyCommand.class).warnDays);
        assertEquals(0, f.pki("verify", "--spec", f.spec.toString(), "--warn-days", "100").exit, "warnings only");
    }

    @Test
    void verify_withoutSpec_usageError() throws Exception {
        CommandRun r = new PkiFixture(tmp).pki("verify");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("verify needs --spec SPEC"), r.err);
    }
}
