package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.NodeOutput;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The proxy as {@code build} places it: nginx.conf with the careful defaults, the certificate from
 * the PKI, a unit running the pinned image read-only; with {@code pki.deliver: ssh} the key travels
 * over SSH and the proxy waits for it. (Real nginx serves this configuration in ProxyIT.)
 */
class NginxConfigTest {

    static BuildResult build(String text) throws Exception {
        LoadedSpec loaded = SpecLoader.parse("proxy.yaml", text);
        Map<String, NodeTls> tls = new HashMap<>();
        loaded.spec()
                .nodes()
                .forEach(n -> tls.put(
                        n.name(),
                        new NodeTls(
                                "CA\n",
                                "CERT\n",
                                "KEY\n",
                                Optional.empty(),
                                Optional.of(new NodeTls.Pair("PCERT\n", "PKEY\n")))));
        return ClusterBuilder.build(loaded, tls);
    }

    static String example() throws Exception {
        return Files.readString(Path.of("examples/proxy.yaml"));
    }

    static ProvisionedFile file(NodeOutput n, String path) {
        return n.plan().files().stream()
                .filter(f -> f.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path));
    }

    @Test
    void proxyNode_confCertAndUnit() throws Exception {
        BuildResult r = build(example());
        NodeOutput n = r.nodes().get(0);
        String conf = file(n, NodePlanner.PROXY_CONF).contents();
        assertEquals(
                NginxConfig.render(
                        r.spec(),
                        n.node(),
                        r.spec().proxy().orElseThrow(),
                        NodePlanner.PROXY_CERT,
                        NodePlanner.PROXY_KEY),
                conf,
                "the planned file is the renderer's text");
        assertTrue(conf.contains("proxy_temp_path " + NginxConfig.TEMP + "/proxy;"), conf);
        for (String line : List.of(
                "server_tokens off;",
                "client_max_body_size 10m;",
                "listen 80 default_server;",
                "return 444;",
                "ssl_reject_handshake on;",
                "server_name app.example.com;",
                "return 301 https://$host$request_uri;",
                "ssl_certificate /etc/ssl/proxy/proxy.pem;",
                "ssl_certificate_key /etc/ssl/proxy/proxy-key.pem;",
                "location /admin/ {\n            allow 203.0.113.0/24;\n            deny all;\n"
                        + "            proxy_pass http://127.0.0.1:9090;",
                "proxy_set_header X-Forwarded-For $remote_addr;",
                "ssl_protocols TLSv1.2 TLSv1.3;")) {
            assertTrue(conf.contains(line), line + "\n" + conf);
        }
        assertFalse(conf.contains("$proxy_add_x_forwarded_for"), "a client's X-Forwarded-For is never trusted");
        assertTrue(conf.contains("server_name api.example.com;"));
        ProvisionedFile key = file(n, NodePlanner.PROXY_KEY);
        assertEquals(0600, key.mode());
        assertEquals("PKEY\n", key.contents());
        Unit unit = n.plan().units().stream()
                .filter(u -> u.name().equals(NodePlanner.PROXY_UNIT))
                .findFirst()
                .orElseThrow();
        String text = unit.contents().orElseThrow();
        assertTrue(text.contains("/usr/bin/docker run --name stockade-proxy --network host --read-only"), text);
        assertTrue(text.contains("--cap-drop ALL"), text);
        assertTrue(text.contains(" docker.io/library/nginx@sha256:" + "0".repeat(64) + "\n"), text);
        assertTrue(unit.enable());
        assertFalse(text.contains("ConditionPathExists"), "the key is in the user data: nothing to wait for");
    }

    @Test
    void limits_fromTheSpec() throws Exception {
        String conf = file(
                        build(example()
                                        .replace(
                                                "  tls: internal\n",
                                                "  tls: internal\n  limits: {body: 1m, upstream_timeout: 5}\n"))
                                .nodes()
                                .get(0),
                        NodePlanner.PROXY_CONF)
                .contents();
        assertTrue(conf.contains("    client_max_body_size 1m;\n"), conf);
        assertTrue(conf.contains("    proxy_read_timeout 5s;\n"), conf);
        assertTrue(conf.contains("    proxy_send_timeout 5s;\n"), conf);
        String defaults =
                file(build(example()).nodes().get(0), NodePlanner.PROXY_CONF).contents();
        assertTrue(defaults.contains("    client_max_body_size 10m;\n"), defaults);
        assertTrue(defaults.contains("    proxy_read_timeout 60s;\n"), defaults);
    }

    @Test
    void plainHttp_noTls_noRedirect_unknownPathsRefused() throws Exception {
        NodeOutput n =
                build(example().replace("tls: internal", "tls: off")).nodes().get(0);
        String conf = file(n, NodePlanner.PROXY_CONF).contents();
        assertFalse(conf.contains("ssl"), conf);
        assertFalse(conf.contains("return 301"), conf);
        assertTrue(conf.contains("server_name api.example.com;"), conf);
        assertTrue(n.plan().files().stream().noneMatch(f -> f.path().startsWith(NodePlanner.PROXY_TLS_DIR)));
        String onlyApi = build(
                        example().replace("{host: api.example.com, to:", "{host: api.example.com, path: /v1/, to:"))
                .nodes()
                .get(0)
                .plan()
                .files()
                .stream()
                .filter(f -> f.path().equals(NodePlanner.PROXY_CONF))
                .findFirst()
                .orElseThrow()
                .contents();
        assertTrue(onlyApi.contains("location /v1/ {"), onlyApi);
        assertTrue(onlyApi.contains("location / {\n            return 404;\n        }"), "no route for /: " + onlyApi);
    }

    @Test
    void keyOverSsh_proxyWaitsForIt_fcosUsesPodman() throws Exception {
        String text = example()
                .replace("target: flatcar", "target: fcos")
                .replace("proxy:\n", "pki: {deliver: ssh}\nproxy:\n");
        NodeOutput n = build(text).nodes().get(1);
        assertTrue(n.plan().files().stream().noneMatch(f -> f.path().startsWith(NodePlanner.PROXY_TLS_DIR)));
        assertEquals(
                List.of(NodePlanner.PROXY_CERT, NodePlanner.PROXY_KEY),
                n.plan().overSsh().stream().map(ProvisionedFile::path).toList());
        String unit = n.plan().units().stream()
                .filter(u -> u.name().equals(NodePlanner.PROXY_UNIT))
                .findFirst()
                .orElseThrow()
                .contents()
                .orElseThrow();
        assertTrue(unit.contains("ConditionPathExists=" + NodePlanner.PROXY_KEY), unit);
        assertTrue(unit.contains("/usr/bin/podman run"), unit);
        assertTrue(unit.contains("--volume /etc/ssl/proxy:/etc/ssl/proxy:ro,Z"), unit);
        assertTrue(n.plan().units().stream().anyMatch(u -> u.name().equals("stockade-proxy-tls.path")));
    }
}
