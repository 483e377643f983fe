package dev.stockade.spec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an OpenSSH public key line ({@code type base64 [comment]}, one line of a {@code .pub}
 * file) by decoding it: the key data must be the wire format of the type the line names, complete
 * and with nothing after it, so a key truncated while pasting is caught before it is written into a
 * node's provisioning (where it would lock the operator out without a word).
 */
final class SshKeys {

    /** Minimum RSA modulus: OpenSSH 8.x refuses less than 1024 bits; 2048 is the usual floor. */
    static final int MIN_RSA_BITS = 2048;

    /** Curve name inside the key data, and the length of an uncompressed point, per ECDSA type. */
    private static final Map<String, Integer> EC_POINT = Map.of("nistp256", 65, "nistp384", 97, "nistp521", 133);

    private SshKeys() {}

    /** What is wrong with {@code line}, or empty when it is a usable OpenSSH public key. */
    static Optional<String> problem(String line) {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2) {
            return Optional.of("not an OpenSSH public key (expected: type, key data, optional comment)");
        }
        String type = parts[0];
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return Optional.of("the key data is not valid base64 (was the line cut or wrapped?)");
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        try {
            String inner = new String(string(in), StandardCharsets.US_ASCII);
            if (!inner.equals(type)) {
                return Optional.of("the key data is a " + inner + " key but the line says " + type);
            }
            Optional<String> problem = body(type, in);
            if (problem.isPresent()) {
                return problem;
            }
            if (in.hasRemaining()) {
                return Optional.of("the key data has " + in.remaining() + " extra bytes after the key");
            }
            return Optional.empty();
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            return Optional.of(
                    "the " + type + " key data is incomplete (" + blob.length + " bytes): the key was cut short");
        }
    }

    private static Optional<String> body(String type, ByteBuffer in) {
        switch (type) {
            case "ssh-ed25519":
                return length(string(in), 32, "an Ed25519 key");
            case "sk-ssh-ed25519@openssh.com": {
                Optional<String> key = length(string(in), 32, "an Ed25519 key");
                string(in); // the FIDO application, e.g. "ssh:"
                return key;
            }
            case "ssh-rsa": {
                string(in); // public exponent
                int bits = new BigInteger(1, string(in)).bitLength();
                return bits < MIN_RSA_BITS
                        ? Optional.of("an RSA key of " + bits + " bits is too weak; use at least " + MIN_RSA_BITS
                                + " bits, or ssh-ed25519")
                        : Optional.empty();
            }
            case "ssh-dss":
                return Optional.of("DSA (ssh-dss) keys are refused by OpenSSH since 7.0; use ssh-ed25519");
            default:
                return ecdsa(type, in);
        }
    }

    private static Optional<String> ecdsa(String type, ByteBuffer in) {
        boolean sk = type.startsWith("sk-");
        String curve = new String(string(in), StandardCharsets.US_ASCII);
        Integer point = EC_POINT.get(curve);
        if (point == null || !type.contains(curve)) {
            return Optional.of("the key data names curve '" + curve + "', which does not fit " + type);
        }
        Optional<String> key = length(string(in), point, "a " + curve + " point");
        if (sk) {
            string(in);
        }
        return key;
    }

    private static Optional<String> length(byte[] data, int expected, String what) {
        return data.length == expected
                ? Optional.empty()
                : Optional.of(what + " has " + expected + " bytes, this one " + data.length);
    }

    /** An SSH wire-format string: a 32-bit big-endian length, then that many bytes. */
    private static byte[] string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n);
        }
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }
}
