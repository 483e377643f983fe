package dev.stockade.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {

    static final String D = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "nginx | - | nginx | - | docker.io | library/nginx",
                "nginx:1.25 | - | nginx | 1.25 | docker.io | library/nginx",
                "team/app:v2 | - | team/app | v2 | docker.io | team/app",
                "quay.io/coreos/etcd:v3.5.0 | quay.io | coreos/etcd | v3.5.0 | quay.io | coreos/etcd",
                "localhost/app | localhost | app | - | localhost | app",
                "localhost:5000/a/b/c:x_y | localhost:5000 | a/b/c | x_y | localhost:5000 | a/b/c",
                "127.0.0.1:5000/app:1 | 127.0.0.1:5000 | app | 1 | 127.0.0.1:5000 | app",
                "[::1]:5000/app:1 | [::1]:5000 | app | 1 | [::1]:5000 | app",
                "my-registry.example/a__b/c.d-e:1 | my-registry.example | a__b/c.d-e | 1 | my-registry.example | a__b/c.d-e",
            })
    void parse_parts(String text, String registry, String repository, String tag, String host, String path)
            throws ImageRef.Malformed {
        ImageRef r = ImageRef.parse(text);
        assertEquals(Optional.ofNullable(registry), r.registry());
        assertEquals(repository, r.repository());
        assertEquals(Optional.ofNullable(tag), r.tag());
        assertEquals(host, r.registryHost());
        assertEquals(path, r.registryRepository());
        assertEquals(text, r.toString());
        assertFalse(r.pinned());
        assertEquals(tag == null ? "latest" : tag, r.effectiveTag());
    }

    @Test
    void digest_pins_andKeepsTheTag() throws ImageRef.Malformed {
        ImageRef r = ImageRef.parse("nginx:1.25@" + D);
        assertTrue(r.pinned());
        assertEquals(Optional.of(D), r.digest());
        assertEquals("nginx:1.25@" + D, r.toString());
        ImageRef pinned = ImageRef.parse("quay.io/a/b:1").withDigest(D);
        assertEquals("quay.io/a/b:1@" + D, pinned.toString());
        assertTrue(ImageRef.parse("nginx@" + D).pinned());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Nginx:1 | repository names are lower case",
                "nginx:-1 | is not a tag",
                "nginx:a/b | 'nginx:a' is not a registry host",
                "nginx@sha256:abc | is not a digest",
                "nginx@sha256:" + "AB"
                        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd | not a sha256 digest",
                "a..b/c | 'a..b' is not a registry host",
                "my_host.example:99999999/a | is not a registry host",
                "/app | is not a repository name",
                "app/ | is not a repository name",
            })
    void malformed_saysWhy(String text, String why) {
        ImageRef.Malformed e = assertThrows(ImageRef.Malformed.class, () -> ImageRef.parse(text.strip()));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void emptyAndHuge_areMalformed() {
        assertThrows(ImageRef.Malformed.class, () -> ImageRef.parse(""));
        assertThrows(ImageRef.Malformed.class, () -> ImageRef.parse("a".repeat(5000)));
    }
}
