package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;

class FastEcTest {

    @Test
    void generate_namedCurveKeysThatTheJdkUses() throws Exception {
        for (int bits : new int[] {256, 384}) {
            KeyPair kp = FastEc.generate(bits);
            ECPublicKey pub = (ECPublicKey) kp.getPublic();
            ECPrivateKey priv = (ECPrivateKey) kp.getPrivate();
            assertEquals(bits, pub.getParams().getCurve().getField().getFieldSize());
            assertEquals(pub.getW(), FastEc.publicPointOf(priv), "the public key is d·G");
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initSign(priv);
            byte[] data = "stockade".getBytes(StandardCharsets.UTF_8);
            jdk.update(data);
            byte[] sig = jdk.sign();
            jdk.initVerify(pub);
            jdk.update(data);
            assertTrue(jdk.verify(sig));
        }
        assertNotEquals(
                ((ECPrivateKey) FastEc.generate(256).getPrivate()).getS(),
                ((ECPrivateKey) FastEc.generate(256).getPrivate()).getS());
    }

    @Test
    void curve_p384ElseP256() {
        assertEquals(SECObjectIdentifiers.secp384r1, FastEc.curve(384));
        assertEquals(SECObjectIdentifiers.secp256r1, FastEc.curve(256));
    }

    @Test
    void signerAndVerify_certificateSignedByItsIssuerOnly() throws Exception {
        KeyPair issuer = FastEc.generate(256);
        KeyPair other = FastEc.generate(256);
        X500Name name = new X500Name("CN=fast-ec test");
        ContentSigner signer = FastEc.signer(issuer.getPrivate(), "SHA256withECDSA");
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.ONE,
                                Date.from(Instant.now().minusSeconds(60)),
                                Date.from(Instant.now().plusSeconds(3600)),
                                name,
                                issuer.getPublic())
                        .build(signer));
        cert.verify(issuer.getPublic());
        assertTrue(FastEc.verify(cert, (ECPublicKey) issuer.getPublic()));
        assertFalse(FastEc.verify(cert, (ECPublicKey) other.getPublic()));
    }

    @Test
    void generateAndSign_withTheGeneratorTable_keysAndSignaturesTheJdkAccepts() throws Exception {
        for (int bits : new int[] {256, 384}) {
            KeyPair kp = FastEc.generate(bits, true);
            ECPrivateKey priv = (ECPrivateKey) kp.getPrivate();
            ECPublicKey pub = (ECPublicKey) kp.getPublic();
            assertEquals(pub.getW(), FastEc.publicPointOf(priv), "the public key is d·G, as the comb computes it");
            String alg = bits == 384 ? "SHA384withECDSA" : "SHA256withECDSA";
            byte[] data = "stockade".getBytes(StandardCharsets.UTF_8);
            ContentSigner signer = FastEc.signer(priv, alg, true);
            signer.getOutputStream().write(data);
            byte[] sig = signer.getSignature();
            Signature jdk = Signature.getInstance(alg);
            jdk.initVerify(pub);
            jdk.update(data);
            assertTrue(jdk.verify(sig));
            ContentSigner again = FastEc.signer(priv, alg, true);
            again.getOutputStream().write(data);
            assertFalse(java.util.Arrays.equals(sig, again.getSignature()), "a fresh random k per signature");
        }
    }
}
