package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.KeySpec;
import dev.stockade.pki.Pem;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The certificates a running etcd names: expired, expiring, and not naming what etcd advertises. */
class EtcdCertificatesTest {

    static String cert(String cn, Instant from, Instant to, GeneralName... sans) throws Exception {
        KeyPair kp = KeySpec.ECDSA_P256.generate();
        X500Name name = new X500Name("CN=" + cn);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name, BigInteger.TEN, Date.from(from), Date.from(to), name, kp.getPublic());
        if (sans.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        X509Certificate c = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return Pem.certificate(c);
    }

    static List<Finding> audit(String process, String certs) {
        Map<Probe, String> out = new EnumMap<>(Probe.class);
        out.put(Probe.HOSTNAME, "core-1\n");
        out.put(Probe.ETCD_PROCESS, process);
        out.put(Probe.ETCD_CERTS, certs);
        return Checks.audit(HostFacts.collect(new SpecChecksTest.Given("core-1", out))).findings().stream()
                .filter(f -> f.id().startsWith("AUD-CERT")
                        || f.id().equals("AUD-FACT") && f.message().contains("holds no"))
                .toList();
    }

    static final String PROCESS = "# pid 1\narg /usr/bin/etcd\n"
            + "env ETCD_ADVERTISE_CLIENT_URLS=https://10.250.0.11:2379,https://core-1.example.com:2379\n"
            + "env ETCD_CERT_FILE=/etc/ssl/etcd/node.pem\nenv ETCD_CLIENT_CERT_AUTH=true\n";

    @Test
    void validCertificateNamingEveryAdvertisedHost_noFinding() throws Exception {
        Instant now = Instant.now();
        String good = cert(
                "core-1",
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300)),
                new GeneralName(GeneralName.iPAddress, "10.250.0.11"),
                new GeneralName(GeneralName.dNSName, "*.example.com"));
        assertEquals(List.of(), audit(PROCESS, "# ETCD_CERT_FILE /etc/ssl/etcd/node.pem\n" + good));
    }

    @Test
    void expiredExpiringAndMissingNames_eachAFinding() throws Exception {
        Instant now = Instant.now();
        String own = cert(
                "core-1",
                now.minus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(5)),
                new GeneralName(GeneralName.iPAddress, "10.250.0.12"));
        String ca = cert("ca", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        List<Finding> f = audit(
                PROCESS,
                "# ETCD_CERT_FILE /etc/ssl/etcd/node.pem\n" + own + "# ETCD_TRUSTED_CA_FILE /etc/ssl/etcd/ca.pem\n" + ca
                        + "# ETCD_PEER_CERT_FILE /etc/ssl/etcd/peer.pem\nnot a certificate\n");
        List<String> got = f.stream()
                .map(x -> x.id() + " " + x.severity() + " "
                        + x.span().orElseThrow().line())
                .toList();
        assertEquals(
                List.of(
                        "AUD-CERT-EXPIRY WARNING 1",
                        "AUD-CERT-SAN WARNING 1",
                        "AUD-CERT-SAN WARNING 1",
                        "AUD-CERT-EXPIRY ERROR " + (own.split("\n").length + 2),
                        "AUD-FACT WARNING " + (own.split("\n").length + ca.split("\n").length + 3)),
                got,
                f.toString());
        assertTrue(
                f.get(0).message().contains("(in 4 days)") || f.get(0).message().contains("(in 5 days)"), f.toString());
        assertTrue(f.get(1).message().startsWith("/etc/ssl/etcd/node.pem does not name 10.250.0.11"), f.toString());
        assertTrue(
                f.get(2).message().startsWith("/etc/ssl/etcd/node.pem does not name core-1.example.com"), f.toString());
        assertTrue(f.get(3).message().contains("expired on"), f.toString());
        assertEquals(Severity.WARNING, f.get(4).severity());
    }
}
