package dev.stockade.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixtures under src/test/resources/images hold every kind of file images check reads; each
 * mutable reference in them is listed here with its exact line and column, read off the files by
 * hand.
 */
class ImageScanTest {

    static final Path DIR = Path.of("src/test/resources/images");

    static final List<String> EXPECTED = List.of(
            "web.service:7:36 IMG-TAG quay.io/team/web:1.4",
            "web.service:11:5 IMG-NO-TAG nginx",
            "web.service:12:66 IMG-LATEST ghcr.io/example/probe:latest",
            "web.service:13:72 IMG-TAG registry.example:5000/tools/backup:2026.1",
            "web.service:14:32 IMG-VARIABLE ${IMAGE}",
            "web.service:16:31 IMG-REF Bad/Name:1",
            "web.service:17:62 IMG-TAG quay.io/coreos/etcd:v3.3.25",
            "cache.container:5:7 IMG-TAG docker.io/library/redis:7.2",
            "deploy.yaml:10:19 IMG-NO-TAG registry.example/api-migrate",
            "deploy.yaml:15:18 IMG-TAG envoyproxy/envoy:v1.30.1",
            "deploy.yaml:28:23 IMG-LATEST alpine:latest",
            "compose.yaml:3:12 IMG-NO-TAG postgres",
            "compose.yaml:5:12 IMG-TAG nginx:1.27-alpine",
            "user-data.yml:9:22 IMG-TAG quay.io/example/app:2.0",
            "user-data.yml:17:20 IMG-NO-TAG registry.k8s.io/pause",
            "edge.ign:10:122 IMG-LATEST ghcr.io/example/edge:latest",
            "edge.ign:17:72 IMG-NO-TAG alpine",
            // a data URL: the reference is encoded, so the finding names the URL
            "edge.ign:29:21 IMG-TAG busybox:1.36",
            "deploy.sh:5:13 IMG-TAG registry.example/report:2.1",
            "deploy.sh:6:19 IMG-TAG registry.example/report:2.1",
            "deploy.sh:7:16 IMG-VARIABLE $IMAGE");

    static List<String> fixtures() {
        return List.of(
                "web.service",
                "cache.container",
                "deploy.yaml",
                "compose.yaml",
                "user-data.yml",
                "edge.ign",
                "deploy.sh");
    }

    static ImageScan.Scan scan(String name) throws IOException {
        return ImageScan.scan(name, Files.readString(DIR.resolve(name)));
    }

    @Test
    void fixtures_everyMutableReference_atItsExactPlace() throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : fixtures()) {
            ImageScan.Scan s = scan(name);
            assertEquals(List.of(), s.problems(), name);
            List<Finding> findings = ImageChecks.check(s.images());
            for (Finding f : findings) {
                String ref = f.message().substring(1, f.message().indexOf("' ("));
                found.add(f.span().orElseThrow() + " " + f.id() + " " + ref);
            }
        }
        assertEquals(EXPECTED, found);
    }

    @Test
    void exactPlaces_readAsTheReference_andEncodedOnesAreNotRewritable() throws IOException {
        int exact = 0;
        for (String name : fixtures()) {
            List<String> lines = Files.readAllLines(DIR.resolve(name));
            String text = Files.readString(DIR.resolve(name));
            for (FoundImage i : scan(name).images()) {
                if (i.rewritable()) {
                    String line = lines.get(i.at().line() - 1);
                    assertTrue(line.startsWith(i.reference(), i.at().column() - 1), i + " in " + line);
                    assertTrue(text.startsWith(i.reference(), i.offset()), i.toString());
                    exact++;
                } else {
                    assertEquals("busybox:1.36", i.reference());
                }
            }
        }
        assertEquals(22, exact);
    }

    @Test
    void pinnedReferences_areFoundAndRaiseNothing() throws IOException {
        List<FoundImage> images = new ArrayList<>(scan("web.service").images());
        images.addAll(scan("deploy.yaml").images());
        List<String> pinned = images.stream()
                .map(FoundImage::reference)
                .filter(ImageChecks::pinned)
                .toList();
        assertEquals(2, pinned.size(), pinned.toString());
        assertTrue(pinned.get(0).startsWith("busybox@sha256:0123"), pinned.toString());
        assertTrue(pinned.get(1).startsWith("registry.example/api:3.1.0@sha256:aaaa"), pinned.toString());
        for (FoundImage i : images) {
            if (ImageChecks.pinned(i.reference())) {
                assertTrue(ImageChecks.check(List.of(i)).isEmpty(), i.toString());
            }
        }
    }

    @Test
    void commentsEnvironmentAndHelmStyleMappings_areNotReferences() throws IOException {
        List<String> refs = new ArrayList<>();
        scan("web.service").images().forEach(i -> refs.add(i.reference()));
        scan("deploy.yaml").images().forEach(i -> refs.add(i.reference()));
        assertFalse(refs.contains("commented/out:latest"), refs.toString());
        assertFalse(refs.stream().anyMatch(r -> r.contains("not/a-reference")), refs.toString());
        assertEquals(
                1, refs.stream().filter(r -> r.equals("quay.io/team/web:1.4")).count(), refs.toString());
    }

    @Test
    void kinds_detected() throws IOException {
        assertEquals(
                List.of("unit", "unit", "yaml", "yaml", "cloud-config", "ignition", "script"),
                fixtures().stream()
                        .map(n -> {
                            try {
                                return scan(n).kind();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .toList());
    }

    @Test
    void unreadableInputs_oneErrorEach_atTheirPlace() {
        ImageScan.Scan notYaml = ImageScan.scan("x.txt", "a: b\n  - c: [\n");
        assertEquals("unknown", notYaml.kind());
        assertEquals("IMG-KIND", notYaml.problems().get(0).id());
        assertEquals("x.txt:2:6", notYaml.problems().get(0).span().orElseThrow().toString());
        ImageScan.Scan broken = ImageScan.scan("b.ign", "{\"ignition\": {\"version\": \"3.3.0\"}, \"systemd\": [}");
        assertEquals("IMG-UNREADABLE", broken.problems().get(0).id());
        assertTrue(broken.problems().get(0).hint().contains("stockade validate b.ign"));
        assertTrue(ImageScan.scan("empty.yaml", "").images().isEmpty());
        assertTrue(ImageScan.scan("empty.yaml", "").problems().isEmpty());
    }
}
