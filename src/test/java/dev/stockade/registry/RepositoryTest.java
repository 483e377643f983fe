package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryTest {

    @ParameterizedTest
    @CsvSource({
        ",nginx,registry-1.docker.io,library/nginx",
        "'',nginx,registry-1.docker.io,library/nginx",
        "docker.io,nginx,registry-1.docker.io,library/nginx",
        "index.docker.io,nginx,registry-1.docker.io,library/nginx",
        "registry-1.docker.io,nginx,registry-1.docker.io,library/nginx",
        "docker.io,bitnami/redis,registry-1.docker.io,bitnami/redis",
        "Docker.IO,library/nginx,registry-1.docker.io,library/nginx",
        "registry.example:5000,team/app,registry.example:5000,team/app",
        "Registry.Example:5000,app,registry.example:5000,app",
        "quay.io,coreos/etcd,quay.io,coreos/etcd",
        "ghcr.io,a/b/c-d.e__f,ghcr.io,a/b/c-d.e__f",
        "localhost:5000,app,localhost:5000,app",
        "[::1]:5000,app,[::1]:5000,app",
        "127.0.0.1:5000,team/app,127.0.0.1:5000,team/app"
    })
    void normalize_dockerHubAliasesAndOfficialImages(String registry, String name, String host, String path) {
        Repository r = Repository.normalize(registry, name);
        assertEquals(host, r.registry());
        assertEquals(path, r.name());
        assertEquals(host + "/" + path, r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team/App", "team//app", "/app", "app/", "team/-app", "a b", "app:1.4", "app@sha256", ""})
    void normalize_invalidName_refused(String name) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Repository.normalize("registry.example", name));
        assertTrue(e.getMessage().contains("not a repository name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"registry.example:port", "https://registry.example", "reg/istry", "-bad.example", "a:123456"})
    void normalize_invalidRegistry_refused(String registry) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Repository.normalize(registry, "team/app"));
        assertTrue(e.getMessage().contains("not a registry host[:port]"), e.getMessage());
    }

    @Test
    void isTag_distributionGrammar() {
        assertTrue(Repository.isTag("1.4"));
        assertTrue(Repository.isTag("latest"));
        assertTrue(Repository.isTag("_x-Y.z"));
        assertTrue(Repository.isTag("a".repeat(128)));
        assertFalse(Repository.isTag("a".repeat(129)));
        assertFalse(Repository.isTag(".hidden"));
        assertFalse(Repository.isTag("-x"));
        assertFalse(Repository.isTag("a/b"));
        assertFalse(Repository.isTag(""));
        assertFalse(Repository.isTag(null));
    }
}
