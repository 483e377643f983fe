package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.InputException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemTest {

    @ParameterizedTest
    @EnumSource(KeySpec.class)
    void privateKey_roundTripsPlainAndEncrypted(KeySpec spec) throws Exception {
        KeyPair kp = spec.generate();
        String plain = Pem.privateKey(kp.getPrivate());
        assertTrue(plain.startsWith("-----BEGIN PRIVATE KEY-----\n"), plain);
        assertArrayEquals(
                kp.getPrivate().getEncoded(),
                Pem.privateKey("k.pem", plain, null).getEncoded());
        String enc = Pem.encryptedPrivateKey(kp.getPrivate(), "s3cret".toCharArray());
        assertTrue(enc.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), enc);
        PrivateKey back = Pem.privateKey("k.pem", enc, "s3cret".toCharArray());
        assertTrue(Keys.matches(back, kp.getPublic()));
    }

    @Test
    void privateKey_wrongOrMissingPassphrase_clearErrors() {
        String enc = Pem.encryptedPrivateKey(KeySpec.ECDSA_P256.generate().getPrivate(), "right".toCharArray());
        assertEquals("PKI-PASSPHRASE", code(() -> Pem.privateKey("ca-key.pem", enc, "wrong".toCharArray())));
        assertEquals("PKI-KEY-ENCRYPTED", code(() -> Pem.privateKey("ca-key.pem", enc, null)));
    }

    @Test
    void corruptOrWrongPem_clearErrors() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), Duration.ofDays(9), Instant.now());
        String cert = Pem.certificate(ca.certificate());
        String truncated = cert.substring(0, cert.length() / 2) + "\n-----END CERTIFICATE-----\n";
        assertEquals("PKI-PEM", code(() -> Pem.certificates("c.pem", truncated)));
        assertEquals("PKI-PEM", code(() -> Pem.certificates("c.pem", "hello")));
        assertEquals("PKI-PEM", code(() -> Pem.privateKey("c.pem", cert, null)));
        assertEquals("PKI-PEM", code(() -> Pem.certificates("k.pem", Pem.privateKey(ca.key()))));
    }

    @Test
    void pem_sameTextAsBouncyCastlesPemWriter() throws Exception {
        java.util.Random r = new java.util.Random(7);
        for (int len : new int[] {0, 1, 2, 3, 47, 48, 49, 95, 96, 97, 164, 355, 769, 2000}) {
            byte[] der = new byte[len];
            r.nextBytes(der);
            java.io.StringWriter w = new java.io.StringWriter();
            try (org.bouncycastle.util.io.pem.PemWriter pw = new org.bouncycastle.util.io.pem.PemWriter(w)) {
                pw.writeObject(new org.bouncycastle.util.io.pem.PemObject("CERTIFICATE REQUEST", der));
            }
            assertEquals(w.toString(), Pem.pem("CERTIFICATE REQUEST", der), "length " + len);
        }
    }

    interface Call {
        void run() throws InputException;
    }

    static String code(Call c) {
        InputException e = assertThrows(InputException.class, c::run);
        assertEquals("k.pem".length() > 0 ? 1 : 0, e.diagnostics().size());
        return e.diagnostics().get(0).code();
    }

    @Test
    void privateKey_legacyOpensslEncryption_legacyErrorWithConversionHint() throws Exception {
        java.io.StringWriter legacy = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter w =
                new org.bouncycastle.openssl.jcajce.JcaPEMWriter(legacy)) {
            w.writeObject(
                    KeySpec.ECDSA_P256.generate().getPrivate(),
                    new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-256-CBC")
                            .setProvider(Providers.bouncyCastle())
                            .build("pw".toCharArray()));
        }
        assertTrue(legacy.toString().contains("Proc-Type: 4,ENCRYPTED"), legacy::toString);
        InputException e = assertThrows(
                InputException.class, () -> Pem.privateKey("old-key.pem", legacy.toString(), "pw".toCharArray()));
        dev.stockade.report.Diagnostic d = e.diagnostics().get(0);
        assertEquals("PKI-KEY-LEGACY", d.code());
        assertEquals(new dev.stockade.report.SourceSpan("old-key.pem", 1, 1), d.span());
        assertEquals("the key uses legacy OpenSSL encryption (Proc-Type: 4,ENCRYPTED)", d.message());
        assertTrue(d.hint().startsWith("convert it: openssl pkcs8 -topk8"), d::toString);
    }

    @Test
    void privateKey_encryptedWithoutPassphrase_hintNamesThePassphraseOptions() {
        String enc = Pem.encryptedPrivateKey(KeySpec.ECDSA_P256.generate().getPrivate(), "right".toCharArray());
        InputException e = assertThrows(InputException.class, () -> Pem.privateKey("ca-key.pem", enc, null));
        assertEquals(
                "the key is encrypted and no passphrase was given",
                e.diagnostics().get(0).message());
        assertTrue(e.diagnostics().get(0).hint().contains("--ca-passphrase-file FILE or --ca-passphrase-env VAR"));
    }
}
