package dev.stockade.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * ECDSA key generation and signing with BouncyCastle's specialised P-256/P-384 field arithmetic,
 * which is several times faster than the JDK 17 provider's generic code (under the quick compiler
 * the launcher uses, a P-256 signature costs about 150 µs here and 700 µs with SunEC); issuing a
 * thousand certificates is dominated by exactly these operations. Keys always carry the named-curve
 * OID (never explicit curve parameters, which openssl 3 and Go reject) and are handed out as
 * ordinary JDK key objects, so the rest of Stockade never sees BouncyCastle types.
 *
 * <p>Operations that are one of many ({@code many}) multiply by the generator with a {@link
 * GeneratorTable}, built once per curve on first such use; single ones keep BouncyCastle's comb,
 * whose smaller table is cheaper to build.
 */
final class FastEc {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FastEc() {}

    /** Each curve and table is made on first use (a holder class each): a P-256 run never builds P-384's. */
    private static final class P256 {
        static final ECNamedDomainParameters DOMAIN = domain(SECObjectIdentifiers.secp256r1);
    }

    private static final class P384 {
        static final ECNamedDomainParameters DOMAIN = domain(SECObjectIdentifiers.secp384r1);
    }

    private static final class P256Table {
        static final GeneratorTable TABLE = new GeneratorTable(P256.DOMAIN.getG(), P256.DOMAIN.getN());
    }

    private static final class P384Table {
        static final GeneratorTable TABLE = new GeneratorTable(P384.DOMAIN.getG(), P384.DOMAIN.getN());
    }

    static ASN1ObjectIdentifier curve(int bits) {
        return bits == 384 ? SECObjectIdentifiers.secp384r1 : SECObjectIdentifiers.secp256r1;
    }

    private static ECNamedDomainParameters domain(ASN1ObjectIdentifier oid) {
        X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
        return new ECNamedDomainParameters(oid, x9);
    }

    private static ECNamedDomainParameters domain(int bits) {
        return bits == 384 ? P384.DOMAIN : P256.DOMAIN;
    }

    /** The generator multiplier for one of many operations, or null for BouncyCastle's default. */
    /** The named domain of P-256 or P-384 ({@code bits}). */
    static ECNamedDomainParameters domainOf(int bits) {
        return domain(bits);
    }

    /** The generator table of {@code domain}'s curve (P-256 or P-384), built on first use. */
    static GeneratorTable generatorTable(ECNamedDomainParameters domain) {
        return domain.getN().bitLength() == 384 ? P384Table.TABLE : P256Table.TABLE;
    }

    private static ECMultiplier multiplier(int bits, boolean many) {
        if (!many) {
            return null;
        }
        return bits == 384 ? P384Table.TABLE : P256Table.TABLE;
    }

    static KeyPair generate(int bits) {
        return generate(bits, false);
    }

