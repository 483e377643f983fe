package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's protocol handling against a small HTTP server on loopback (reached as an insecure
 * registry), for answers a real registry does not give on demand: digests that do not match,
 * oversized manifests, redirects, errors with JSON bodies, challenges, slow answers. The real
 * registry is {@code RegistryIT}'s.
 */
class RegistryClientTest {

    interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\"}";

    @TempDir
    Path tmp;

    HttpServer server;
    String host;
    final Map<String, Handler> routes = new ConcurrentHashMap<>();
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", x -> {
            try (x) {
                String auth = x.getRequestHeaders().getFirst("Authorization");
                seen.add(x.getRequestMethod() + " " + x.getRequestURI() + (auth == null ? "" : " " + auth));
                Handler h = routes.get(x.getRequestURI().getPath());
                if (h == null) {
                    send(
                            x,
                            404,
                            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known\"}]}");
                } else {
                    h.handle(x);
                }
            }
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        boolean head = x.getRequestMethod().equals("HEAD");
        if (!x.getResponseHeaders().containsKey("Content-Type")) {
            x.getResponseHeaders().set("Content-Type", "application/json");
        }
        x.sendResponseHeaders(status, head ? -1 : b.length == 0 ? -1 : b.length);
        if (!head && b.length > 0) {
            x.getResponseBody().write(b);
        }
    }

    /** A manifest answer: {@code header} as Docker-Content-Digest (null: none). */
    static Handler manifest(String body, String type, String header) {
        return x -> {
            x.getResponseHeaders().set("Content-Type", type);
            if (header != null) {
                x.getResponseHeaders().set("Docker-Content-Digest", header);
            }
            send(x, 200, body);
        };
    }

    RegistryClient.Builder client() {
        return RegistryClient.builder()
                .insecure(Set.of(host))
                .authFiles(AuthFiles.search(Optional.empty(), Map.of(), null))
                .connectTimeout(Duration.ofSeconds(2))
                .timeout(Duration.ofSeconds(5));
    }

    Repository repo() {
        return Repository.normalize(host, "team/app");
    }

    RegistryException failure(RegistryClient c, String tag) {
        return assertThrows(RegistryException.class, () -> c.resolve(repo(), tag));
    }

    @Test
    void resolve_head_takesTheHeader() throws Exception {
        Digest d = Digest.sha256(MANIFEST);
        routes.put("/v2/team/app/manifests/1.4", manifest(MANIFEST, RegistryClient.OCI_MANIFEST, d.toString()));
        Resolution r = client().build().resolve(repo(), "1.4");
        assertEquals(new Resolution(repo(), "1.4", d, RegistryClient.OCI_MANIFEST, false), r);
        assertEquals(List.of("HEAD /v2/team/app/manifests/1.4"), seen);
    }

    @Test
    void resolve_noHeader_getsAndComputesTheDigest() throws Exception {
        routes.put(
                "/v2/team/app/manifests/1.4",
                manifest(MANIFEST, RegistryClient.DOCKER_MANIFEST + "; charset=utf-8", null));
        Resolution r = client().build().resolve(repo(), "1.4");
        assertEquals(Digest.sha256(MANIFEST), r.digest());
        assertEquals(RegistryClient.DOCKER_MANIFEST, r.mediaType());
        assertTrue(r.verified());
        assertEquals(List.of("HEAD /v2/team/app/manifests/1.4", "GET /v2/team/app/manifests/1.4"), seen);
    }

    @Test
    void resolve_getWithWrongHeader_digestMismatch() {
        routes.put(
                "/v2/team/app/manifests/1.4",
                manifest(
                        MANIFEST,
                        RegistryClient.OCI_MANIFEST,
                        Digest.sha256("other").toString()));
        RegistryException e = failure(client().verifyContent(true).build(), "1.4");
        assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
        assertEquals("REG-DIGEST-MISMATCH", e.code());
        assertTrue(
                e.getMessage()
                        .contains("has digest " + Digest.sha256(MANIFEST) + " but the registry said "
                                + Digest.sha256("other")),
                e.getMessage());
    }

    @Test
    void resolve_oversizedManifest_refused() {
        String big = "{\"x\":\"" + "a".repeat(100_000) + "\"}";
        routes.put("/v2/team/app/manifests/1.4", manifest(big, RegistryClient.OCI_MANIFEST, null));
        RegistryException e = failure(client().maxManifestBytes(70_000).build(), "1.4");
        assertEquals(RegistryException.Kind.FAILED, e.kind());
        assertEquals("REG-FAILED", e.code());
        assertTrue(e.getMessage().contains("is larger than 70000 bytes"), e.getMessage());
    }

    @Test
    void resolve_schema1Manifest_refused() {
        routes.put(
                "/v2/team/app/manifests/1.4",
                manifest(MANIFEST, "application/vnd.docker.distribution.manifest.v1+prettyjws", null));
        RegistryException e = failure(client().build(), "1.4");
        assertTrue(e.getMessage().contains("Docker schema 1 manifest"), e.getMessage());
    }

    @Test
    void resolve_serverError_statusAndTheRegistrysErrors() {
        routes.put(
                "/v2/team/app/manifests/1.4",
                x -> send(x, 503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}"));
        RegistryException e = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.FAILED, e.kind());
        assertEquals(503, e.status());
        assertEquals(List.of(new RegistryError("UNAVAILABLE", "maintenance")), e.errors());
        assertEquals(
                host + " answered 503 to GET http://" + host + "/v2/team/app/manifests/1.4 for team/app:1.4:"
                        + " UNAVAILABLE: maintenance",
                e.getMessage());
        assertEquals("the registry has a problem; try again later", e.hint());
    }

    @Test
    void resolve_notFound_tagOrRepository() {
        routes.put("/v2/team/app/manifests/2.0", x -> send(x, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"));
        routes.put("/v2/team/app/tags/list", x -> send(x, 200, "{\"name\":\"team/app\",\"tags\":[\"1.4\"]}"));
        RegistryException tag = failure(client().build(), "2.0");
        assertEquals(RegistryException.Kind.NOT_FOUND, tag.kind());
        assertTrue(
                tag.getMessage().startsWith("tag '2.0' not found in team/app on " + host + " (tried"),
                tag.getMessage());
        routes.put("/v2/team/app/tags/list", x -> send(x, 500, ""));
        RegistryException unsure = failure(client().build(), "2.0");
        assertTrue(unsure.getMessage().contains("(or the repository does not exist)"), unsure.getMessage());
        routes.clear();
        RegistryException repository = failure(client().build(), "2.0");
        assertTrue(repository.getMessage().startsWith("repository team/app not found"), repository.getMessage());
        assertEquals("check the repository's name and registry", repository.hint());
    }

    @Test
    void resolve_redirects_followedWithinBounds_credentialsNotCarriedElsewhere() throws Exception {
        Path auth = Files.writeString(
                tmp.resolve("auth.json"),
                "{\"auths\": {\"" + host + "\": {\"username\": \"u\", \"password\": \"p\"}}}");
        String basic = new Credentials("u", "p", "x").basicAuthorization();
        routes.put("/v2/team/app/manifests/1.4", x -> {
            if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
                send(x, 401, "");
                return;
            }
            x.getResponseHeaders().set("Location", "/elsewhere/m");
            send(x, 307, "");
        });
        routes.put("/elsewhere/m", manifest(MANIFEST, RegistryClient.OCI_MANIFEST, null));
        RegistryClient c = client().authFiles(AuthFiles.search(Optional.of(auth), Map.of(), null))
                .build();
        assertEquals(Digest.sha256(MANIFEST), c.resolve(repo(), "1.4").digest());
        assertTrue(seen.contains("GET /elsewhere/m " + basic), "same origin keeps the credentials: " + seen);

        routes.put("/v2/team/app/manifests/loop", x -> {
            x.getResponseHeaders().set("Location", "/v2/team/app/manifests/loop");
            send(x, 302, "");
        });
        RegistryException loop = failure(client().maxRedirects(3).build(), "loop");
        assertEquals(RegistryException.Kind.FAILED, loop.kind());
        assertTrue(loop.getMessage().startsWith("more than 3 redirects"), loop.getMessage());

        routes.put("/v2/team/app/manifests/away", x -> {
            x.getResponseHeaders().set("Location", "http://127.0.0.2:1/m");
            send(x, 302, "");
        });
        RegistryException away = failure(client().build(), "away");
        assertTrue(away.getMessage().contains("refusing a redirect"), away.getMessage());
    }

    @Test
    void resolve_basicChallenge_credentialsSentThenPreemptively() throws Exception {
        Path auth = Files.writeString(
                tmp.resolve("auth.json"),
                "{\"auths\": {\"" + host + "\": {\"username\": \"u\", \"password\": \"p\"}}}");
        String basic = new Credentials("u", "p", "x").basicAuthorization();
        Digest d = Digest.sha256(MANIFEST);
        routes.put("/v2/team/app/manifests/1.4", x -> {
            if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
                send(x, 401, "");
                return;
            }
            manifest(MANIFEST, RegistryClient.OCI_MANIFEST, d.toString()).handle(x);
        });
        RegistryClient c = client().authFiles(AuthFiles.search(Optional.of(auth), Map.of(), null))
                .build();
        assertEquals(d, c.resolve(repo(), "1.4").digest());
        assertEquals(d, c.resolve(repo(), "1.4").digest());
        assertEquals(
                List.of(
                        "HEAD /v2/team/app/manifests/1.4",
                        "HEAD /v2/team/app/manifests/1.4 " + basic,
                        "HEAD /v2/team/app/manifests/1.4 " + basic),
                seen);
    }

    @Test
    void resolve_basicChallengeWithoutCredentials_refusedAtOnce() {
        routes.put("/v2/team/app/manifests/1.4", x -> {
            x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
            send(x, 401, "");
        });
        RegistryException e = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.AUTH, e.kind());
        assertEquals(
                host + " requires credentials for team/app and none were found: no auth file to look for (no"
                        + " $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR or home directory)"
                        + " (401, tried HEAD http://" + host + "/v2/team/app/manifests/1.4)",
                e.getMessage());
        assertEquals(List.of("HEAD /v2/team/app/manifests/1.4"), seen, "no retry without credentials");
    }

    @Test
    void resolve_bearerChallenge_tokenFromTheRealm_cached() throws Exception {
        routes.put("/v2/team/app/manifests/1.4", x -> {
            if (!"Bearer t0k".equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders()
                        .set(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://" + host + "/token\",service=\"svc\","
                                        + "scope=\"repository:team/app:pull\"");
                send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                return;
            }
            manifest(
                            MANIFEST,
                            RegistryClient.OCI_MANIFEST,
                            Digest.sha256(MANIFEST).toString())
                    .handle(x);
        });
        routes.put("/token", x -> send(x, 200, "{\"access_token\": \"t0k\", \"expires_in\": 60}"));
        RegistryClient c = client().build();
        assertEquals(Digest.sha256(MANIFEST), c.resolve(repo(), "1.4").digest());
        assertEquals(Digest.sha256(MANIFEST), c.resolve(repo(), "1.4").digest());
        assertEquals(
                List.of(
                        "HEAD /v2/team/app/manifests/1.4",
                        "GET /token?service=svc&scope=repository%3Ateam%2Fapp%3Apull",
                        "HEAD /v2/team/app/manifests/1.4 Bearer t0k",
                        "HEAD /v2/team/app/manifests/1.4 Bearer t0k"),
                seen);
    }

    @Test
    void resolve_cachedTokenRefused_askedAgain() throws Exception {
        String[] valid = {"t1"};
        int[] issued = {0};
        routes.put("/v2/team/app/manifests/1.4", x -> {
            if (!("Bearer " + valid[0]).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + host + "/token\"");
                send(x, 401, "");
                return;
            }
            manifest(
                            MANIFEST,
                            RegistryClient.OCI_MANIFEST,
                            Digest.sha256(MANIFEST).toString())
                    .handle(x);
        });
        routes.put("/token", x -> send(x, 200, "{\"token\": \"t" + ++issued[0] + "\"}"));
        RegistryClient c = client().build();
        assertEquals(Digest.sha256(MANIFEST), c.resolve(repo(), "1.4").digest());
        valid[0] = "t2"; // t1 expired
        assertEquals(Digest.sha256(MANIFEST), c.resolve(repo(), "1.4").digest());
        assertEquals(2, issued[0]);
        assertEquals("HEAD /v2/team/app/manifests/1.4 Bearer t2", seen.get(seen.size() - 1));
    }

    @Test
    void resolve_bearerProblems_explained() {
        routes.put("/v2/team/app/manifests/1.4", x -> {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer service=\"svc\"");
            send(x, 401, "");
        });
        RegistryException noRealm = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.AUTH, noRealm.kind());
        assertTrue(noRealm.getMessage().contains("names no realm"), noRealm.getMessage());

        routes.put("/v2/team/app/manifests/1.4", x -> {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://127.0.0.2:9/token\"");
            send(x, 401, "");
        });
        RegistryException plainRealm = failure(client().build(), "1.4");
        assertTrue(plainRealm.getMessage().contains("is not HTTPS"), plainRealm.getMessage());

        routes.put("/v2/team/app/manifests/1.4", x -> {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + host + "/token\"");
            send(x, 401, "");
        });
        routes.put("/token", x -> send(x, 200, "{\"expires_in\": 60}"));
        RegistryException noToken = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.FAILED, noToken.kind());
        assertTrue(noToken.getMessage().contains("answered without a token"), noToken.getMessage());

        routes.put("/token", x -> send(x, 500, ""));
        assertTrue(failure(client().build(), "1.4").getMessage().contains("answered 500"));

        routes.put("/token", x -> send(x, 200, "{\"token\": \"t\"}"));
        RegistryException stillRefused = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.AUTH, stillRefused.kind());
        assertTrue(
                stillRefused
                        .getMessage()
                        .contains("requires credentials for team/app and none were found: no auth file to look for"),
                stillRefused.getMessage());
    }

    @Test
    void resolve_otherSchemesAndForbidden_auth() throws Exception {
        routes.put("/v2/team/app/manifests/1.4", x -> {
            x.getResponseHeaders().set("WWW-Authenticate", "Negotiate");
            send(x, 401, "");
        });
        RegistryException negotiate = failure(client().build(), "1.4");
        assertEquals(RegistryException.Kind.AUTH, negotiate.kind());
        assertTrue(
                negotiate.getMessage().contains("authentication Stockade does not speak (negotiate"),
                negotiate.getMessage());

        Path auth = Files.writeString(
                tmp.resolve("auth.json"),
                "{\"auths\": {\"" + host + "\": {\"username\": \"u\", \"password\": \"secret\"}}}");
        routes.put("/v2/team/app/manifests/1.4", x -> {
            if (x.getRequestHeaders().getFirst("Authorization") == null) {
                x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"r\"");
                send(x, 401, "");
            } else {
                send(x, 403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no pull\"}]}");
            }
        });
        RegistryException denied = failure(
                client().authFiles(AuthFiles.search(Optional.of(auth), Map.of(), null))
                        .verifyContent(true)
                        .build(),
                "1.4");
        assertEquals(403, denied.status());
        assertEquals(
                host + " denies user 'u' (credentials from " + auth + ") access to team/app (403, tried GET http://"
                        + host + "/v2/team/app/manifests/1.4): DENIED: no pull",
                denied.getMessage());
        assertFalse(denied.getMessage().contains("secret"));
    }

    @Test
    void resolve_slowAnswer_unreachableAfterTheTimeout() {
        routes.put("/v2/team/app/manifests/1.4", x -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(x, 200, MANIFEST);
        });
        RegistryException e = failure(client().timeout(Duration.ofMillis(500)).build(), "1.4");
        assertEquals(RegistryException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot reach " + host + ": no answer within 0 s"), e.getMessage());
    }

    @Test
    void build_isLazy_caFileReadOnFirstResolution() {
        RegistryClient c =
                client().caFiles(List.of(tmp.resolve("missing-ca.pem"))).build();
        InputException e = assertThrows(InputException.class, () -> c.resolve(repo(), "1.4"));
        assertEquals("PKI-READ", e.diagnostics().get(0).code());
        assertThrows(IllegalArgumentException.class, () -> c.resolve(repo(), "bad tag"));
    }

    @Test
    void builder_rejectsNonsense() {
        assertThrows(
                IllegalArgumentException.class, () -> RegistryClient.builder().timeout(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> RegistryClient.builder().connectTimeout(Duration.ofSeconds(-1)));
        assertThrows(
                IllegalArgumentException.class, () -> RegistryClient.builder().maxRedirects(-1));
        assertThrows(
                IllegalArgumentException.class, () -> RegistryClient.builder().maxManifestBytes(0));
    }

    @Test
    void manifestUri_httpsUnlessInsecure_portDefaults() {
        RegistryClient c = RegistryClient.builder()
                .insecure(Set.of("Plain.Example", "[::1]:5000"))
                .build();
        assertEquals(
                "http://plain.example/v2/a/manifests/1",
                c.manifestUri(Repository.normalize("plain.example", "a"), "1").toString());
        assertEquals(
                "https://plain.example:5000/v2/a/manifests/1",
                c.manifestUri(Repository.normalize("plain.example:5000", "a"), "1")
                        .toString());
        assertEquals(
                "http://[::1]:5000/v2/a/manifests/1",
                c.manifestUri(Repository.normalize("[::1]:5000", "a"), "1").toString());
        assertEquals("[::1]:80", RegistryClient.withPort("[::1]", 80));
        assertEquals("h:1", RegistryClient.withPort("h:1", 80));
    }
}
