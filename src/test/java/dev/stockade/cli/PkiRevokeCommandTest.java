package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pki revoke} and {@code pki crl} through the CLI, and what {@code pki verify} makes of them. */
class PkiRevokeCommandTest {

    @TempDir
    Path tmp;

    Path dir;

    static final String DEMO = "examples/demo.yaml";

    @BeforeEach
    void issue() {
        dir = tmp.resolve("p");
        CommandRun r = CommandRun.of("pki", "issue", "--spec", DEMO, "--dir", dir.toString());
        assertEquals(0, r.exit, r::toString);
    }

    CommandRun pki(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "pki";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--dir";
        all[args.length + 2] = dir.toString();
        return CommandRun.of(all);
    }

    X509Certificate cert(String name) throws Exception {
        return Pem.certificates(name, Files.readString(dir.resolve(name + ".pem")))
                .get(0);
    }

    X509CRL crl() throws Exception {
        return Pem.crl("crl.pem", Files.readString(dir.resolve("crl.pem")));
    }

    @Test
    void revoke_byName_recordsItAndSignsCrlWithReasonNumberAndAuthorityKey() throws Exception {
        BigInteger serial = cert("core-3").getSerialNumber();
        Instant before = Instant.now().minusSeconds(1);
        CommandRun r = pki("revoke", "core-3", "--reason", "key-compromise");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.contains("Revoked  core-3 (serial " + serial.toString(16) + ", key-compromise)"), r.out);
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("revoked.json"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("crl.pem"))));
        assertTrue(
                Files.readString(dir.resolve("revoked.json")).contains("\"serial\": \"" + serial.toString(16) + "\""));
        X509CRL crl = crl();
        X509Certificate ca = cert("ca");
        crl.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertNotNull(crl.getRevokedCertificate(serial));
        assertEquals(CRLReason.KEY_COMPROMISE, crl.getRevokedCertificate(serial).getRevocationReason());
        assertEquals(null, crl.getRevokedCertificate(cert("core-1").getSerialNumber()));
        assertEquals(BigInteger.ONE, CrlOptions.number(crl));
        assertNotNull(crl.getExtensionValue("2.5.29.35"), "authority key identifier");
        Duration valid = Duration.between(
                crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant());
        assertEquals(Duration.ofDays(7), valid);
        assertFalse(crl.getThisUpdate().toInstant().isBefore(before.minusSeconds(1)));
        X509CRL der = (X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(dir.resolve("crl.der")));
        assertEquals(crl, der);
    }

    @Test
    void revoke_bySerialWithColonsThenAgain_numberGrowsAndFirstRecordKept() throws Exception {
        BigInteger serial = cert("core-2").getSerialNumber();
        String hex = String.format("%x", serial);
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, Math.min(hex.length(), i + 2));
        }
        assertEquals(
                0, pki("revoke", colons.toString().toUpperCase(java.util.Locale.ROOT), "--reason", "superseded").exit);
        CommandRun again = pki("revoke", "core-2", "--reason", "key-compromise", "--crl-days", "2");
        assertEquals(0, again.exit, again::toString);
        assertTrue(again.out.contains("Already revoked core-2"), again.out);
        assertTrue(again.out.contains("(superseded)"), again.out);
        X509CRL crl = crl();
        assertEquals(BigInteger.TWO, CrlOptions.number(crl));
        assertEquals(1, crl.getRevokedCertificates().size());
        assertEquals(CRLReason.SUPERSEDED, crl.getRevokedCertificate(serial).getRevocationReason());
        assertEquals(
                Duration.ofDays(2),
                Duration.between(
                        crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()));
    }

    @Test
    void revoke_theCaByNameOrSerial_exit2WithHintAndNothingWritten() throws Exception {
        for (String target : new String[] {"ca", cert("ca").getSerialNumber().toString(16)}) {
            CommandRun r = pki("revoke", target);
            assertEquals(2, r.exit, r::toString);
            assertTrue(r.err.contains("error: a CA cannot revoke itself [PKI-REVOKE-CA]"), r.err);
            assertTrue(r.err.contains("hint: "), r.err);
            assertFalse(r.err.contains("Exception"), r.err);
        }
        assertFalse(Files.exists(dir.resolve("revoked.json")));
        assertFalse(Files.exists(dir.resolve("crl.pem")));
    }

    @Test
    void revoke_unknownNameOrSerial_exit2() {
        for (String target : new String[] {"core-9", "abcdef0123"}) {
            CommandRun r = pki("revoke", target);
            assertEquals(2, r.exit, r::toString);
            assertTrue(r.err.contains("no certificate named or with serial '" + target + "'"), r.err);
            assertTrue(r.err.contains("[PKI-REVOKE-UNKNOWN]"), r.err);
        }
        assertFalse(Files.exists(dir.resolve("crl.pem")));
    }

    @Test
    void revoke_unknownReasonOrNoDirectory_usageError() {
        CommandRun r = pki("revoke", "core-1", "--reason", "keyCompromise");
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains("one of: unspecified, key-compromise"), r.err);
        CommandRun none = CommandRun.of("pki", "revoke", "core-1");
        assertEquals(2, none.exit, none::toString);
        assertTrue(none.err.contains("give --spec SPEC or --dir DIR"), none.err);
    }

    @Test
    void revoke_withEncryptedCa_needsThePassphrase() throws Exception {
        Path secret = Files.writeString(tmp.resolve("pass"), "correct horse\n");
        Path enc = tmp.resolve("enc");
        assertEquals(
                0,
                CommandRun.of(
                                "pki",
                                "init",
                                "--dir",
                                enc.toString(),
                                "--encrypt",
                                "--ca-passphrase-file",
                                secret.toString())
                        .exit);
        CommandRun issued = CommandRun.of(
                "pki", "issue", "--spec", DEMO, "--dir", enc.toString(), "--ca-passphrase-file", secret.toString());
        assertEquals(0, issued.exit, issued::toString);
        CommandRun without = CommandRun.of("pki", "revoke", "core-1", "--dir", enc.toString());
        assertEquals(2, without.exit, without::toString);
        assertTrue(without.err.contains("[PKI-KEY-ENCRYPTED]"), without.err);
        assertTrue(without.err.contains("--ca-passphrase-file"), without.err);
        assertFalse(Files.exists(enc.resolve("revoked.json")));
        CommandRun with = CommandRun.of(
                "pki", "revoke", "core-1", "--dir", enc.toString(), "--ca-passphrase-file", secret.toString());
        assertEquals(0, with.exit, with::toString);
        assertTrue(Files.exists(enc.resolve("crl.pem")));
    }

    @Test
    void verify_revokedCertificateStillInSpec_errorUntilRenewed() throws Exception {
        BigInteger old = cert("core-1").getSerialNumber();
        assertEquals(0, pki("revoke", "core-1", "--reason", "key-compromise").exit);
        CommandRun v = pki("verify", "--spec", DEMO, "--format", "json");
        assertEquals(1, v.exit, v::toString);
        assertTrue(v.out.contains("\"id\": \"PKI-REVOKED\""), v.out);
        assertTrue(v.out.contains("'core-1' is in the spec, but its certificate (serial " + old.toString(16)), v.out);
        CommandRun issue = pki("issue", "--spec", DEMO);
        assertEquals(2, issue.exit, issue::toString);
        assertTrue(issue.err.contains("[PKI-REVOKED]"), issue.err);
        CommandRun renew = pki("renew", "--spec", DEMO);
        assertEquals(0, renew.exit, renew::toString);
        assertNotEquals(old, cert("core-1").getSerialNumber());
        CommandRun clean = pki("verify", "--spec", DEMO);
        assertEquals(0, clean.exit, clean::toString);
        assertTrue(clean.out.contains("All certificates fit the spec."), clean.out);
    }

    @Test
    void verify_removedNode_hintNamesRevokeAndRevokedOnesAreNotReported() throws Exception {
        Path smaller = Files.writeString(
                tmp.resolve("smaller.yaml"),
                Files.readString(Path.of(DEMO))
                        .replace(
                                "  - {name: core-3, private: 10.250.0.13, public: [198.51.100.13, \"2001:db8:1::13\"]}\n",
                                ""));
        CommandRun warned = pki("verify", "--spec", smaller.toString());
        assertEquals(0, warned.exit, warned::toString);
        assertTrue(warned.out.contains("[PKI-NOT-IN-SPEC]"), warned.out);
        assertTrue(
                warned.out.contains("hint: revoke it: stockade pki revoke core-3 --reason cessation-of-operation"),
                warned.out);
        assertEquals(0, pki("revoke", "core-3", "--reason", "cessation-of-operation").exit);
        CommandRun quiet = pki("verify", "--spec", smaller.toString(), "--fail-on", "warning");
        assertEquals(0, quiet.exit, quiet::toString);
        assertFalse(quiet.out.contains("PKI-NOT-IN-SPEC"), quiet.out);
    }

    @Test
    void verify_crlDeleted_missingThenCrlCommandSignsItAgain() throws Exception {
        assertEquals(0, pki("revoke", "core-2").exit);
        Files.delete(dir.resolve("crl.pem"));
        Path smaller = Files.writeString(
                tmp.resolve("smaller.yaml"),
                Files.readString(Path.of(DEMO))
                        .replace(
                                "  - {name: core-2, private: 10.250.0.12, public: [198.51.100.12, \"2001:db8:1::12\"]}\n",
                                ""));
        CommandRun v = pki("verify", "--spec", smaller.toString());
        assertEquals(1, v.exit, v::toString);
        assertTrue(v.out.contains("[PKI-CRL-MISSING]"), v.out);
        CommandRun crl = pki("crl", "--format", "json");
        assertEquals(0, crl.exit, crl::toString);
        assertTrue(crl.out.contains("\"number\": 2,"), crl.out);
        assertTrue(crl.out.contains("\"nextUpdate\""), crl.out);
        assertEquals(BigInteger.TWO, CrlOptions.number(crl()));
        assertEquals(0, pki("verify", "--spec", smaller.toString()).exit);
    }

    @Test
    void crlValidity_fromTheSpecUnlessGiven() throws Exception {
        Path spec = Files.writeString(
                tmp.resolve("crl-days.yaml"), Files.readString(Path.of(DEMO)) + "pki: {crl_days: 3}\n");
        assertEquals(0, pki("revoke", "core-2", "--spec", spec.toString()).exit);
        X509CRL first = crl();
        assertEquals(
                java.time.Duration.ofDays(3),
                java.time.Duration.between(
                        first.getThisUpdate().toInstant(), first.getNextUpdate().toInstant()));
        assertEquals(0, pki("crl", "--spec", spec.toString(), "--crl-days", "5").exit);
        X509CRL second = crl();
        assertEquals(
                java.time.Duration.ofDays(5),
                java.time.Duration.between(
                        second.getThisUpdate().toInstant(),
                        second.getNextUpdate().toInstant()));
        assertEquals(0, pki("crl").exit, "without --spec: the default");
        X509CRL third = crl();
        assertEquals(
                java.time.Duration.ofDays(7),
                java.time.Duration.between(
                        third.getThisUpdate().toInstant(), third.getNextUpdate().toInstant()));
    }

    @Test
    void revoke_json_camelCaseFields() {
        CommandRun r = pki("revoke", "operator", "--reason", "privilege-withdrawn", "--format", "json");
        assertEquals(0, r.exit, r::toString);
        for (String key : new String[] {"\"name\"", "\"serial\"", "\"revokedAt\"", "\"alreadyRevoked\"", "\"crl\""}) {
            assertTrue(r.out.contains(key), r.out);
        }
        assertTrue(r.out.contains("privilege-withdrawn"), r.out);
    }

    @Test
    void revoke_corruptRevokedFile_locatedError() throws Exception {
        Files.writeString(dir.resolve("revoked.json"), "{\"crlNumber\": 1,\n \"revoked\": {}}\n");
        CommandRun r = pki("revoke", "core-1");
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains("revoked.json:2:13: error: expected a list, not an object"), r.err);
        assertTrue(r.err.contains("[PKI-REVOKED-FILE]"), r.err);
    }
}