    /** A new key pair; {@code many}: one of many, made with the precomputed generator table. */
    static KeyPair generate(int bits, boolean many) {
        ECMultiplier m = multiplier(bits, many);
        ECKeyPairGenerator gen = m == null
                ? new ECKeyPairGenerator()
                : new ECKeyPairGenerator() {
                    @Override
                    protected ECMultiplier createBasePointMultiplier() {
                        return m;
                    }
                };
        gen.init(new ECKeyGenerationParameters(domain(bits), RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            // PKCS#8 with the named-curve OID and without the (recomputed) public point: one scalar multiplication less
            ECPrivateKeyParameters p = (ECPrivateKeyParameters) kp.getPrivate();
            ECNamedDomainParameters d = (ECNamedDomainParameters) p.getParameters();
            PrivateKeyInfo info = new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, d.getName()),
                    new org.bouncycastle.asn1.sec.ECPrivateKey(
                            d.getN().bitLength(), p.getD(), new X962Parameters(d.getName())));
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            return new KeyPair(
                    kf.generatePublic(new X509EncodedKeySpec(
                            SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(kp.getPublic())
                                    .getEncoded())),
                    priv);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot convert an EC key", e);
        }
    }

    /** Public points derived so far; past {@link EcdsaVerifier#MANY} the generator table pays for itself. */
    private static final java.util.concurrent.atomic.AtomicInteger PUBLIC_POINTS =
            new java.util.concurrent.atomic.AtomicInteger();

    /** The public point d·G of an EC private key on a P-256/P-384 curve (known curves only). */
    static java.security.spec.ECPoint publicPointOf(ECPrivateKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        ECNamedDomainParameters d = domain(bits);
        ECMultiplier m = PUBLIC_POINTS.incrementAndGet() > EcdsaVerifier.MANY
                ? multiplier(bits, true)
                : new org.bouncycastle.math.ec.FixedPointCombMultiplier();
        org.bouncycastle.math.ec.ECPoint q =
                m.multiply(d.getG(), key.getS().mod(d.getN())).normalize();
        return new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }

    /**
     * Verifies an EC signature on a certificate with BouncyCastle's fast arithmetic: ECDSA with SHA-2
     * by a P-256/P-384 key through {@link EcdsaVerifier} (tables for many certificates of one
     * issuer), anything else through BouncyCastle's verifier.
     */
    static boolean verify(java.security.cert.X509Certificate cert, java.security.interfaces.ECPublicKey issuer) {
        java.util.Optional<Boolean> fast = EcdsaVerifier.of(issuer).flatMap(v -> v.verify(cert));
        if (fast.isPresent()) {
            return fast.get();
        }
        return verifyGeneral(cert, issuer);
    }

    /** BouncyCastle's own certificate verifier. */
    static boolean verifyGeneral(java.security.cert.X509Certificate cert, java.security.interfaces.ECPublicKey issuer) {
        try {
            var holder = new org.bouncycastle.cert.X509CertificateHolder(cert.getEncoded());
            var params = org.bouncycastle.crypto.util.PublicKeyFactory.createKey(issuer.getEncoded());
            return holder.isSignatureValid(new org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder(
                            new DefaultDigestAlgorithmIdentifierFinder())
                    .build(params));
        } catch (IOException
                | GeneralSecurityException
                | OperatorCreationException
                | org.bouncycastle.cert.CertException
                | RuntimeException e) {
            return false;
        }
    }

    /** A single-use signer for {@code key} with {@code algorithm} (e.g. SHA256withECDSA). */
    static ContentSigner signer(PrivateKey key, String algorithm) throws OperatorCreationException {
        return signer(key, algorithm, false);
    }

    /** As above; {@code many}: one of many signatures, made with the precomputed generator table. */
    static ContentSigner signer(PrivateKey key, String algorithm, boolean many) throws OperatorCreationException {
        ECPrivateKey ec = (ECPrivateKey) key;
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        ECPrivateKeyParameters params = new ECPrivateKeyParameters(ec.getS(), domain(bits));
        var sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
        var digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
        ECMultiplier m = multiplier(bits, many);
        BcECContentSignerBuilder builder =
                m == null ? new BcECContentSignerBuilder(sigAlg, digAlg) : new TableSignerBuilder(sigAlg, digAlg, m);
        // one generator for all signatures (without it, BouncyCastle makes a new SecureRandom per signature)
        builder.setSecureRandom(RANDOM);
        return builder.build(params);
    }

    /** ECDSA (random k, as BouncyCastle's default) whose k·G uses the generator table. */
    private static final class TableSignerBuilder extends BcECContentSignerBuilder {
        private final ECMultiplier multiplier;

        TableSignerBuilder(AlgorithmIdentifier sigAlg, AlgorithmIdentifier digAlg, ECMultiplier multiplier) {
            super(sigAlg, digAlg);
            this.multiplier = multiplier;
        }

        @Override
        protected org.bouncycastle.crypto.Signer createSigner(AlgorithmIdentifier sigAlg, AlgorithmIdentifier digAlg)
                throws OperatorCreationException {
            ECMultiplier m = multiplier;
            return new DSADigestSigner(
                    new ECDSASigner() {
                        @Override
                        protected ECMultiplier createBasePointMultiplier() {
                            return m;
                        }
                    },
                    digestProvider.get(digAlg));
        }
    }
}
