package dev.stockade.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.IssuedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A token service for the registry's {@code auth: token} mode, on 127.0.0.1 over HTTPS: it checks
 * HTTP Basic credentials against one user and password and answers {@code {"token": JWT}}, the JWT
 * (RS256) granting the requested {@code repository:NAME:pull} scope and carrying its signing
 * certificate in {@code x5c}, which the registry verifies against its {@code rootcertbundle}.
 * Anonymous and wrong credentials get 401. Every request is counted, for the test to see caching.
 */
final class TokenServer implements AutoCloseable {

    static final String ISSUER = "stockade-test-issuer";

    private final HttpsServer server;
    private final CertificateAuthority signer;
    private final String service;
    private final String user;
    private final String password;
    private final List<String> requests = new ArrayList<>();

    private TokenServer(HttpsServer server, CertificateAuthority signer, String service, String user, String password) {
        this.server = server;
        this.signer = signer;
        this.service = service;
        this.user = user;
        this.password = password;
    }

    static TokenServer start(
            IssuedCertificate tls,
            X509Certificate tlsCa,
            CertificateAuthority signer,
            String service,
            String user,
            String password)
            throws IOException, GeneralSecurityException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "unused".toCharArray();
        ks.setKeyEntry("tls", tls.key(), pw, new X509Certificate[] {tls.certificate(), tlsCa});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        TokenServer t = new TokenServer(s, signer, service, user, password);
        s.createContext("/token", t::handle);
        s.start();
        return t;
    }

    String realm() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            synchronized (this) {
                requests.add((auth == null ? "anonymous" : "basic") + " " + q.get("scope"));
            }
            if (!expected.equals(auth) || !service.equals(q.get("service"))) {
                reply(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            String[] scope = String.valueOf(q.get("scope")).split(":");
            String body = "{\"token\":\"" + jwt(scope.length == 3 ? scope[1] : "") + "\",\"expires_in\":300}";
            reply(x, 200, body);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private String jwt(String repository) throws GeneralSecurityException {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String x5c = Base64.getEncoder().encodeToString(signer.certificate().getEncoded());
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c + "\"]}";
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":\"" + service + "\","
                + "\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\"" + now
                + "\",\"access\":[{\"type\":\"repository\",\"name\":\"" + repository + "\",\"actions\":[\"pull\"]}]}";
        String signingInput = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(signer.key());
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(rs256.sign());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
