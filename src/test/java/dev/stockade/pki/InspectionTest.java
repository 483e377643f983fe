package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class InspectionTest {

    /** CN = UTF8String of the bytes 'a', 0xFF, 'b' (0xFF never occurs in UTF-8), O = "Ok, Inc". */
    static X500Name invalidUtf8Subject() throws Exception {
        return new X500Name(new RDN[] {
            new RDN(BCStyle.CN, ASN1Primitive.fromByteArray(new byte[] {0x0c, 0x03, 'a', (byte) 0xff, 'b'})),
            new RDN(BCStyle.O, new DERUTF8String("Ok, Inc"))
        });
    }

    static ContentSigner signer(KeyPair kp) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
    }

    @Test
    void inspect_csrWithInvalidUtf8InSubject_showsTheValueAsHexDer() throws Exception {
        KeyPair kp = KeySpec.ECDSA_P256.generate();
        String pem = Pem.csr(
                new JcaPKCS10CertificationRequestBuilder(invalidUtf8Subject(), kp.getPublic()).build(signer(kp)));
        List<Inspection.Item> items = Inspection.inspect("r.pem", pem);
        Inspection.RequestInfo request = (Inspection.RequestInfo) items.get(0);
        assertEquals("CN=#0c0361ff62,O=Ok\\, Inc", request.subject());
    }

    @Test
    void inspect_csrWithMalformedRdn_showsTheRdnAsHexDer() throws Exception {
        // found by fuzzing: an RDN whose type is an INTEGER (or a SET inside the SET) threw from BouncyCastle
        KeyPair kp = KeySpec.ECDSA_P256.generate();
        RDN bad = RDN.getInstance(
                new DERSet(new DERSequence(new ASN1Encodable[] {new ASN1Integer(5), new DERUTF8String("x")})));
        X500Name name = new X500Name(new RDN[] {bad, new RDN(BCStyle.CN, new DERUTF8String("ok"))});
        String pem = Pem.csr(new JcaPKCS10CertificationRequestBuilder(name, kp.getPublic()).build(signer(kp)));
        assertEquals(
                "#" + HexFormat.of().formatHex(bad.getEncoded()) + ",CN=ok",
                ((Inspection.RequestInfo) Inspection.inspect("r.pem", pem).get(0)).subject());
    }

    @Test
    void inspect_certificateWithInvalidUtf8InSubject_describedWithoutException() throws Exception {
        KeyPair kp = KeySpec.ECDSA_P256.generate();
        X500Name name = invalidUtf8Subject();
        long now = System.currentTimeMillis();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                        name, BigInteger.ONE, new Date(now), new Date(now + 86_400_000L), name, kp.getPublic())
                .build(signer(kp));
        String pem = pem("CERTIFICATE", holder.getEncoded());
        Inspection.CertificateInfo cert =
                (Inspection.CertificateInfo) Inspection.inspect("c.pem", pem).get(0);
        assertTrue(cert.subject().startsWith("O=Ok\\, Inc,CN=a"), cert::toString);
    }

    @Test
    void inspect_bundleOfCertificates_eachDescribedInOrder() throws Exception {
        StringBuilder bundle = new StringBuilder();
        for (String cn : List.of("one", "two", "three")) {
            CertificateAuthority ca = Signer.newCa(
                    KeySpec.ECDSA_P256, cn, List.of(), java.time.Duration.ofDays(2), java.time.Instant.now());
            bundle.append(Pem.certificate(ca.certificate()));
        }
        List<Inspection.Item> items = Inspection.inspect("b.pem", bundle.toString());
        assertEquals(
                List.of("CN=one", "CN=two", "CN=three"),
                items.stream()
                        .map(m -> ((Inspection.CertificateInfo) m).subject())
                        .toList());
    }

    private static String pem(String type, byte[] der) throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter pw = new org.bouncycastle.util.io.pem.PemWriter(w)) {
            pw.writeObject(new PemObject(type, der));
        }
        return w.toString();
    }
}
