package dev.stockade.pki;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The key types Stockade issues. ECDSA P-256 is the default: small, fast, read by everything. */
public enum KeySpec {
    ECDSA_P256("ecdsa-p256", "ecdsa", 256),
    ECDSA_P384("ecdsa-p384", "ecdsa", 384),
    RSA_2048("rsa-2048", "rsa", 2048),
    RSA_3072("rsa-3072", "rsa", 3072),
    RSA_4096("rsa-4096", "rsa", 4096);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyword;
    private final String algo;
    private final int size;

    KeySpec(String keyword, String algo, int size) {
        this.keyword = keyword;
        this.algo = algo;
        this.size = size;
    }

    public String keyword() {
        return keyword;
    }

    /** cfssl's name for the algorithm: {@code ecdsa} or {@code rsa}. */
    public String algo() {
        return algo;
    }

    public int size() {
        return size;
    }

    public boolean isEc() {
        return algo.equals("ecdsa");
    }

    /** The JCA signature algorithm used with this key. */
    public String signatureAlgorithm() {
        switch (this) {
            case ECDSA_P256:
                return "SHA256withECDSA";
            case ECDSA_P384:
                return "SHA384withECDSA";
            default:
                return "SHA256withRSA";
        }
    }

    public static Optional<KeySpec> parse(String keyword) {
        return Arrays.stream(values()).filter(k -> k.keyword.equals(keyword)).findFirst();
    }

    public static List<String> keywords() {
        return Arrays.stream(values()).map(KeySpec::keyword).toList();
    }

    /** cfssl's {@code key: {algo, size}}; cfssl's defaults are ecdsa 256. */
    public static Optional<KeySpec> fromCfssl(String algo, int size) {
        return Arrays.stream(values())
                .filter(k -> k.algo.equals(algo) && k.size == size)
                .findFirst();
    }

    /** What kind of key an existing public key is, if it is one Stockade knows. */
    public static Optional<KeySpec> of(PublicKey key) {
        if (key instanceof ECPublicKey) {
            int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
            return fromCfssl("ecdsa", bits);
        }
        if (key instanceof RSAPublicKey) {
            return fromCfssl("rsa", ((RSAPublicKey) key).getModulus().bitLength());
        }
        return Optional.empty();
    }

    public KeyPair generate() {
        return generate(false);
    }

    /** A new key; {@code many}: one of many (EC keys then use the precomputed generator table). */
    KeyPair generate(boolean many) {
        if (isEc()) {
            return FastEc.generate(size, many);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(size, RSAKeyGenParameterSpec.F4), RANDOM);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("this JDK cannot generate " + keyword + " keys", e);
        }
    }

    @Override
    public String toString() {
        return keyword;
    }
}
