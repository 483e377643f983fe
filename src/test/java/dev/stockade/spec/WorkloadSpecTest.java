package dev.stockade.spec;

import static dev.stockade.spec.ProxySpecTest.EXAMPLE;
import static dev.stockade.spec.ProxySpecTest.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec's {@code workloads:} as loaded and checked, from the example and from broken variants. */
class WorkloadSpecTest {

    static final String APP = "registry.example.com/web/app:2.3@sha256:" + "1".repeat(64);

    @Test
    void example_twoWorkloads_pinned_withNodesArgsAndEnv() throws Exception {
        ClusterSpec s = SpecLoader.parse("proxy.yaml", EXAMPLE).spec();
        assertEquals(2, s.workloads().size());
        WorkloadSpec app = s.workloads().get(0);
        assertEquals("app", app.name());
        assertEquals(APP, app.image());
        assertEquals(List.of("--listen", "127.0.0.1:8080", "--admin-listen", "127.0.0.1:9090"), app.args());
        assertEquals(Map.of("APP_MODE", "production"), app.env());
        assertTrue(app.runsOn("web-1") && app.runsOn("web-2"), "no nodes: every node");
        WorkloadSpec api = s.workloads().get(1);
        assertTrue(api.runsOn("web-1"));
        assertTrue(!api.runsOn("web-2"));
        assertEquals("stockade-workload-api.service", api.unit());
        assertEquals("stockade-api", api.container());
        assertEquals(
                List.of("proxy-http", "proxy-https"),
                s.services().stream().map(ServiceSpec::name).toList(),
                "workloads open no port");
        ClusterSpec caps = SpecLoader.parse(
                        "p.yaml",
                        EXAMPLE.replace("env: {APP_MODE: production}", "capabilities: [cap_net_bind_service]"))
                .spec();
        assertEquals(List.of("NET_BIND_SERVICE"), caps.workloads().get(0).capabilities());
    }

    @Test
    void etcdImage_onFcos_pinnedOrWarned() throws Exception {
        String fcos = java.nio.file.Files.readString(java.nio.file.Path.of("examples/demo.yaml"))
                .replace("target: flatcar ", "target: fcos ")
                .replace("updates: etcd-lock", "updates: reboot");
        LoadedSpec byTag = SpecLoader.parse("f.yaml", fcos);
        assertTrue(
                byTag.warnings().stream()
                        .anyMatch(w -> w.code().equals("SPEC-ETCD-IMAGE")
                                && w.message().contains(EtcdSpec.FCOS_IMAGE + " by tag")),
                byTag.warnings().toString());
        String pinnedImage = "quay.io/coreos/etcd:v3.5.17@sha256:" + "e".repeat(64);
        LoadedSpec pinned = SpecLoader.parse(
                "f.yaml", fcos.replace("etcd: {tls: true,", "etcd: {image: \"" + pinnedImage + "\", tls: true,"));
        assertEquals(
                java.util.Optional.of(pinnedImage),
                pinned.spec().etcd().orElseThrow().image());
        assertTrue(
                pinned.warnings().stream().noneMatch(w -> w.code().equals("SPEC-ETCD-IMAGE")),
                pinned.warnings().toString());
        LoadedSpec flatcar = SpecLoader.parse(
                "f.yaml",
                fcos.replace("target: fcos ", "target: flatcar ")
                        .replace("etcd: {tls: true,", "etcd: {image: \"" + pinnedImage + "\", tls: true,"));
        assertTrue(
                flatcar.warnings().stream()
                        .anyMatch(w -> w.message().startsWith("etcd.image has no effect on flatcar")),
                flatcar.warnings().toString());
        errorAt(
                fcos.replace("etcd: {tls: true,", "etcd: {image: quay.io/coreos/etcd:v3.5.17, tls: true,"),
                "SPEC-IMAGE",
                "quay.io/coreos/etcd:v3.5.17,",
                "etcd.image 'quay.io/coreos/etcd:v3.5.17' is not pinned by digest");
    }

    @Test
    void badEntries_eachAClearErrorAtItsValue() {
        errorAt(
                EXAMPLE.replace(APP, "registry.example.com/web/app:2.3"),
                "SPEC-IMAGE",
                "registry.example.com/web/app:2.3",
                "workload image 'registry.example.com/web/app:2.3' is not pinned by digest");
        errorAt(EXAMPLE.replace("nodes: [web-1]", "nodes: [web-3]"), "SPEC-REF", "web-3]", "workload node 'web-3'");
        errorAt(
                EXAMPLE.replace("name: api", "name: app"),
                "SPEC-DUPLICATE",
                "app\n    image: registry.example.com/web/api",
                "workload 'app' is defined twice");
        errorAt(EXAMPLE.replace("name: api", "name: Api_1"), "SPEC-NAME", "Api_1", "workload name 'Api_1'");
        errorAt(
                EXAMPLE.replace("APP_MODE: production", "1MODE: x"),
                "SPEC-VALUE",
                "1MODE",
                "not an environment variable name");
        errorAt(
                EXAMPLE.replace("APP_MODE: production", "HOME: $HOME"),
                "SPEC-VALUE",
                "$HOME",
                "'$HOME' contains '$', '%', '\\' or a control character");
        errorAt(
                EXAMPLE.replace("--listen, \"127.0.0.1:8081\"", "--listen, \"100%\""),
                "SPEC-VALUE",
                "\"100%\"",
                "an argument '100%'");
        errorAt(
                EXAMPLE.replace("env: {APP_MODE: production}", "env: [A]"),
                "SPEC-TYPE",
                "[A]",
                "workload env must be a mapping");
        errorAt(
                EXAMPLE.replace("env: {APP_MODE: production}", "capabilities: [ALL]"),
                "SPEC-VALUE",
                "ALL]",
                "'ALL' is not a capability to keep");
        errorAt(
                EXAMPLE.replace("    nodes: [web-1]\n", "    nodes: [web-1]\n    ports: [80]\n"),
                "SPEC-UNKNOWN-KEY",
                "ports: [80]",
                "unknown key 'ports' in a workload");
    }
}
