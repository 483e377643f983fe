package dev.stockade.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** Key helpers that need no provider beyond the JDK's. */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    /**
     * True when {@code key} is the private half of {@code pub}. EC keys are compared by deriving the
     * public point, RSA keys by modulus and exponent; other keys sign a random challenge.
     */
    public static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        if (key instanceof java.security.interfaces.ECPrivateKey
                && pub instanceof java.security.interfaces.ECPublicKey) {
            return FastEc.publicPointOf((java.security.interfaces.ECPrivateKey) key)
                    .equals(((java.security.interfaces.ECPublicKey) pub).getW());
        }
        if (key instanceof java.security.interfaces.RSAPrivateCrtKey
                && pub instanceof java.security.interfaces.RSAPublicKey) {
            java.security.interfaces.RSAPrivateCrtKey k = (java.security.interfaces.RSAPrivateCrtKey) key;
            java.security.interfaces.RSAPublicKey p = (java.security.interfaces.RSAPublicKey) pub;
            return k.getModulus().equals(p.getModulus())
                    && k.getPublicExponent().equals(p.getPublicExponent());
        }
        String alg = pub.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
