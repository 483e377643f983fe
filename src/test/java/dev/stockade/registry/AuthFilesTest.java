package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFilesTest {

    @TempDir
    Path tmp;

    static final Repository REPO = Repository.normalize("registry.example:5000", "team/app");

    Path write(String name, String registry, String user) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(
                p, "{\"auths\": {\"" + registry + "\": {\"username\": \"" + user + "\", \"password\": \"pw\"}}}");
    }

    @Test
    void search_orderFromEnvironmentAndHome() {
        AuthFiles f = AuthFiles.search(
                Optional.empty(), Map.of("REGISTRY_AUTH_FILE", "/a/auth.json", "XDG_RUNTIME_DIR", "/run/user/0"), tmp);
        assertEquals(
                List.of(
                        Path.of("/a/auth.json"),
                        Path.of("/run/user/0/containers/auth.json"),
                        tmp.resolve(".docker/config.json")),
                f.candidates());
        assertEquals(
                List.of(tmp.resolve(".docker/config.json")),
                AuthFiles.search(Optional.empty(), Map.of("REGISTRY_AUTH_FILE", " "), tmp)
                        .candidates());
        assertEquals(
                List.of(), AuthFiles.search(Optional.empty(), Map.of(), null).candidates());
    }

    @Test
    void search_explicitFile_aloneIsRead() {
        Path mine = tmp.resolve("mine.json");
        assertEquals(
                List.of(mine),
                AuthFiles.search(Optional.of(mine), Map.of("REGISTRY_AUTH_FILE", "/a"), tmp)
                        .candidates());
    }

    @Test
    void forThisUser_endsWithTheDockerConfig() {
        List<Path> c = AuthFiles.forThisUser(Optional.empty()).candidates();
        assertTrue(c.get(c.size() - 1).endsWith(Path.of(".docker", "config.json")), c.toString());
    }

    @Test
    void find_firstFileWithAnEntryWins_missingFilesPassedOver() throws Exception {
        Path env = write("env.json", "other.example", "env");
        Path runtime = write("run/containers/auth.json", "registry.example:5000", "runtime");
        write("home/.docker/config.json", "registry.example:5000", "docker");
        AuthFiles f = AuthFiles.search(
                Optional.empty(),
                Map.of(
                        "REGISTRY_AUTH_FILE",
                        env.toString(),
                        "XDG_RUNTIME_DIR",
                        tmp.resolve("run").toString()),
                tmp.resolve("home"));
        AuthFiles.Lookup l = f.find(REPO);
        assertEquals("runtime", l.credentials().orElseThrow().username());
        assertEquals(runtime.toString(), l.searched());
        assertEquals(runtime.toString(), l.credentials().orElseThrow().source());
        AuthFiles missing = AuthFiles.search(
                Optional.empty(),
                Map.of("REGISTRY_AUTH_FILE", tmp.resolve("gone.json").toString()),
                tmp.resolve("home"));
        assertEquals("docker", missing.find(REPO).credentials().orElseThrow().username());
    }

    @Test
    void find_nothing_saysWhereItLooked() throws Exception {
        AuthFiles none = AuthFiles.search(Optional.empty(), Map.of(), tmp);
        AuthFiles.Lookup l = none.find(REPO);
        assertEquals(Optional.empty(), l.credentials());
        assertEquals("no auth file found (looked for " + tmp.resolve(".docker/config.json") + ")", l.searched());
        Path other = write("home/.docker/config.json", "other.example", "x");
        Files.writeString(other, "{\"auths\": {}, \"credHelpers\": {\"registry.example:5000\": \"pass\"}}");
        AuthFiles.Lookup h = AuthFiles.search(Optional.empty(), Map.of(), tmp.resolve("home"))
                .find(REPO);
        assertEquals(
                "no entry for registry.example:5000 in " + other
                        + "; credential helper 'pass' is configured there but helpers are not supported",
                h.searched());
    }

    @Test
    void find_explicitFileMissing_readError() {
        AuthFiles f = AuthFiles.search(Optional.of(tmp.resolve("nope.json")), Map.of(), tmp);
        Diagnostic d = assertThrows(InputException.class, () -> f.find(REPO))
                .diagnostics()
                .get(0);
        assertEquals("AUTH-READ", d.code());
        assertEquals(tmp.resolve("nope.json") + ":1:1: error: no such file [AUTH-READ]", d.toString());
    }

    @Test
    void find_malformedFile_locatedError_eachFileReadOnce() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"auths\": {\"r\": {\"auth\": 5}}}");
        AuthFiles f = AuthFiles.search(Optional.of(bad), Map.of(), null);
        Diagnostic d = assertThrows(InputException.class, () -> f.find(REPO))
                .diagnostics()
                .get(0);
        assertEquals(bad + ":1:26: error: expected a string, not a number [AUTH-FILE]", d.toString());
        Path good = write("good.json", "registry.example:5000", "u");
        AuthFiles once = AuthFiles.search(Optional.of(good), Map.of(), null);
        assertEquals("u", once.find(REPO).credentials().orElseThrow().username());
        Files.delete(good);
        assertEquals("u", once.find(REPO).credentials().orElseThrow().username(), "read once, then remembered");
    }
}
