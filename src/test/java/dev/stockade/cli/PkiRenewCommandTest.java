package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiRenewCommandTest {

    @TempDir
    Path tmp;

    @Test
    void renew_certificateThatNoLongerFits_reissuedWithBackup() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        assertEquals(0, f.pki("issue", "--spec", f.spec.toString()).exit);
        Files.writeString(f.spec, Files.readString(f.spec).replace("private: 10.250.0.1", "private: 10.250.0.9"));
        CommandRun issue = f.pki("issue", "--spec", f.spec.toString());
        assertEquals(2, issue.exit, "issue does not replace a certificate: " + issue);

        CommandRun renew = f.pki("renew", "--spec", f.spec.toString());
        assertEquals(0, renew.exit, renew::toString);
        assertTrue(renew.out.contains("Renewed  " + f.dir.resolve("a.pem")), renew.out);
        assertTrue(renew.out.contains("Kept     " + f.dir.resolve("operator.pem")), renew.out);
        try (var files = Files.list(f.dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("a-key.pem.bak-")));
        }
        assertEquals(0, f.pki("verify", "--spec", f.spec.toString()).exit);
        assertEquals(f.spec, renew.command(PkiRenewCommand.class).where.specFile);
    }

    @Test
    void renew_withoutSpec_usageError() throws Exception {
        CommandRun r = new PkiFixture(tmp).pki("renew");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("renew needs --spec SPEC"), r.err);
    }
}
