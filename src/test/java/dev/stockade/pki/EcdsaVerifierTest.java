package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcdsaVerifierTest {

    private static final X500Name NAME = new X500Name("CN=ecdsa verifier test");

    /** Many certificates of one issuer, so that both the first checks and the table-based ones are compared. */
    @ParameterizedTest
    @CsvSource({"256, SHA256withECDSA", "256, SHA384withECDSA", "384, SHA384withECDSA", "384, SHA512withECDSA"})
    void verify_agreesWithTheJdkAndBouncyCastle_forGoodAndTamperedSignatures(int bits, String algorithm)
            throws Exception {
        KeyPair issuer = FastEc.generate(bits);
        KeyPair other = FastEc.generate(bits);
        ECPublicKey key = (ECPublicKey) issuer.getPublic();
        EcdsaVerifier v = EcdsaVerifier.of(key).orElseThrow();
        for (int i = 0; i < 2 * EcdsaVerifier.MANY + 4; i++) {
            X509Certificate good = certificate(i, FastEc.signer(issuer.getPrivate(), algorithm), other);
            good.verify(key);
            assertEquals(true, v.verify(good).orElseThrow(), "certificate " + i);
            assertTrue(FastEc.verify(good, key));
            assertFalse(FastEc.verify(good, (ECPublicKey) other.getPublic()), "another issuer's key");

            X509Certificate flipped = flipLastByte(good);
            assertEquals(false, v.verify(flipped).orElseThrow(), "signature changed, certificate " + i);
            assertFalse(FastEc.verifyGeneral(flipped, key));

            X509Certificate otherData =
                    certificate(i, signingOtherBytes(FastEc.signer(issuer.getPrivate(), algorithm)), other);
            assertEquals(false, v.verify(otherData).orElseThrow(), "signature of other data, certificate " + i);
            assertFalse(FastEc.verifyGeneral(otherData, key));
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "1, 0", "N, 1", "1, N", "-1, 1"})
    void verify_signatureValuesOutOfRange_areRefused(String r, String s) throws Exception {
        KeyPair issuer = FastEc.generate(256);
        ECPublicKey key = (ECPublicKey) issuer.getPublic();
        BigInteger n = FastEc.domainOf(256).getN();
        X509Certificate cert = certificate(
                1,
                fixedSignature(value(r, n), value(s, n), FastEc.signer(issuer.getPrivate(), "SHA256withECDSA")),
                issuer);
        assertEquals(false, EcdsaVerifier.of(key).orElseThrow().verify(cert).orElseThrow());
        assertFalse(FastEc.verifyGeneral(cert, key));
    }

    @ParameterizedTest
    @CsvSource({"48, 256, 128", "32, 256, 0", "64, 384, 128"})
    void leftmostBits_hashLongerThanTheOrder_keepsItsLeadingBits(int hashBytes, int orderBits, int dropped) {
        byte[] hash = new byte[hashBytes];
        java.util.Arrays.fill(hash, (byte) 0xa5);
        BigInteger whole = new BigInteger(1, hash);
        assertEquals(whole.shiftRight(dropped), EcdsaVerifier.leftmostBits(hash, orderBits));
    }

    private static BigInteger value(String v, BigInteger n) {
        return v.equals("N") ? n : new BigInteger(v);
    }

    private static X509Certificate certificate(int serial, ContentSigner signer, KeyPair subject) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                NAME,
                                BigInteger.valueOf(serial + 1),
                                Date.from(Instant.now().minusSeconds(60)),
                                Date.from(Instant.now().plusSeconds(3600)),
                                new X500Name("CN=leaf " + serial),
                                subject.getPublic())
                        .build(signer));
    }

    /** The certificate with the last byte of its signature (the end of s) changed. */
    private static X509Certificate flipLastByte(X509Certificate cert) throws Exception {
        byte[] der = cert.getEncoded();
        der[der.length - 1] ^= 0x01;
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** A signer that signs one byte more than it is given: a real signature, of other data. */
    private static ContentSigner signingOtherBytes(ContentSigner real) {
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return real.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                return real.getOutputStream();
            }

            @Override
            public byte[] getSignature() {
                try {
                    real.getOutputStream().write(0);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return real.getSignature();
            }
        };
    }

    /** A signer whose signature is always (r, s), DER-encoded. */
    private static ContentSigner fixedSignature(BigInteger r, BigInteger s, ContentSigner algorithm) {
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public byte[] getSignature() {
                ASN1EncodableVector v = new ASN1EncodableVector();
                v.add(new ASN1Integer(r));
                v.add(new ASN1Integer(s));
                try {
                    return new DERSequence(v).getEncoded();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
