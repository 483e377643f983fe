package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignerAndChecksTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration YEAR = Duration.ofDays(365);
    static final Duration WARN = Duration.ofDays(30);

    static CertRequest peer(String name, List<String> ips) {
        return new CertRequest(
                name, name, List.of(), List.of(name, "localhost"), ips, CertRequest.usagesFor(Role.PEER), YEAR, false);
    }

    static StoredCertificate stored(IssuedCertificate c, String perms) {
        return new StoredCertificate(
                c.name(),
                c.certificate(),
                c.key(),
                Path.of(c.name() + ".pem"),
                Path.of(c.name() + "-key.pem"),
                PosixFilePermissions.fromString(perms));
    }

    static Expectation expect(String name, String... ips) {
        return new Expectation(Role.PEER, Set.of(name, "localhost"), Set.of(ips));
    }

    static List<String> ids(List<Finding> f) {
        return f.stream().map(Finding::id).toList();
    }

    @ParameterizedTest
    @EnumSource(KeySpec.class)
    void issue_everyKeyType_chainsAndCarriesSansAndUsages(KeySpec spec) throws Exception {
        CertificateAuthority ca = Signer.newCa(spec, "t CA", List.of(), Duration.ofDays(1000), NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of("10.250.0.1", "2001:db8::1")), spec, NOW);
        X509Certificate cert = c.certificate();
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals(0, ca.certificate().getBasicConstraints(), "CA path length 0");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        CertificateChecks.sans(cert, dns, ips);
        assertEquals(Set.of("n1", "localhost"), dns);
        assertEquals(2, ips.size());
        assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() == 159);
        assertEquals(NOW.minus(Signer.BACKDATE), cert.getNotBefore().toInstant());
        assertTrue(Keys.matches(c.key(), cert.getPublicKey()));
        assertEquals(
                List.of(),
                CertificateChecks.check(
                        stored(c, "rw-------"),
                        ca.certificate(),
                        expect("n1", "10.250.0.1", "2001:db8::1"),
                        NOW,
                        WARN));
    }

    @Test
    void issue_neverOutlivesTheCa() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), Duration.ofDays(10), NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n", List.of()), KeySpec.ECDSA_P256, NOW);
        assertFalse(c.certificate().getNotAfter().after(ca.certificate().getNotAfter()));
    }

    @Test
    void check_missingMemberIp_isSanMissing() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), YEAR, NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of("127.0.0.1")), KeySpec.ECDSA_P256, NOW);
        List<Finding> f = CertificateChecks.check(
                stored(c, "rw-------"), ca.certificate(), expect("n1", "10.250.0.11", "127.0.0.1"), NOW, WARN);
        assertEquals(List.of("PKI-SAN-MISSING"), ids(f));
        assertTrue(f.get(0).message().contains("10.250.0.11"), f.get(0).message());
    }

    @Test
    void check_ipv6WrittenDifferently_stillMatches() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), YEAR, NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of("2001:DB8:0:0:0:0:0:1")), KeySpec.ECDSA_P256, NOW);
        assertEquals(
                List.of(),
                CertificateChecks.check(
                        stored(c, "rw-------"), ca.certificate(), expect("n1", "2001:db8::1"), NOW, WARN));
    }

    @Test
    void check_otherCa_keyMismatch_clientOnly_perms() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), YEAR, NOW);
        CertificateAuthority other = Signer.newCa(KeySpec.ECDSA_P256, "other", List.of(), YEAR, NOW);
        IssuedCertificate foreign = Signer.issue(other, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        assertEquals(
                List.of("PKI-CHAIN"),
                ids(CertificateChecks.check(stored(foreign, "rw-------"), ca.certificate(), expect("n1"), NOW, WARN)));

        IssuedCertificate a = Signer.issue(ca, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        IssuedCertificate b = Signer.issue(ca, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        StoredCertificate mixed = new StoredCertificate(
                "n1",
                a.certificate(),
                b.key(),
                Path.of("n1.pem"),
                Path.of("n1-key.pem"),
                PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(
                List.of("PKI-KEY-MISMATCH", "PKI-KEY-PERMISSIONS"),
                ids(CertificateChecks.check(mixed, ca.certificate(), expect("n1"), NOW, WARN)));

        CertRequest clientOnly = new CertRequest(
                "n1",
                "n1",
                List.of(),
                List.of("n1", "localhost"),
                List.of(),
                CertRequest.usagesFor(Role.CLIENT),
                YEAR,
                false);
        IssuedCertificate cl = Signer.issue(ca, clientOnly, KeySpec.ECDSA_P256, NOW);
        assertEquals(
                List.of("PKI-EKU"),
                ids(CertificateChecks.check(stored(cl, "rw-------"), ca.certificate(), expect("n1"), NOW, WARN)));
    }

    @Test
    void check_validityWindow() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), Duration.ofDays(3650), NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        StoredCertificate s = stored(c, "rw-------");
        assertEquals(
                List.of("PKI-EXPIRING"),
                ids(CertificateChecks.check(s, ca.certificate(), expect("n1"), NOW.plus(Duration.ofDays(350)), WARN)));
        assertEquals(
                List.of("PKI-EXPIRED"),
                ids(CertificateChecks.check(s, ca.certificate(), expect("n1"), NOW.plus(Duration.ofDays(366)), WARN)));
        assertEquals(
                List.of("PKI-NOT-YET-VALID"),
                ids(CertificateChecks.check(s, ca.certificate(), expect("n1"), NOW.minus(Duration.ofDays(1)), WARN)));
        assertEquals(
                List.of("PKI-CA-EXPIRED"),
                ids(CertificateChecks.checkCa(ca.certificate(), "ca.pem", NOW.plus(Duration.ofDays(3651)), WARN)));
    }

    @Test
    void toString_neverShowsKeys() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), YEAR, NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        String encoded = java.util.Base64.getEncoder()
                .encodeToString(c.key().getEncoded())
                .substring(0, 20);
        for (String s :
                List.of(ca.toString(), c.toString(), stored(c, "rw-------").toString())) {
            assertTrue(s.contains("key hidden"), s);
            assertFalse(s.contains(encoded), s);
        }
    }

    @Test
    void checkCa_endWithinTheWarning_expiringWarning() {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), Duration.ofDays(100), NOW);
        List<Finding> f = CertificateChecks.checkCa(ca.certificate(), "ca.pem", NOW.plus(Duration.ofDays(80)), WARN);
        assertEquals(List.of("PKI-CA-EXPIRING"), ids(f));
        assertEquals(dev.stockade.report.Severity.WARNING, f.get(0).severity());
        assertEquals("ca.pem", f.get(0).subject());
        assertEquals(
                "the CA expires on " + ca.certificate().getNotAfter().toInstant(),
                f.get(0).message());
        assertEquals(
                List.of(), CertificateChecks.checkCa(ca.certificate(), "ca.pem", NOW.plus(Duration.ofDays(60)), WARN));
    }

    static List<CertRequest> cluster(int nodes) {
        List<CertRequest> out = new java.util.ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            out.add(peer("n" + i, List.of("10.250.0." + i, "2001:db8::" + Integer.toHexString(i))));
        }
        out.add(new CertRequest(
                "operator",
                "operator",
                List.of(),
                List.of(),
                List.of(),
                CertRequest.usagesFor(Role.CLIENT),
                YEAR,
                false));
        return out;
    }

    /** Everything of a certificate but its key, serial and signature. */
    static List<Object> content(IssuedCertificate c) throws Exception {
        X509Certificate x = c.certificate();
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        CertificateChecks.sans(x, dns, ips);
        return List.of(
                c.name(),
                x.getSubjectX500Principal().getName(),
                x.getIssuerX500Principal().getName(),
                x.getNotBefore(),
                x.getNotAfter(),
                dns,
                ips,
                String.valueOf(x.getExtendedKeyUsage()),
                java.util.Arrays.toString(x.getKeyUsage()),
                x.getBasicConstraints(),
                x.getCriticalExtensionOIDs(),
                x.getNonCriticalExtensionOIDs(),
                c.csr().getSubject().toString(),
                x.getSigAlgName());
    }

    @ParameterizedTest
    @EnumSource(
            value = KeySpec.class,
            names = {"ECDSA_P256", "ECDSA_P384"})
    void issueAll_inParallel_sameCertificatesAsOneByOne_inRequestOrder(KeySpec spec) throws Exception {
        CertificateAuthority ca = Signer.newCa(spec, "t CA", List.of(), Duration.ofDays(1000), NOW);
        List<CertRequest> requests = cluster(Signer.MANY + 24);
        List<IssuedCertificate> batch = Signer.issueAll(ca, requests, spec, NOW);
        assertEquals(requests.size(), batch.size());
        Set<java.math.BigInteger> serials = new java.util.HashSet<>();
        Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            IssuedCertificate one = Signer.issue(ca, requests.get(i), spec, NOW);
            IssuedCertificate many = batch.get(i);
            assertEquals(content(one), content(many), requests.get(i).name());
            X509Certificate cert = many.certificate();
            cert.verify(ca.certificate().getPublicKey());
            assertTrue(FastEc.verify(cert, (java.security.interfaces.ECPublicKey)
                    ca.certificate().getPublicKey()));
            assertTrue(Keys.matches(many.key(), cert.getPublicKey()), "the key is the certificate's");
            assertTrue(
                    many.csr()
                            .isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                                    .build(cert.getPublicKey())),
                    "the CSR is signed by the certificate's key");
            assertEquals(
                    java.util.Arrays.toString(cert.getPublicKey().getEncoded()),
                    java.util.Arrays.toString(
                            many.csr().getSubjectPublicKeyInfo().getEncoded()));
            serials.add(cert.getSerialNumber());
            keys.add(java.util.Base64.getEncoder().encodeToString(many.key().getEncoded()));
        }
        assertEquals(requests.size(), serials.size(), "a serial number each");
        assertEquals(requests.size(), keys.size(), "a key each");
        assertEquals(List.of(), Signer.issueAll(ca, List.of(), spec, NOW));
    }

    @Test
    void issue_keyIdentifiersAsBouncyCastlesJcaExtensionUtils() throws Exception {
        CertificateAuthority ca = Signer.newCa(KeySpec.ECDSA_P256, "t", List.of(), YEAR, NOW);
        IssuedCertificate c = Signer.issue(ca, peer("n1", List.of()), KeySpec.ECDSA_P256, NOW);
        org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils utils =
                new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
        org.bouncycastle.cert.X509CertificateHolder leaf =
                new org.bouncycastle.cert.X509CertificateHolder(c.certificate().getEncoded());
        org.bouncycastle.cert.X509CertificateHolder root =
                new org.bouncycastle.cert.X509CertificateHolder(ca.certificate().getEncoded());
        assertEquals(
                utils.createSubjectKeyIdentifier(c.certificate().getPublicKey()),
                org.bouncycastle.asn1.x509.SubjectKeyIdentifier.fromExtensions(leaf.getExtensions()));
        assertEquals(
                utils.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()),
                org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.fromExtensions(leaf.getExtensions()));
        assertEquals(
                utils.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()),
                org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.fromExtensions(root.getExtensions()));
        assertEquals(
                utils.createSubjectKeyIdentifier(ca.certificate().getPublicKey()),
                org.bouncycastle.asn1.x509.SubjectKeyIdentifier.fromExtensions(root.getExtensions()));
    }

    @Test
    void time_sameEncodingAsBouncyCastlesTimeOfDate() throws Exception {
        for (String t : List.of(
                "2026-12-03T16:17:53.999Z",
                "1950-01-01T00:00:00Z",
                "1949-12-31T23:59:59Z",
                "2049-12-31T23:59:59Z",
                "2050-01-01T00:00:00Z",
                "2031-02-03T04:05:06Z",
                "9999-12-31T23:59:59Z",
                "1600-06-15T12:00:00Z")) { // (before 1582 SimpleDateFormat counts Julian days)
            Instant i = Instant.parse(t);
            assertEquals(
                    java.util.HexFormat.of()
                            .formatHex(new org.bouncycastle.asn1.x509.Time(java.util.Date.from(i)).getEncoded()),
                    java.util.HexFormat.of().formatHex(Signer.time(i).getEncoded()),
                    t);
            assertEquals(
                    i.getEpochSecond(), Signer.time(i).getDate().toInstant().getEpochSecond(), t);
        }
    }
}
