package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.Pem;
import dev.stockade.pki.Signer;
import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedCertificatesTest {

    @TempDir
    Path tmp;

    static CertificateAuthority ca(String name) {
        return Signer.newCa(KeySpec.ECDSA_P256, name, List.of(), Duration.ofDays(1), Instant.now());
    }

    @Test
    void read_everyCertificateOfEveryFile() throws Exception {
        CertificateAuthority a = ca("a");
        CertificateAuthority b = ca("b");
        Path bundle = Files.writeString(
                tmp.resolve("bundle.pem"), Pem.certificate(a.certificate()) + Pem.certificate(b.certificate()));
        Path one = Files.writeString(tmp.resolve("one.pem"), Pem.certificate(a.certificate()));
        List<X509Certificate> certs = TrustedCertificates.read(List.of(bundle, one));
        assertEquals(List.of(a.certificate(), b.certificate(), a.certificate()), certs);
        SSLContext ctx = TrustedCertificates.context(certs);
        assertEquals("TLS", ctx.getProtocol());
        assertTrue(TrustedCertificates.context(List.of()) == SSLContext.getDefault(), "no extra CA: the JDK's own");
    }

    @Test
    void read_notPem_locatedError() throws Exception {
        Path text = Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
        InputException e = assertThrows(InputException.class, () -> TrustedCertificates.read(List.of(text)));
        assertEquals("PKI-PEM", e.diagnostics().get(0).code());
    }
}
