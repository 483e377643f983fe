package dev.stockade.spec;

import static dev.stockade.spec.SpecLoaderTest.assertAt;
import static dev.stockade.spec.SpecLoaderTest.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's {@code proxy:} section as loaded and checked, from the example and from broken variants. */
class ProxySpecTest {

    static final String EXAMPLE = read();

    static String read() {
        try {
            return Files.readString(Path.of("examples/proxy.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The line and column (1-based) where {@code needle} begins in {@code text}. */
    static int[] at(String text, String needle) {
        int i = text.indexOf(needle);
        assertTrue(i >= 0, needle);
        String before = text.substring(0, i);
        return new int[] {(int) before.chars().filter(c -> c == '\n').count() + 1, i - before.lastIndexOf('\n')};
    }

    static void errorAt(String text, String code, String needle, String message) {
        Diagnostic d = onlyError(text);
        int[] where = at(text, needle);
        assertAt(d, code, where[0], where[1]);
        assertTrue(d.message().contains(message), d.toString());
    }

    @Test
    void example_routesTlsAndTheProxysPortsAsServices() throws Exception {
        ClusterSpec s = SpecLoader.parse("proxy.yaml", EXAMPLE).spec();
        ProxySpec p = s.proxy().orElseThrow();
        assertTrue(p.tls() instanceof ProxySpec.Internal);
        assertEquals(List.of("app.example.com", "api.example.com"), p.hosts());
        assertEquals(3, p.routes().size());
        ProxySpec.Route admin = p.routes().get(1);
        assertEquals("/admin/", admin.path());
        assertEquals("127.0.0.1:9090", admin.upstream().toString());
        assertEquals(
                List.of("office"), admin.from().stream().map(SourceRef::text).toList());
        assertEquals("/", p.routes().get(0).path(), "a route without a path serves everything");
        assertEquals(
                List.of("proxy-http", "proxy-https"),
                s.services().stream().map(ServiceSpec::name).toList(),
                "the proxy's ports are services like any other");
        assertEquals("[::1]:8080", new ProxySpec.Upstream("::1", 8080).toString());
        ClusterSpec plain = SpecLoader.parse("p.yaml", EXAMPLE.replace("tls: internal", "tls: off"))
                .spec();
        assertEquals(
                List.of("proxy-http"),
                plain.services().stream().map(ServiceSpec::name).toList());
        ProxySpec files = SpecLoader.parse(
                        "p.yaml",
                        EXAMPLE.replace("tls: internal", "tls: {cert: /etc/ssl/app.pem, key: /etc/ssl/app-key.pem}"))
                .spec()
                .proxy()
                .orElseThrow();
        assertEquals(new ProxySpec.Files("/etc/ssl/app.pem", "/etc/ssl/app-key.pem"), files.tls());
    }

    @Test
    void limits_defaultsAndOwnValues_badOnesAtTheirValue() throws Exception {
        assertEquals(
                ProxySpec.Limits.DEFAULT,
                SpecLoader.parse("p.yaml", EXAMPLE).spec().proxy().orElseThrow().limits());
        assertEquals(new ProxySpec.Limits("10m", 60), ProxySpec.Limits.DEFAULT);
        String own = EXAMPLE.replace(
                "  tls: internal\n", "  tls: internal\n  limits: {body: 512k, upstream_timeout: 300s}\n");
        assertEquals(
                new ProxySpec.Limits("512k", 300),
                SpecLoader.parse("p.yaml", own).spec().proxy().orElseThrow().limits());
        errorAt(own.replace("512k", "1g"), "SPEC-VALUE", "1g", "proxy.limits.body '1g' is not a size");
        errorAt(own.replace("300s", "1h"), "SPEC-VALUE", "1h", "proxy.limits.upstream_timeout '1h' is not 1 to 3600");
        errorAt(own.replace("300s", "3601"), "SPEC-VALUE", "3601", "is not 1 to 3600 seconds");
    }

    @Test
    void badEntries_eachAClearErrorAtItsValue() {
        String image = "docker.io/library/nginx@sha256:" + "0".repeat(64);
        errorAt(
                EXAMPLE.replace(image, "nginx:latest"),
                "SPEC-IMAGE",
                "nginx:latest",
                "proxy.image 'nginx:latest' is not pinned by digest");
        errorAt(
                EXAMPLE.replace("to: \"127.0.0.1:8081\"", "to: \"198.51.100.7:8081\""),
                "SPEC-VALUE",
                "\"198.51.100.7:8081\"",
                "the upstream must be on the node's loopback or a private address");
        errorAt(
                EXAMPLE.replace("to: \"127.0.0.1:8081\"", "to: \"localhost\""),
                "SPEC-VALUE",
                "\"localhost\"",
                "'localhost' is not ADDRESS:PORT");
        errorAt(
                EXAMPLE.replace("path: /admin/", "path: \"/a b;\""),
                "SPEC-VALUE",
                "\"/a b;\"",
                "route path '/a b;' must begin with /");
        errorAt(
                EXAMPLE.replace("host: api.example.com", "host: App_Example"),
                "SPEC-VALUE",
                "App_Example",
                "route host 'App_Example' is not a DNS name");
        errorAt(
                EXAMPLE.replace("tls: internal", "tls: yes-please"),
                "SPEC-VALUE",
                "yes-please",
                "unknown proxy.tls 'yes-please'");
        errorAt(
                EXAMPLE.replace("path: /admin/, to: \"127.0.0.1:9090\"", "to: \"127.0.0.1:9090\""),
                "SPEC-DUPLICATE",
                "{host: app.example.com, to: \"127.0.0.1:9090\"",
                "route app.example.com/ is defined twice (first at line");
    }

    @Test
    void servicesMayNotOpenTheProxysPortsOrItsBackends() {
        String withService = EXAMPLE.replace("proxy:\n", "services:\n  - {name: web, port: 443, from: any}\nproxy:\n");
        errorAt(
                withService,
                "SPEC-PORT-CONFLICT",
                "{name: web, port",
                "service 'web' opens tcp port 443, which the proxy serves");
        String backend = EXAMPLE.replace("to: \"127.0.0.1:8081\"", "to: \"10.250.0.22:8081\"")
                .replace("proxy:\n", "services:\n  - {name: api, port: 8081, from: [office]}\nproxy:\n");
        errorAt(
                backend,
                "SPEC-PORT-CONFLICT",
                "{name: api",
                "service 'api' opens port 8081 on web-2, the backend of route api.example.com/");
        Diagnostic none = onlyError(EXAMPLE.replaceAll("(?s)  routes:.*", "  routes: []\n"));
        assertEquals("SPEC-VALUE", none.code());
        assertEquals("the proxy has no routes", none.message());
        errorAt(
                EXAMPLE.replace("name: web-2,", "name: proxy,"),
                "SPEC-NAME",
                "image:",
                "the name 'proxy' is taken by a node or a pki client");
    }
}
