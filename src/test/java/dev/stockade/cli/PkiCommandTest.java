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

    @Test
    void import_leafCertificate_notCaExit2NothingWritten() throws Exception {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), Duration.ofDays(30), Instant.now());
        dev.stockade.pki.IssuedCertificate leaf = Signer.issue(
                ca,
                new dev.stockade.pki.CertRequest(
                        "leaf",
                        "leaf",
                        List.of(),
                        List.of("leaf"),
                        List.of(),
                        dev.stockade.pki.CertRequest.usagesFor(dev.stockade.pki.Role.CLIENT),
                        Duration.ofDays(10),
                        false),
                KeySpec.ECDSA_P256,
                Instant.now());
        Path cert = Files.writeString(tmp.resolve("leaf.pem"), Pem.certificate(leaf.certificate()));
        Path key = Files.writeString(tmp.resolve("leaf-key.pem"), Pem.privateKey(leaf.key()));
        BuildCommandTest.Result r = run(
                "pki",
                "init",
                "--dir",
                tmp.resolve("p").toString(),
                "--import-cert",
                cert.toString(),
                "--import-key",
                key.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .contains(cert + ":1:1: error: this certificate is not a CA (basic constraints CA:false)"
                                + " [PKI-NOT-CA]"),
                r.err());
        assertTrue(
                r.err().contains("hint: import the CA certificate (cfssl: ca.pem), not a leaf certificate"), r.err());
        assertFalse(Files.exists(tmp.resolve("p")));
    }

    @Test
    void issue_encryptedCaWithoutPassphrase_exit2HintNamesOptionsTheCommandHas() throws Exception {
        Path dir = tmp.resolve("p");
        Path pass = Files.writeString(tmp.resolve("pass"), "s3cret\n");
        BuildCommandTest.Result init =
                run("pki", "init", "--dir", dir.toString(), "--encrypt", "--ca-passphrase-file", pass.toString());
        assertEquals(0, init.code(), init.err());
        BuildCommandTest.Result r = run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(
                r.err()
                        .contains(dir.resolve("ca-key.pem") + ":1:1: error: the key is encrypted and no passphrase"
                                + " was given [PKI-KEY-ENCRYPTED]"),
                r.err());
        assertFalse(Files.exists(dir.resolve("core-1.pem")));
        // the hint used to name --key-passphrase-file, an option no command has
        picocli.CommandLine issue = Main.commandLine(
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands()
                .get("pki")
                .getSubcommands()
                .get("issue");
        java.util.regex.Matcher options = java.util.regex.Pattern.compile("--[a-z-]+")
                .matcher(r.err().substring(r.err().indexOf("hint:")));
        int named = 0;
        while (options.find()) {
            named++;
            assertTrue(issue.getCommandSpec().findOption(options.group()) != null, options.group() + " in " + r.err());
        }
        assertEquals(2, named, r.err());
        BuildCommandTest.Result withPass = run(
                "pki",
                "issue",
                "--spec",
                "examples/demo.yaml",
                "--dir",
                dir.toString(),
                "--ca-passphrase-file",
                pass.toString());
        assertEquals(0, withPass.code(), withPass.err());
    }

    @Test
    void verify_failOnEachLevel_exitFollowsTheWorstFinding() {
        String dir = tmp.resolve("p").toString();
        assertEquals(
                0,
                run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir)
                        .code());
        // certificates run 365 days and the CA 1825: warning 2000 days ahead makes every one a warning
        String[] verify = {"pki", "verify", "--spec", "examples/demo.yaml", "--dir", dir, "--warn-days", "2000"};
        BuildCommandTest.Result warnings = run(verify);
        assertEquals(0, warnings.code(), warnings.out());
        assertTrue(warnings.out().contains(dir + "/ca.pem: warning: the CA expires on "), warnings.out());
        assertTrue(warnings.out().contains("[PKI-CA-EXPIRING]"), warnings.out());
        assertTrue(warnings.out().contains(dir + "/core-1.pem: warning: "), warnings.out());
        assertTrue(warnings.out().contains("[PKI-EXPIRING]"), warnings.out());
        assertFalse(warnings.out().contains(": error: "), warnings.out());
        assertEquals(
                0,
                run(ExitCodesTest.concat(verify, new String[] {"--fail-on", "error"}))
                        .code());
        assertEquals(
                1,
                run(ExitCodesTest.concat(verify, new String[] {"--fail-on", "warning"}))
                        .code());
        assertEquals(
                0,
                run("pki", "verify", "--spec", "examples/demo.yaml", "--dir", dir, "--fail-on", "warning")
                        .code());
        String none = tmp.resolve("none").toString();
        for (String level : new String[] {"error", "warning"}) {
            BuildCommandTest.Result errors =
                    run("pki", "verify", "--spec", "examples/demo.yaml", "--dir", none, "--fail-on", level);
            assertEquals(1, errors.code(), level + "\n" + errors.out());
            assertTrue(errors.out().contains("[PKI-MISSING]"), errors.out());
        }
    }

    @Test
    void renew_shortLivedCertificates_convergesInsteadOfReKeyingEveryRun() throws Exception {
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        Path spec = Files.writeString(tmp.resolve("short.yaml"), demo + "pki: {cert_days: 10}\n");
        Path dir = tmp.resolve("p");
        BuildCommandTest.Result issue = run("pki", "issue", "--spec", spec.toString(), "--dir", dir.toString());
        assertEquals(0, issue.code(), issue.err());
        assertTrue(issue.err().contains("always inside the 30-day renewal window"), issue.err());
        byte[] key = Files.readAllBytes(dir.resolve("core-1-key.pem"));
        for (int i = 0; i < 2; i++) {
            BuildCommandTest.Result renew = run("pki", "renew", "--spec", spec.toString(), "--dir", dir.toString());
            assertEquals(0, renew.code(), renew.err());
        }
        assertTrue(java.util.Arrays.equals(key, Files.readAllBytes(dir.resolve("core-1-key.pem"))), "not re-keyed");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(), files.filter(f -> f.toString().contains(".bak-")).toList());
        }
    }

    @Test
    void renew_keyAndCertificateBackupsShareOneStamp() throws Exception {
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        Path dir = tmp.resolve("p");
        assertEquals(
                0,
                run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString())
                        .code());
        Path moved = Files.writeString(tmp.resolve("moved.yaml"), demo.replace("10.250.0.11", "10.250.0.21"));
        BuildCommandTest.Result renew = run("pki", "renew", "--spec", moved.toString(), "--dir", dir.toString());
        assertEquals(0, renew.code(), renew.err());
        List<String> stamps;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            stamps = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.contains(".bak-"))
                    .map(f -> f.substring(f.indexOf(".bak-")))
                    .distinct()
                    .toList();
        }
        assertEquals(1, stamps.size(), stamps::toString);
        assertTrue(Files.exists(dir.resolve("core-1-key.pem" + stamps.get(0))), stamps::toString);
        assertTrue(Files.exists(dir.resolve("core-1.pem" + stamps.get(0))), stamps::toString);
    }

    @Test
    void verify_certificateOfARemovedNode_isReported() throws Exception {
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        Path dir = tmp.resolve("p");
        assertEquals(
                0,
                run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString())
                        .code());
        Path smaller = Files.writeString(
                tmp.resolve("smaller.yaml"),
                demo.replace(
                        "  - {name: core-3, private: 10.250.0.13, public: [198.51.100.13, \"2001:db8:1::13\"]}\n", ""));
        BuildCommandTest.Result r =
                run("pki", "verify", "--spec", smaller.toString(), "--dir", dir.toString(), "--format", "json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\"id\": \"PKI-NOT-IN-SPEC\""), r.out());
        assertTrue(r.out().contains("core-3.pem"), r.out());
        assertTrue(r.out().contains("'core-3' is not in the spec"), r.out());
        BuildCommandTest.Result strict =
                run("pki", "verify", "--spec", smaller.toString(), "--dir", dir.toString(), "--fail-on", "warning");
        assertEquals(1, strict.code(), strict.out() + strict.err());
        BuildCommandTest.Result build = run(
                "build",
                smaller.toString(),
                "--pki",
                dir.toString(),
                "-o",
                tmp.resolve("out").toString());
        assertEquals(0, build.code(), build.err());
        assertTrue(build.err().contains("'core-3' is not in the spec"), build.err());
    }

    @Test
    void issue_afterCertificateAndKeyWereDeleted_reissuesDespiteTheLeftoverCsr() throws Exception {
        Path dir = tmp.resolve("p");
        assertEquals(
                0,
                run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString())
                        .code());
        Files.delete(dir.resolve("core-2.pem"));
        Files.delete(dir.resolve("core-2-key.pem"));
        assertTrue(Files.exists(dir.resolve("core-2.csr")));
        BuildCommandTest.Result r = run("pki", "issue", "--spec", "examples/demo.yaml", "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("core-2.pem")) && Files.exists(dir.resolve("core-2-key.pem")));
    }
}
