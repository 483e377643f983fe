package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.NodeOutput;
import dev.stockade.images.ImageChecks;
import dev.stockade.images.ImageScan;
import dev.stockade.spec.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workloads and the proxy as units that run their pinned containers, per target. */
class ContainerUnitTest {

    static String unit(NodeOutput n, String name) {
        return n.plan().units().stream()
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no unit " + name))
                .contents()
                .orElseThrow();
    }

    @Test
    void workloads_onTheirNodes_pinnedHostNetworkNoCapabilities() throws Exception {
        List<NodeOutput> nodes =
                NginxConfigTest.build(NginxConfigTest.example()).nodes();
        NodeOutput web1 = nodes.get(0);
        String app = unit(web1, "stockade-workload-app.service");
        assertEquals(
                "ExecStart=/usr/bin/docker run --name stockade-app --network host --security-opt no-new-privileges"
                        + " --cap-drop ALL --env APP_MODE=production registry.example.com/web/app:2.3@sha256:"
                        + "1".repeat(64) + " --listen 127.0.0.1:8080 --admin-listen 127.0.0.1:9090",
                app.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow());
        assertTrue(app.contains("ExecStartPre=-/usr/bin/docker rm --force stockade-app\n"), app);
        assertTrue(app.contains("Requires=docker.service\n"), app);
        assertTrue(app.contains("[Install]\nWantedBy=multi-user.target\n"), app);
        assertTrue(web1.plan().units().stream().anyMatch(u -> u.name().equals("stockade-workload-api.service")));
        NodeOutput web2 = nodes.get(1);
        assertTrue(web2.plan().units().stream().noneMatch(u -> u.name().equals("stockade-workload-api.service")));
        unit(web2, "stockade-workload-app.service");
    }

    @Test
    void podmanOnFcos_capabilitiesKept_wordsQuoted() throws Exception {
        String text = NginxConfigTest.example()
                .replace("target: flatcar", "target: fcos")
                .replace(
                        "env: {APP_MODE: production}",
                        "env: {GREETING: \"say \\\"hi\\\"\"}\n    capabilities: [NET_BIND_SERVICE]");
        String app = unit(NginxConfigTest.build(text).nodes().get(0), "stockade-workload-app.service");
        assertTrue(
                app.contains("/usr/bin/podman run --name stockade-app --network host --security-opt no-new-privileges"
                        + " --cap-drop ALL --cap-add NET_BIND_SERVICE --env \"GREETING=say \\\"hi\\\"\" registry"),
                app);
        assertTrue(!app.contains("docker.service"), app);
        assertEquals("plain", ContainerUnit.word("plain"));
        assertEquals("\"a b\"", ContainerUnit.word("a b"));
        assertEquals(ContainerUnit.engine(Target.FCOS), "/usr/bin/podman");
    }

    @Test
    void etcdOnFcos_runsThePinnedImage_orTheDefaultTag() throws Exception {
        String fcos = java.nio.file.Files.readString(java.nio.file.Path.of("examples/demo.yaml"))
                .replace("target: flatcar ", "target: fcos ")
                .replace("updates: etcd-lock", "updates: reboot");
        String pinned = "quay.io/coreos/etcd:v3.5.17@sha256:" + "e".repeat(64);
        String unit = unit(
                NginxConfigTest.build(fcos.replace("etcd: {tls: true,", "etcd: {image: \"" + pinned + "\", tls: true,"))
                        .nodes()
                        .get(0),
                "etcd-member.service");
        assertTrue(unit.contains(":ro,Z " + pinned + "\n"), unit);
        String byTag = unit(NginxConfigTest.build(fcos).nodes().get(0), "etcd-member.service");
        assertTrue(byTag.contains(":ro,Z " + dev.stockade.spec.EtcdSpec.FCOS_IMAGE + "\n"), byTag);
    }

    @Test
    void everyImageTheBuildRuns_isPinned_asImagesCheckReadsTheUnits() throws Exception {
        for (NodeOutput n : NginxConfigTest.build(NginxConfigTest.example()).nodes()) {
            for (var u : n.plan().units()) {
                if (u.contents().isEmpty()) {
                    continue;
                }
                ImageScan.Scan s = ImageScan.scan(u.name(), u.contents().get());
                assertEquals(List.of(), ImageChecks.check(s.images()), u.name());
                if (u.name().startsWith("stockade-workload-") || u.name().equals(NodePlanner.PROXY_UNIT)) {
                    assertEquals(1, s.images().size(), u.name());
                    assertTrue(ImageChecks.pinned(s.images().get(0).reference()), u.name());
                }
            }
        }
    }
}
