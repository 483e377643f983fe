package dev.stockade.pki;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stockade.report.InputException;
import dev.stockade.report.LocatedErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Any DER in a PEM block of any type (or any text), through what reads PEM: pki inspect's
 * description, certificates, private keys (without a passphrase: decrypting would run the file's own
 * PBKDF2 iteration count) and CSRs. A description or a located error, nothing else.
 *
 * <p>Input layout, as Jazzer's FuzzedDataProvider reads it: the last byte picks the block type, the one
 * before it (odd) makes the input raw text instead of a block, the rest is the content.
 * bench/fuzz.sh target: pem.
 */
class PemFuzzTest {

    static final List<String> TYPES = List.of(
            "CERTIFICATE",
            "CERTIFICATE REQUEST",
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "RSA PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "PUBLIC KEY",
            "X509 CRL",
            "NEW CERTIFICATE REQUEST",
            "TRUSTED CERTIFICATE",
            "EC PARAMETERS",
            "DSA PRIVATE KEY",
            "PKCS7",
            "ATTRIBUTE CERTIFICATE",
            "RSA PUBLIC KEY",
            "OPENSSH PRIVATE KEY");

    @FuzzTest
    void inspect_anyBlock_descriptionOrLocatedError(FuzzedDataProvider data) {
        String type = TYPES.get(data.consumeInt(0, TYPES.size() - 1));
        boolean raw = data.consumeBoolean();
        byte[] content = data.consumeRemainingAsBytes();
        String text = raw ? new String(content, StandardCharsets.UTF_8) : block(type, content);
        try {
            Inspection.inspect("f.pem", text);
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
        try {
            Pem.certificates("f.pem", text);
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
        try {
            Pem.privateKey("f.pem", text, null);
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
        try {
            Pem.csr("f.pem", text);
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
    }

    static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
