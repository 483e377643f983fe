package dev.stockade.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One HTTP exchange with a registry or its token service, bounded in every dimension: connect
 * timeout, a deadline for the whole answer, at most {@code maxRedirects} redirects (followed here,
 * never by the JDK, so credentials are not carried to another origin and HTTPS is never downgraded),
 * and bodies read up to a limit. Every way a connection fails becomes a {@link RegistryException}
 * naming {@code host:port} and the request.
 */
final class RegistryHttp {

    /** An answer: status, headers and the body read up to the caller's limit. */
    record Response(URI uri, int status, HttpHeaders headers, byte[] body, boolean truncated) {

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        List<String> all(String name) {
            return headers.allValues(name);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static final String USER_AGENT = "stockade";
    static final int TLS_ALERT_MAX = 200;

    private final HttpClient client;
    private final Set<String> insecure;
    private final Duration timeout;
    private final int maxRedirects;

    RegistryHttp(HttpClient client, Set<String> insecure, Duration timeout, int maxRedirects) {
        this.client = client;
        this.insecure = insecure;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    /**
     * Sends {@code method} to {@code uri} with {@code accept} (may be null) and {@code authorization}
     * (may be null; sent to {@code uri}'s origin only), following redirects.
     */
    Response send(String method, URI uri, String accept, String authorization, int limit) throws RegistryException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout)
                    .header("User-Agent", USER_AGENT);
            if (accept != null) {
                b.header("Accept", accept);
            }
            if (authorization != null && sameOrigin(at, uri)) {
                b.header("Authorization", authorization);
            }
            HttpResponse<BoundedBody.Bytes> r = exchange(b.build(), limit);
            int status = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                if (hop >= maxRedirects) {
                    throw new RegistryException(
                            RegistryException.Kind.FAILED,
                            hostPort(uri),
                            "more than " + maxRedirects + " redirects for " + method + " " + uri,
                            "the registry or a proxy in front of it redirects in a loop");
                }
                at = next(at, location.get(), method, uri);
                continue;
            }
            return new Response(
                    at, status, r.headers(), r.body().content(), r.body().truncated());
        }
    }

    private URI next(URI from, String location, String method, URI original) throws RegistryException {
        URI to;
        try {
            to = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    RegistryException.Kind.FAILED,
                    hostPort(original),
                    "a redirect for " + method + " " + original + " names no valid URL",
                    "");
        }
        String scheme = String.valueOf(to.getScheme()).toLowerCase(Locale.ROOT);
        boolean plainAllowed = scheme.equals("http") && insecure.contains(hostPort(to));
        if (!(scheme.equals("https") || plainAllowed) || to.getHost() == null) {
            throw new RegistryException(
                    RegistryException.Kind.FAILED,
                    hostPort(original),
                    "refusing a redirect for " + method + " " + original + " to " + to.getScheme() + "://"
                            + to.getRawAuthority() + " (only HTTPS, or plain HTTP to a registry marked insecure)",
                    "");
        }
        return to;
    }

    private HttpResponse<BoundedBody.Bytes> exchange(HttpRequest request, int limit) throws RegistryException {
        CompletableFuture<HttpResponse<BoundedBody.Bytes>> f = client.sendAsync(request, BoundedBody.handler(limit));
        Duration deadline = timeout.plus(client.connectTimeout().orElse(Duration.ZERO));
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw unreachable(request, "no complete answer within " + deadline.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryException(
                    RegistryException.Kind.FAILED, hostPort(request.uri()), "interrupted: " + describe(request), "");
        } catch (ExecutionException e) {
            throw failure(request, e.getCause() == null ? e : e.getCause());
        }
    }

    /** Why the exchange failed, as the kind of failure a user can act on. */
    RegistryException failure(HttpRequest request, Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return unreachable(request, "no connection within " + connectSeconds() + " s", t);
        }
        if (t instanceof HttpTimeoutException) {
            return unreachable(request, "no answer within " + timeout.toSeconds() + " s", t);
        }
        if (t instanceof SSLException) {
            return tls(request, (SSLException) t);
        }
        if (has(t, UnresolvedAddressException.class) || has(t, java.net.UnknownHostException.class)) {
            return unreachable(
                    request, "cannot resolve the host name " + request.uri().getHost(), t);
        }
        if (t instanceof ConnectException) {
            String why = t.getMessage() == null || t.getMessage().isBlank() ? "connection refused" : t.getMessage();
            return unreachable(request, why.toLowerCase(Locale.ROOT), t);
        }
        if (t instanceof IOException) {
            return new RegistryException(
                    RegistryException.Kind.FAILED,
                    hostPort(request.uri()),
                    "the connection to " + hostPort(request.uri()) + " failed: " + message(t) + " (" + describe(request)
                            + ")",
                    "",
                    0,
                    List.of(),
                    t);
        }
        return new RegistryException(
                RegistryException.Kind.FAILED,
                hostPort(request.uri()),
                describe(request) + " failed: " + message(t),
                "",
                0,
                List.of(),
                t);
    }

    private RegistryException unreachable(HttpRequest request, String why, Throwable cause) {
        String where = hostPort(request.uri());
        return new RegistryException(
                RegistryException.Kind.UNREACHABLE,
                where,
                "cannot reach " + where + ": " + why + " (" + describe(request) + ")",
                "check the registry's name and port, that it runs, and the network or proxy between",
                0,
                List.of(),
                cause);
    }

    private RegistryException tls(HttpRequest request, SSLException e) {
        String where = hostPort(request.uri());
        String message;
        String hint;
        if (has(e, CertificateExpiredException.class) || has(e, CertificateNotYetValidException.class)) {
            message = "the TLS certificate of " + where + " is expired or not yet valid";
            hint = "renew the registry's certificate, or check this machine's clock";
        } else if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
            message = "the TLS certificate of " + where + " is not trusted: it does not chain to a known CA";
            hint = "pass the CA certificate that signed it (PEM) with --ca-file FILE";
        } else if (String.valueOf(deepest(e).getMessage()).contains("subject alternative name")
                || String.valueOf(deepest(e).getMessage()).contains("No name matching")) {
            message = "the TLS certificate of " + where + " is not issued for "
                    + request.uri().getHost();
            hint = "use the name the certificate was issued for, or reissue it with this name as a SAN";
        } else {
            message = "the TLS handshake with " + where + " failed: " + message(e);
            hint = "is this an HTTPS port? a registry that speaks plain HTTP must be marked insecure"
                    + " (--insecure-registry " + where + "), which is dangerous";
        }
        return new RegistryException(
                RegistryException.Kind.TLS, where, message + " (" + describe(request) + ")", hint, 0, List.of(), e);
    }

    private long connectSeconds() {
        return client.connectTimeout().orElse(Duration.ZERO).toSeconds();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
                && hostPort(a).equals(hostPort(b));
    }

    /** {@code host:port} of {@code uri}, with the scheme's default port when it has none. */
    static String hostPort(URI uri) {
        String host = String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        return host + ":" + port;
    }

    static String describe(HttpRequest request) {
        return "tried " + request.method() + " " + request.uri();
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable deepest(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        m = dev.stockade.report.Diagnostic.oneLine(m);
        return m.length() > TLS_ALERT_MAX ? m.substring(0, TLS_ALERT_MAX) + "..." : m;
    }
}
