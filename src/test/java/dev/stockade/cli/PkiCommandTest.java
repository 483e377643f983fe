package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.Pem;
import dev.stockade.pki.Signer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCommandTest {

    @TempDir
    Path tmp;

    static BuildCommandTest.Result run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        return new BuildCommandTest.Result(code, o.toString(), e.toString());
    }

    @Test
    void import_expiredCa_exit2() throws Exception {
        CertificateAuthority old = Signer.newCa(
                KeySpec.ECDSA_P256,
                "old",
                List.of(),
                Duration.ofDays(30),
                Instant.now().minus(Duration.ofDays(400)));
        Files.writeString(tmp.resolve("ca.pem"), Pem.certificate(old.certificate()));
        Files.writeString(tmp.resolve("ca-key.pem"), Pem.privateKey(old.key()));
        BuildCommandTest.Result r = run(
                "pki",
                "init",
                "--dir",
                tmp.resolve("p").toString(),
                "--import-cert",
                tmp.resolve("ca.pem").toString(),
                "--import-key",
                tmp.resolve("ca-key.pem").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ca.pem:1:1: error: the CA expired on"), r.err());
        assertFalse(Files.exists(tmp.resolve("p")));
    }

    @Test
    void issue_withExpiredCaInDirectory_exit2AndNothingIssued() throws Exception {
        Path dir = tmp.resolve("p");
        Files.createDirectories(dir);
        CertificateAuthority old = Signer.newCa(
                KeySpec.ECDSA_P256,
                "old",
                List.of(),
                Duration.ofDays(30),
                Instant.now().minus(Duration.ofDays(400)));
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(old.certificate()));
        Files.writeString(dir.resolve("ca-key.pem"), Pem.privateKey(old.key()));
        BuildCommandTest.Result r = run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("[PKI-CA-EXPIRED]"), r.err());
        assertFalse(Files.exists(dir.resolve("core-1.pem")));
    }

    @Test
    void usageErrors_exit2WithHint() {
        BuildCommandTest.Result r = run("pki", "init");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --dir DIR or --spec SPEC"), r.err());
        r = run("pki", "verify", "--dir", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("verify needs --spec"), r.err());
    }

    @Test
    void verify_missingPki_reportsAndExit1() {
        BuildCommandTest.Result r = run(
                "pki",
                "verify",
                "--spec",
                "examples/demo.yaml",
                "--dir",
                tmp.resolve("none").toString(),
                "--format",
                "json");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("\"id\": \"PKI-MISSING\""), r.out());
    }

    @Test
    void init_passphraseWithoutEncrypt_exit2AndNothingWritten() throws Exception {
        Path pass = Files.writeString(tmp.resolve("pass"), "correct horse battery staple\n");
        Path dir = tmp.resolve("p");
        BuildCommandTest.Result r =
                run("pki", "init", "--dir", dir.toString(), "--ca-passphrase-file", pass.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("without --encrypt would store the key unencrypted"), r.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void encryptedCa_withoutPassphrase_hintNamesTheRealOptions() throws Exception {
        Path pass = Files.writeString(tmp.resolve("pass"), "correct horse battery staple\n");
        Path dir = tmp.resolve("p");
        BuildCommandTest.Result init =
                run("pki", "init", "--dir", dir.toString(), "--encrypt", "--ca-passphrase-file", pass.toString());
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().contains("(mode 0600, encrypted)"), init.out());
        BuildCommandTest.Result r = run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("[PKI-KEY-ENCRYPTED]"), r.err());
        assertTrue(r.err().contains("--ca-passphrase-file FILE or --ca-passphrase-env VAR"), r.err());
        for (String option : List.of("--ca-passphrase-file", "--ca-passphrase-env")) {
            assertTrue(run("pki", "issue", "--help").out().contains(option), option + " exists");
        }
    }

    @Test
    void init_unencrypted_saysSo() {
        BuildCommandTest.Result r = run("pki", "init", "--dir", tmp.resolve("p").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(mode 0600, not encrypted)"), r.out());
    }
}
