package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Crl}, {@link Revocations} and {@link RevocationReason}. */
class CrlTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path tmp;

    PkiStore store() throws Exception {
        PkiStore store = new PkiStore(tmp.resolve("p"), Clock.fixed(NOW, ZoneOffset.UTC));
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t CA", List.of(), Duration.ofDays(100), NOW);
        store.saveCa(ca, null, false);
        store.save(
                Signer.issue(ca, SignerAndChecksTest.peer("n1", List.of("10.250.0.1")), KeySpec.ECDSA_P256, NOW),
                false);
        return store;
    }

    @ParameterizedTest
    @EnumSource(RevocationReason.class)
    void reason_keywordRoundTripsAndCodeIsRfc5280s(RevocationReason r) {
        assertEquals(r, RevocationReason.parse(r.keyword()).orElseThrow());
        assertTrue(r.keyword().matches("[a-z]+(-[a-z]+)*"), r.keyword());
        assertEquals(
                r.name().replace("_", ""),
                java.security.cert.CRLReason.values()[r.code()].name().replace("_", ""));
    }

    @Test
    void revocations_jsonRoundTrip() throws Exception {
        Revocations r = Revocations.NONE
                .add(new Revocations.Entry(new BigInteger("4f1c00ff", 16), "n1", NOW, RevocationReason.SUPERSEDED))
                .nextNumber()
                .nextNumber();
        assertEquals(r, Revocations.parse("revoked.json", r.toJson()));
        assertEquals(BigInteger.TWO, r.crlNumber());
    }

    @Test
    void revocations_badReason_locatedError() {
        String text = "{\"crlNumber\": 1, \"revoked\": [\n  {\"serial\": \"0a\", \"name\": \"n\", \"revokedAt\":"
                + " \"2026-12-02T12:00:00Z\", \"reason\": \"hold\"}]}";
        InputException e = assertThrows(InputException.class, () -> Revocations.parse("revoked.json", text));
        assertEquals("PKI-REVOKED-FILE", e.diagnostics().get(0).code());
        assertEquals(2, e.diagnostics().get(0).span().line());
        assertTrue(e.diagnostics().get(0).message().contains("key-compromise"), e.getMessage());
    }

    @Test
    void parseSerial_acceptsHexColonsAndPrefix_rejectsNames() {
        assertEquals(
                new BigInteger("abcd", 16), Revocations.parseSerial("AB:CD").orElseThrow());
        assertEquals(
                new BigInteger("abcd", 16), Revocations.parseSerial("0xabcd").orElseThrow());
        assertTrue(Revocations.parseSerial("core-1").isEmpty());
        assertTrue(Revocations.parseSerial("").isEmpty());
    }

    @Test
    void check_pastNextUpdate_staleWarning() throws Exception {
        PkiStore store = store();
        Crl.revoke(store, "n1", RevocationReason.KEY_COMPROMISE, NOW, Duration.ofDays(1), CaPassphrase.of(null));
        X509CRL crl = store.loadCrl();
        assertEquals(NOW.plus(Duration.ofDays(1)), crl.getNextUpdate().toInstant());
        assertEquals(List.of(), Crl.check(store, store.loadCaCertificate(), store.revocations(), NOW.plusSeconds(60)));
        List<Finding> late =
                Crl.check(store, store.loadCaCertificate(), store.revocations(), NOW.plus(Duration.ofDays(2)));
        assertEquals(List.of("PKI-CRL-STALE"), late.stream().map(Finding::id).toList());
    }

    @Test
    void check_crlOfAnotherCaOrWithoutARevokedSerial_invalid() throws Exception {
        PkiStore store = store();
        Crl.revoke(store, "n1", RevocationReason.UNSPECIFIED, NOW, Duration.ofDays(7), CaPassphrase.of(null));
        Revocations recorded = store.revocations();
        CertificateAuthority other = Signer.newCa(KeySpec.ECDSA_P256, "other", List.of(), Duration.ofDays(9), NOW);
        store.saveRevocations(recorded, Crl.sign(other, recorded, NOW, Duration.ofDays(7)));
        List<Finding> foreign = Crl.check(store, store.loadCaCertificate(), recorded, NOW);
        assertEquals(
                List.of("PKI-CRL-INVALID"), foreign.stream().map(Finding::id).toList());
        assertTrue(foreign.get(0).message().contains("not signed by this CA"), foreign.toString());
        CertificateAuthority ca = store.loadCa((char[]) null);
        store.saveRevocations(recorded, Crl.sign(ca, Revocations.NONE, NOW, Duration.ofDays(7)));
        List<Finding> behind = Crl.check(store, store.loadCaCertificate(), recorded, NOW);
        assertEquals(
                List.of("PKI-CRL-INVALID"), behind.stream().map(Finding::id).toList());
        assertTrue(behind.get(0).message().contains("does not list revoked n1"), behind.toString());
    }

    @Test
    void certificateNames_leaveTheCrlOut() throws Exception {
        PkiStore store = store();
        Crl.refresh(store, NOW, Duration.ofDays(7), CaPassphrase.of(null));
        assertEquals(List.of("n1"), store.certificateNames());
        assertEquals(BigInteger.ONE, store.revocations().crlNumber());
    }
}
