package dev.stockade.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Verifies the ECDSA signatures of many certificates issued by one key, as a build that checks a
 * whole cluster's certificates does: the issuer's point is decoded once, and after the first
 * {@value #MANY} signatures both products of a verification, u1·G and u2·Q, come from fixed-base
 * tables ({@link GeneratorTable}: about a hundred additions and no doublings, against the 256
 * doublings of BouncyCastle's joint multiplication), since G and the issuer's Q are the same every
 * time. Before that, and for single checks, BouncyCastle's {@link ECAlgorithms#sumOfTwoMultiplies}
 * does it, as its own verifier would. The arithmetic around the products is the standard one
 * (SEC 1 v2, section 4.1.4): r and s in [1, n-1], e the leftmost bits of the hash, R = u1·G + u2·Q
 * not the point at infinity, and x(R) mod n = r.
 */
final class EcdsaVerifier {

    /** Signatures verified by one issuer before its tables are built (a few milliseconds each). */
    static final int MANY = 16;

    /** At most this many issuers are kept; a build has one. */
    private static final int KEPT = 8;

    private static final Map<String, EcdsaVerifier> ISSUERS = new ConcurrentHashMap<>();

    private final ECNamedDomainParameters domain;
    private final ECPoint q;
    private final AtomicInteger uses = new AtomicInteger();
    private volatile Tables tables;

    private record Tables(GeneratorTable g, GeneratorTable q) {}

    private EcdsaVerifier(ECNamedDomainParameters domain, ECPoint q) {
        this.domain = domain;
        this.q = q;
    }

    /** The verifier for {@code issuer} on P-256 or P-384; empty for other curves. */
    static Optional<EcdsaVerifier> of(ECPublicKey issuer) {
        int bits = issuer.getParams().getCurve().getField().getFieldSize();
        if (bits != 256 && bits != 384) {
            return Optional.empty();
        }
        String id = java.util.Base64.getEncoder().encodeToString(issuer.getEncoded());
        EcdsaVerifier v = ISSUERS.get(id);
        if (v == null) {
            ECNamedDomainParameters d = FastEc.domainOf(bits);
            ECPoint point;
            try {
                point = d.getCurve()
                        .validatePoint(issuer.getW().getAffineX(), issuer.getW().getAffineY());
            } catch (IllegalArgumentException notOnCurve) {
                return Optional.empty();
            }
            if (ISSUERS.size() >= KEPT) {
                ISSUERS.clear();
            }
            v = ISSUERS.computeIfAbsent(id, k -> new EcdsaVerifier(d, point));
        }
        return Optional.of(v);
    }

    /**
     * Whether {@code cert}'s signature verifies with this key; empty when its algorithm is not ECDSA
     * with SHA-2 (the caller then uses a general verifier).
     */
    Optional<Boolean> verify(X509Certificate cert) {
        Digest digest = digest(cert.getSigAlgOID());
        if (digest == null) {
            return Optional.empty();
        }
        BigInteger n = domain.getN();
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(n, cert.getSignature());
        } catch (java.io.IOException | IllegalArgumentException malformed) {
            return Optional.of(false);
        }
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return Optional.of(false);
        }
        byte[] tbs;
        try {
            tbs = cert.getTBSCertificate();
        } catch (java.security.cert.CertificateEncodingException e) {
            return Optional.of(false);
        }
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(tbs, 0, tbs.length);
        digest.doFinal(hash, 0);
        BigInteger e = leftmostBits(hash, n.bitLength());
        BigInteger c = s.modInverse(n);
        BigInteger u1 = e.multiply(c).mod(n);
        BigInteger u2 = r.multiply(c).mod(n);
        ECPoint point = products(u1, u2).normalize();
        if (point.isInfinity()) {
            return Optional.of(false);
        }
        return Optional.of(point.getAffineXCoord().toBigInteger().mod(n).equals(r));
    }

    /** u1·G + u2·Q. */
    private ECPoint products(BigInteger u1, BigInteger u2) {
        Tables t = tables;
        if (t == null && uses.incrementAndGet() > MANY) {
            t = tables();
        }
        if (t == null) {
            return ECAlgorithms.sumOfTwoMultiplies(domain.getG(), u1, q, u2);
        }
        // public scalars: table reads need not be constant-time here
        return t.g().multiplyPublic(u1).add(t.q().multiplyPublic(u2));
    }

    private synchronized Tables tables() {
        if (tables == null) {
            tables = new Tables(FastEc.generatorTable(domain), new GeneratorTable(q, domain.getN()));
        }
        return tables;
    }

    /** The hash as an integer, cut to the order's bit length when longer (SEC 1, section 4.1.4, step 5). */
    static BigInteger leftmostBits(byte[] hash, int bits) {
        BigInteger e = new BigInteger(1, hash);
        int hashBits = hash.length * 8;
        return hashBits > bits ? e.shiftRight(hashBits - bits) : e;
    }

    private static Digest digest(String oid) {
        switch (oid) {
            case "1.2.840.10045.4.3.1":
                return new SHA224Digest();
            case "1.2.840.10045.4.3.2":
                return new SHA256Digest();
            case "1.2.840.10045.4.3.3":
                return new SHA384Digest();
            case "1.2.840.10045.4.3.4":
                return new SHA512Digest();
            default:
                return null;
        }
    }
}
