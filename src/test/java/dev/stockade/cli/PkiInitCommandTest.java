package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiInitCommandTest {

    @TempDir
    Path tmp;

    @Test
    void init_createsCaWithKey0600_secondInitRefusedWithoutForce() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        CommandRun r = f.pki("init", "--spec", f.spec.toString(), "--days", "30");
        assertEquals(0, r.exit, r::toString);
        assertTrue(
                r.out.startsWith(
                        "Created CA " + f.dir.resolve("ca.pem") + ": CN=c cluster CA, ecdsa-p256, valid until "),
                r.out);
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.dir.resolve("ca-key.pem"))));
        PkiInitCommand c = r.command(PkiInitCommand.class);
        assertEquals(30, c.days);

        CommandRun again = f.pki("init");
        assertEquals(2, again.exit, again::toString);
        assertTrue(again.err.contains("already exists; nothing was written"), again.err);

        CommandRun forced = f.pki("init", "--force", "--cn", "second CA", "--key", "ecdsa-p384");
        assertEquals(0, forced.exit, forced::toString);
        assertTrue(forced.out.contains("CN=second CA, ecdsa-p384"), forced.out);
        assertTrue(forced.out.contains("Previous file kept as "), forced.out);
    }

    @Test
    void init_usageErrors_exit2() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        assertTrue(CommandRun.of("pki", "init").err.contains("give --dir DIR or --spec SPEC"));
        assertTrue(f.pki("init", "--key", "dsa").err.contains("unknown key type 'dsa'; use one of "));
        assertTrue(f.pki("init", "--days", "0").err.contains("--days must be between 1 and 36500"));
        assertTrue(f.pki("init", "--encrypt").err.contains("--encrypt needs --ca-passphrase-file"));
        CommandRun half = f.pki("init", "--import-cert", tmp.resolve("x.pem").toString());
        assertEquals(2, half.exit);
        assertTrue(half.err.contains("--import-cert and --import-key go together"), half.err);
        assertTrue(Files.notExists(f.dir.resolve("ca.pem")), "nothing written by a refused init");
    }
}
