package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How transport failures are classified; the real failures are provoked in RegistryIT. */
class RegistryHttpTest {

    static final HttpRequest REQUEST = HttpRequest.newBuilder(URI.create("https://r.example:5000/v2/a/manifests/1"))
            .build();

    static final RegistryHttp HTTP = new RegistryHttp(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(7)).build(), Set.of(), Duration.ofSeconds(9), 5);

    static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("handshake failed");
        e.initCause(cause);
        return e;
    }

    @Test
    void hostPort_schemeDefaults() {
        assertEquals("r.example:443", RegistryHttp.hostPort(URI.create("https://R.example/v2/")));
        assertEquals("r.example:80", RegistryHttp.hostPort(URI.create("http://r.example/v2/")));
        assertEquals("[::1]:5000", RegistryHttp.hostPort(URI.create("https://[::1]:5000/v2/")));
    }

    @Test
    void failure_connection() {
        RegistryException refused = HTTP.failure(REQUEST, new ConnectException());
        assertEquals(RegistryException.Kind.UNREACHABLE, refused.kind());
        assertEquals(
                "cannot reach r.example:5000: connection refused (tried GET https://r.example:5000/v2/a/manifests/1)",
                refused.getMessage());
        assertEquals(
                "check the registry's name and port, that it runs, and the network or proxy between", refused.hint());
        ConnectException dns = new ConnectException();
        dns.initCause(new UnresolvedAddressException());
        assertTrue(HTTP.failure(REQUEST, dns).getMessage().contains("cannot resolve the host name r.example"));
        assertTrue(HTTP.failure(REQUEST, new HttpConnectTimeoutException("x"))
                .getMessage()
                .contains("no connection within 7 s"));
        RegistryException reset = HTTP.failure(REQUEST, new IOException("connection reset"));
        assertEquals(RegistryException.Kind.FAILED, reset.kind());
        assertTrue(reset.getMessage().startsWith("the connection to r.example:5000 failed: connection reset"));
        assertEquals(
                RegistryException.Kind.FAILED,
                HTTP.failure(REQUEST, new IllegalStateException()).kind());
    }

    @Test
    void failure_tls() {
        RegistryException untrusted =
                HTTP.failure(REQUEST, handshake(new CertificateException(new CertPathValidatorException("no path"))));
        assertEquals(RegistryException.Kind.TLS, untrusted.kind());
        assertTrue(untrusted.getMessage().startsWith("the TLS certificate of r.example:5000 is not trusted"));
        assertEquals("pass the CA certificate that signed it (PEM) with --ca-file FILE", untrusted.hint());
        RegistryException expired = HTTP.failure(REQUEST, handshake(new CertificateExpiredException("old")));
        assertTrue(expired.getMessage().contains("is expired or not yet valid"), expired.getMessage());
        RegistryException name = HTTP.failure(
                REQUEST, handshake(new CertificateException("No subject alternative names matching IP address")));
        assertTrue(name.getMessage().contains("is not issued for r.example"), name.getMessage());
        RegistryException notTls = HTTP.failure(REQUEST, new SSLException("Unsupported or unrecognized SSL message"));
        assertEquals(RegistryException.Kind.TLS, notTls.kind());
        assertTrue(notTls.hint().contains("--insecure-registry r.example:5000"), notTls.hint());
    }
}
