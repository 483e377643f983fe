package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.pki.Pem;
import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pki revoke}'s CRL as openssl reads it: {@code openssl crl -text} shows the revoked serial
 * and reason and the CRL number, and {@code openssl verify -crl_check} refuses the revoked
 * certificate while accepting the others, before and after a second revocation.
 */
class PkiRevocationIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() throws Exception {
        GeneratedFilesIT.requireTool("openssl");
    }

    static String stockade(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        assertEquals(0, code, String.join(" ", args) + "\n" + o + e);
        return o.toString();
    }

    static ExecResult openssl(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(argv).directory(dir.toFile());
        ExecResult r = Commands.run(b, TIMEOUT, dir);
        assertNotEquals(ExecResult.TIMED_OUT, r.exit(), "openssl timed out");
        return r;
    }

    static ExecResult verify(Path dir, String name) {
        return openssl(dir, "verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", name + ".pem");
    }

    /** openssl's way of printing a serial in a CRL: upper-case hex, an even number of digits. */
    static String opensslSerial(Path dir, String name) throws Exception {
        String hex = Pem.certificates(name, Files.readString(dir.resolve(name + ".pem")))
                .get(0)
                .getSerialNumber()
                .toString(16)
                .toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa-p256", "rsa-2048"})
    void revoke_opensslCrlShowsItAndVerifyWithCrlCheckRefusesOnlyTheRevoked(String key) throws Exception {
        Path dir = tmp.resolve("pki");
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, Files.readString(Path.of("examples/demo.yaml")) + "pki: {key: " + key + "}\n");
        stockade("pki", "issue", "--spec", spec.toString(), "--dir", dir.toString());
        stockade("pki", "revoke", "core-3", "--reason", "key-compromise", "--dir", dir.toString());

        ExecResult text = openssl(dir, "crl", "-in", "crl.pem", "-noout", "-text");
        assertEquals(0, text.exit(), text.stderr());
        String serial = opensslSerial(dir, "core-3");
        assertTrue(text.stdout().contains("Serial Number: " + serial), serial + "\n" + text.stdout());
        assertTrue(text.stdout().contains("Key Compromise"), text.stdout());
        assertTrue(text.stdout().matches("(?s).*X509v3 CRL Number: *\\n *1\\n.*"), text.stdout());
        assertTrue(text.stdout().contains("X509v3 Authority Key Identifier"), text.stdout());
        ExecResult der = openssl(dir, "crl", "-in", "crl.der", "-inform", "DER", "-noout", "-CAfile", "ca.pem");
        assertEquals(0, der.exit(), der.stdout() + der.stderr());
        assertTrue((der.stdout() + der.stderr()).contains("verify OK"), der.stdout() + der.stderr());

        ExecResult refused = verify(dir, "core-3");
        assertNotEquals(0, refused.exit(), refused.stdout());
        assertTrue(
                (refused.stdout() + refused.stderr()).contains("certificate revoked"),
                refused.stdout() + refused.stderr());
        for (String ok : List.of("core-1", "core-2", "operator")) {
            ExecResult r = verify(dir, ok);
            assertEquals(0, r.exit(), ok + ": " + r.stdout() + r.stderr());
        }

        stockade("pki", "revoke", "operator", "--reason", "superseded", "--dir", dir.toString());
        ExecResult second = openssl(dir, "crl", "-in", "crl.pem", "-noout", "-text");
        assertTrue(second.stdout().matches("(?s).*X509v3 CRL Number: *\\n *2\\n.*"), second.stdout());
        assertTrue(second.stdout().contains("Superseded"), second.stdout());
        assertNotEquals(0, verify(dir, "operator").exit());
        assertNotEquals(0, verify(dir, "core-3").exit());
        assertEquals(0, verify(dir, "core-1").exit());
    }
}
