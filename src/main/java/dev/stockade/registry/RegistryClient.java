package dev.stockade.registry;

import dev.stockade.report.InputException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves image tags to manifest digests with the OCI distribution API.
 *
 * <p>A resolution sends {@code HEAD /v2/<name>/manifests/<tag>} accepting the four manifest types
 * (OCI image index and manifest, Docker manifest list and manifest v2) and takes the digest from the
 * {@code Docker-Content-Digest} header. When the header is missing or not sha256, when the answer is
 * not a success (to read the registry's error document), or when {@link Builder#verifyContent} asks
 * for it, it sends {@code GET} instead, reads the manifest (at most {@link Builder#maxManifestBytes})
 * and computes its sha256, which must equal the header when there is one.
 *
 * <p>Authentication follows the registry's {@code 401} challenge: {@code Basic} sends the user's
 * credentials; {@code Bearer} (the docker token protocol) asks the challenge's realm for a token
 * with its service and scope, with the credentials when there are any (anonymous otherwise), and
 * retries with the token. Credentials come from {@link AuthFiles}, read only when a registry asks.
 * A registry's challenge is remembered, so later repositories on it get their token (or Basic
 * credentials) without a refused first request. Tokens are cached per realm, service and scope for
 * the life of the client.
 *
 * <p>Transport: HTTPS only, trusting the JDK's CAs plus the caller's; plain HTTP only for the
 * registries the caller marks insecure. Nothing is set up when the client is built: the HTTP
 * client, the trust store and the auth files are made on the first resolution. A client is
 * thread-safe.
 */
public final class RegistryClient {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** Every manifest type a resolution accepts, as one Accept header. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    static final int MAX_TOKEN_BYTES = 1 << 20;
    static final int MAX_ERROR_BYTES = 64 << 10;

    private final List<Path> caFiles;
    private final Set<String> insecure;
    private final AuthFiles authFiles;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int maxRedirects;
    private final int maxManifestBytes;
    private final boolean verifyContent;

    private RegistryHttp http; // made on first use
    private final Map<String, Challenge> challenges = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();

    private RegistryClient(Builder b) {
        this.caFiles = List.copyOf(b.caFiles);
        this.insecure = Set.copyOf(b.insecure);
        this.authFiles = b.authFiles != null ? b.authFiles : AuthFiles.forThisUser(Optional.empty());
        this.connectTimeout = b.connectTimeout;
        this.timeout = b.timeout;
        this.maxRedirects = b.maxRedirects;
        this.maxManifestBytes = b.maxManifestBytes;
        this.verifyContent = b.verifyContent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a client; every one has a safe default. */
    public static final class Builder {
        private final List<Path> caFiles = new ArrayList<>();
        private final Set<String> insecure = new LinkedHashSet<>();
        private AuthFiles authFiles;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRedirects = 5;
        private int maxManifestBytes = 4 << 20;
        private boolean verifyContent;

        private Builder() {}

        /** PEM files of CA certificates to trust besides the JDK's (read on the first resolution). */
        public Builder caFiles(List<Path> files) {
            caFiles.addAll(files);
            return this;
        }

        /**
         * Registries ({@code host[:port]}, port 80 when left out) to reach over plain HTTP. Dangerous:
         * anyone on the path reads the credentials and can answer any digest.
         */
        public Builder insecure(Set<String> registries) {
            registries.forEach(r -> insecure.add(withPort(r.toLowerCase(Locale.ROOT), 80)));
            return this;
        }

        /** Where credentials come from; default: {@link AuthFiles#forThisUser} without an explicit file. */
        public Builder authFiles(AuthFiles files) {
            authFiles = Objects.requireNonNull(files, "files");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = positive(d);
            return this;
        }

        /** The longest wait for a whole answer (headers and body) of each request. */
        public Builder timeout(Duration d) {
            timeout = positive(d);
            return this;
        }

        public Builder maxRedirects(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRedirects < 0");
            }
            maxRedirects = n;
            return this;
        }

        /** The largest manifest read (default 4 MiB, what the distribution spec asks registries to accept). */
        public Builder maxManifestBytes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxManifestBytes < 1");
            }
            maxManifestBytes = n;
            return this;
        }

        /** Always download the manifest and check its sha256, instead of trusting a HEAD answer's header. */
        public Builder verifyContent(boolean v) {
            verifyContent = v;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a timeout must be positive: " + d);
            }
            return d;
        }
    }

    /**
     * The digest of the manifest {@code tag} names in {@code repository}.
     *
     * @throws RegistryException when the registry cannot be reached or trusted, refuses, does not
     *     have the tag, or answers something unusable
     * @throws InputException when a CA file or an auth file cannot be read or is malformed
     * @throws IllegalArgumentException when {@code tag} is not a valid tag
     */
    public Resolution resolve(Repository repository, String tag) throws RegistryException, InputException {
        if (!Repository.isTag(tag)) {
            throw new IllegalArgumentException("not a tag: '" + tag + "'");
        }
        RegistryHttp h = http();
        URI uri = manifestUri(repository, tag);
        Exchange x = new Exchange(h, repository);
        if (!verifyContent) {
            RegistryHttp.Response head = x.send("HEAD", uri, ACCEPT, 0);
            Optional<Digest> announced =
                    Digest.parse(head.header("Docker-Content-Digest").orElse(null));
            if (head.status() == 200 && announced.isPresent() && announced.get().isSha256()) {
                return new Resolution(repository, tag, announced.get(), mediaType(head), false);
            }
        }
        RegistryHttp.Response get = x.send("GET", uri, ACCEPT, maxManifestBytes);
        if (get.status() == 404) {
            throw RegistryFailures.notFound(get, repository, tag, "GET " + uri, repositoryExists(x, repository));
        }
        if (get.status() != 200) {
            throw RegistryFailures.status(get, repository, tag, "GET " + uri);
        }
        return verified(repository, tag, get, uri);
    }

    private Resolution verified(Repository repository, String tag, RegistryHttp.Response get, URI uri)
            throws RegistryException {
        String where = RegistryHttp.hostPort(uri);
        if (get.truncated()) {
            throw new RegistryException(
                    RegistryException.Kind.FAILED,
                    where,
                    "the manifest of " + repository + ":" + tag + " is larger than " + maxManifestBytes
                            + " bytes (tried GET " + uri + ")",
                    "a manifest is a few KiB; is this a registry?");
        }
        String type = mediaType(get);
        if (type.contains("v1+prettyjws") || type.equals("application/vnd.docker.distribution.manifest.v1+json")) {
            throw new RegistryException(
                    RegistryException.Kind.FAILED,
                    where,
                    repository + ":" + tag + " is a Docker schema 1 manifest (" + type
                            + "), which has no stable digest",
                    "push the image again with a current client (schema 2 or OCI)");
        }
        Digest computed = Digest.sha256(get.body());
        Optional<Digest> announced =
                Digest.parse(get.header("Docker-Content-Digest").orElse(null));
        if (announced.isPresent()
                && announced.get().isSha256()
                && !announced.get().equals(computed)) {
            throw new RegistryException(
                    RegistryException.Kind.DIGEST_MISMATCH,
                    where,
                    "the manifest of " + repository + ":" + tag + " has digest " + computed + " but the registry said "
                            + announced.get() + " (tried GET " + uri + ")",
                    "a proxy or the registry altered the manifest; do not pin this digest");
        }
        return new Resolution(repository, tag, computed, type, true);
    }

    /**
     * Whether the repository exists, asked after its manifest was not found: registries answer
     * {@code MANIFEST_UNKNOWN} for a tag of a missing repository too, but {@code NAME_UNKNOWN} (404)
     * to its tag list. Empty when the answer does not say.
     */
    private Optional<Boolean> repositoryExists(Exchange x, Repository repository) {
        URI tags = manifestUri(repository, "latest").resolve("../tags/list?n=1");
        try {
            RegistryHttp.Response r = x.send("GET", tags, "application/json", MAX_ERROR_BYTES);
            if (r.status() == 200) {
                return Optional.of(true);
            }
            if (r.status() == 404
                    && RegistryError.parse(r.text()).stream()
                            .anyMatch(e -> e.code().equals("NAME_UNKNOWN"))) {
                return Optional.of(false);
            }
        } catch (RegistryException | InputException e) {
            // the tag is missing either way; the message only says less
        }
        return Optional.empty();
    }

    private static String mediaType(RegistryHttp.Response r) {
        String t = r.header("Content-Type").orElse("");
        int semi = t.indexOf(';');
        return (semi >= 0 ? t.substring(0, semi) : t).trim().toLowerCase(Locale.ROOT);
    }

    URI manifestUri(Repository repository, String tag) {
        String registry = repository.registry();
        String scheme = insecure.contains(withPort(registry, 80)) ? "http" : "https";
        return URI.create(scheme + "://" + registry + "/v2/" + repository.name() + "/manifests/" + tag);
    }

    private synchronized RegistryHttp http() throws InputException {
        if (http == null) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connectTimeout)
                    .sslContext(TrustedCertificates.context(TrustedCertificates.read(caFiles)))
                    .build();
            http = new RegistryHttp(client, insecure, timeout, maxRedirects);
        }
        return http;
    }

    /** {@code host:port}, adding {@code port} when {@code registry} has none (IPv6 literals in brackets). */
    static String withPort(String registry, int port) {
        int colon = registry.lastIndexOf(':');
        return colon > registry.lastIndexOf(']') ? registry : registry + ":" + port;
    }

    /** The requests of one resolution, with the authorization they earned. */
    private final class Exchange {
        private final RegistryHttp h;
        private final Repository repository;
        private String authorization;
        private Optional<Credentials> used = Optional.empty();
        private String searched = "";

        Exchange(RegistryHttp h, Repository repository) {
            this.h = h;
            this.repository = repository;
        }

        RegistryHttp.Response send(String method, URI uri, String accept, int limit)
                throws RegistryException, InputException {
            if (authorization == null) {
                Challenge known = known(repository.registry());
                if (known != null) {
                    authorization = authorize(known);
                }
            }
            RegistryHttp.Response r = h.send(method, uri, accept, authorization, Math.max(limit, MAX_ERROR_BYTES));
            if (r.status() == 401) {
                Challenge c = pick(Challenge.parse(r.all("WWW-Authenticate")), uri);
                remember(repository.registry(), c);
                if (authorization != null) {
                    forget(authorization); // a cached token expired or lost its grant: ask again
                }
                authorization = authorize(c);
                if (authorization == null) {
                    throw refused(r, method + " " + uri); // Basic, and no credentials to send
                }
                r = h.send(method, uri, accept, authorization, Math.max(limit, MAX_ERROR_BYTES));
            }
            if (r.status() == 401 || r.status() == 403) {
                throw refused(r, method + " " + uri);
            }
            return r;
        }

        private Challenge pick(List<Challenge> offered, URI uri) throws RegistryException {
            for (String scheme : List.of("bearer", "basic")) {
                for (Challenge c : offered) {
                    if (c.scheme().equals(scheme)) {
                        return c;
                    }
                }
            }
            throw new RegistryException(
                    RegistryException.Kind.AUTH,
                    RegistryHttp.hostPort(uri),
                    RegistryHttp.hostPort(uri) + " asks for authentication Stockade does not speak ("
                            + (offered.isEmpty()
                                    ? "no WWW-Authenticate header"
                                    : offered.get(0).scheme())
                            + "; tried " + uri + ")",
                    "Stockade supports Basic and Bearer (token) authentication");
        }

        /** The Authorization header for {@code c}: Basic credentials, or a Bearer token from its realm. */
        private String authorize(Challenge c) throws RegistryException, InputException {
            AuthFiles.Lookup found = authFiles.find(repository);
            used = found.credentials();
            searched = found.searched();
            if (c.scheme().equals("basic")) {
                if (used.isEmpty()) {
                    return null; // refused, and reported with where credentials were sought
                }
                return used.get().basicAuthorization();
            }
            return "Bearer " + token(c);
        }

        private String token(Challenge c) throws RegistryException, InputException {
            String registry = RegistryHttp.hostPort(URI.create("https://" + repository.registry()));
            String realm = c.param("realm")
                    .orElseThrow(() -> new RegistryException(
                            RegistryException.Kind.AUTH,
                            registry,
                            "the Bearer challenge of " + registry + " names no realm",
                            "the registry's token authentication is misconfigured"));
            String scope = c.param("scope")
                    .filter(s -> s.startsWith("repository:" + repository.name() + ":"))
                    .orElse("repository:" + repository.name() + ":pull");
            StringBuilder query = new StringBuilder();
            c.param("service")
                    .ifPresent(s -> query.append("service=").append(encode(s)).append('&'));
            query.append("scope=").append(encode(scope));
            String key = realm + "\n" + query + "\n"
                    + used.map(Credentials::username).orElse("");
            synchronized (tokens) {
                String cached = tokens.get(key);
                if (cached != null) {
                    return cached;
                }
            }
            URI realmUri;
            try {
                realmUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            } catch (IllegalArgumentException e) {
                throw new RegistryException(
                        RegistryException.Kind.AUTH, registry, "the token realm of " + registry + " is not a URL", "");
            }
            boolean plain =
                    "http".equalsIgnoreCase(realmUri.getScheme()) && insecure.contains(RegistryHttp.hostPort(realmUri));
            if (!"https".equalsIgnoreCase(realmUri.getScheme()) && !plain) {
                throw new RegistryException(
                        RegistryException.Kind.AUTH,
                        registry,
                        "the token realm of " + registry + " is not HTTPS: " + realmUri.getScheme() + "://"
                                + realmUri.getRawAuthority(),
                        "mark it insecure only if you accept that credentials travel in the clear");
            }
            RegistryHttp.Response r = h.send(
                    "GET",
                    realmUri,
                    "application/json",
                    used.map(Credentials::basicAuthorization).orElse(null),
                    MAX_TOKEN_BYTES);
            String token = RegistryFailures.token(r, registry, realmUri, used, searched);
            synchronized (tokens) {
                tokens.put(key, token);
            }
            return token;
        }

        private void forget(String authorization) {
            synchronized (tokens) {
                tokens.values().removeIf(t -> authorization.equals("Bearer " + t));
            }
        }

        private RegistryException refused(RegistryHttp.Response r, String tried) {
            return RegistryFailures.refused(r, repository, used, searched, tried);
        }
    }

    private Challenge known(String registry) {
        synchronized (challenges) {
            return challenges.get(registry);
        }
    }

    private void remember(String registry, Challenge c) {
        synchronized (challenges) {
            challenges.put(registry, c);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
