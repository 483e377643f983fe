package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthFileTest {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Credentials> find(String json, String registry, String name) throws InputException {
        return AuthFile.parse("auth.json", json).find(Repository.normalize(registry, name));
    }

    static Diagnostic error(String json) {
        return assertThrows(InputException.class, () -> AuthFile.parse("auth.json", json))
                .diagnostics()
                .get(0);
    }

    @Test
    void find_authField_decodesUserAndPassword() throws Exception {
        Credentials c = find(
                        "{\"auths\": {\"registry.example:5000\": {\"auth\": \"" + b64("alice:s3:cr=t") + "\"}}}",
                        "registry.example:5000",
                        "team/app")
                .orElseThrow();
        assertEquals("alice", c.username());
        assertEquals("s3:cr=t", c.password(), "only the first ':' separates");
        assertEquals("auth.json", c.source());
        assertEquals("Basic " + b64("alice:s3:cr=t"), c.basicAuthorization());
        assertEquals("Credentials[alice from auth.json, password hidden]", c.toString());
    }

    @Test
    void find_usernameAndPasswordFields() throws Exception {
        Credentials c = find(
                        "{\"auths\": {\"quay.io\": {\"username\": \"bob\", \"password\": \"pw\"}}}", "quay.io", "a/b")
                .orElseThrow();
        assertEquals(new Credentials("bob", "pw", "auth.json"), c);
    }

    @Test
    void find_mostSpecificPathWins_otherRegistriesAndPortsDoNot() throws Exception {
        String json = "{\"auths\": {"
                + "\"registry.example\": {\"auth\": \"" + b64("host:1") + "\"},"
                + "\"registry.example/team\": {\"auth\": \"" + b64("team:2") + "\"},"
                + "\"https://registry.example/team/app/\": {\"auth\": \"" + b64("app:3") + "\"}}}";
        assertEquals(
                "app", find(json, "registry.example", "team/app").orElseThrow().username());
        assertEquals(
                "team",
                find(json, "registry.example", "team/other").orElseThrow().username());
        assertEquals(
                "host",
                find(json, "registry.example", "teams/app").orElseThrow().username());
        assertEquals(Optional.empty(), find(json, "registry.example:5000", "team/app"));
        assertEquals(Optional.empty(), find(json, "other.example", "team/app"));
    }

    @Test
    void find_dockerHub_legacyAndPodmanKeys() throws Exception {
        String legacy = "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + b64("d:1") + "\"}}}";
        assertEquals("d", find(legacy, null, "nginx").orElseThrow().username());
        assertEquals(
                "d", find(legacy, "docker.io", "bitnami/redis").orElseThrow().username());
        String podman = "{\"auths\": {\"docker.io\": {\"auth\": \"" + b64("p:1") + "\"}}}";
        assertEquals(
                "p",
                find(podman, "index.docker.io", "library/nginx").orElseThrow().username());
        String library = "{\"auths\": {\"docker.io/library\": {\"auth\": \"" + b64("l:1") + "\"}}}";
        assertEquals("l", find(library, null, "nginx").orElseThrow().username());
    }

    @Test
    void find_entriesWithoutPassword_ignored_helpersReported() throws Exception {
        String json = "{\"auths\": {\"a.example\": {}, \"b.example\": {\"auth\": \"\"},"
                + " \"c.example\": {\"identitytoken\": \"x\"}},"
                + " \"credHelpers\": {\"c.example\": \"ecr-login\"}, \"credsStore\": \"desktop\"}";
        AuthFile f = AuthFile.parse("auth.json", json);
        assertEquals(Optional.empty(), f.find(Repository.normalize("a.example", "x")));
        assertEquals(Optional.empty(), f.find(Repository.normalize("b.example", "x")));
        assertEquals(Optional.empty(), f.find(Repository.normalize("c.example", "x")));
        assertEquals(Optional.of("ecr-login"), f.helperFor("c.example"));
        assertEquals(Optional.of("desktop"), f.helperFor("a.example"));
        assertEquals(Optional.empty(), AuthFile.parse("f", "{}").helperFor("a.example"));
        assertTrue(f.toString().contains("secrets hidden"), f.toString());
        assertEquals("auth.json", f.file());
    }

    @Test
    void parse_syntaxError_locatedByTheJsonReader() {
        Diagnostic d = error("{\"auths\": {\n  \"r.example\": {\"auth\": \"x\",}\n}}");
        assertEquals("JSON-SYNTAX", d.code());
        assertEquals("auth.json:2:29", d.span().toString());
    }

    @Test
    void parse_badAuthValue_locatedAndSecretNotQuoted() {
        Diagnostic notBase64 = error("{\"auths\": {\n  \"r.example\": {\"auth\": \"s3cr*t!\"}}}");
        assertEquals("auth.json:2:25: error: \"auth\" is not valid base64 [AUTH-FILE]", notBase64.toString());
        Diagnostic noColon = error("{\"auths\": {\"r.example\": {\"auth\": \"" + b64("justsecret") + "\"}}}");
        assertEquals("AUTH-FILE", noColon.code());
        assertEquals("\"auth\" does not decode to user:password", noColon.message());
        assertFalse(noColon.toString().contains("justsecret"));
        Diagnostic emptyUser = error("{\"auths\": {\"r.example\": {\"auth\": \"" + b64(":pw") + "\"}}}");
        assertEquals("AUTH-FILE", emptyUser.code());
    }

    @Test
    void parse_wrongShapes_located() {
        assertEquals(
                "auth.json:1:1: error: expected an object, not a list [AUTH-FILE]",
                error("[]").toString());
        assertEquals(
                "auth.json:1:11: error: expected an object, not a string [AUTH-FILE]",
                error("{\"auths\": \"x\"}").toString());
        assertEquals(
                "auth.json:1:17: error: expected an object, not a number [AUTH-FILE]",
                error("{\"auths\": {\"r\": 1}}").toString());
        assertEquals(
                "auth.json:1:26: error: expected a string, not true/false [AUTH-FILE]",
                error("{\"auths\": {\"r\": {\"auth\": true}}}").toString());
        assertEquals(
                "auth.json:1:30: error: expected a string, not a number [AUTH-FILE]",
                error("{\"auths\": {\"r\": {\"username\": 1, \"password\": \"p\"}}}")
                        .toString());
    }

    @Test
    void key_schemeSlashAndDockerHubPath_dropped() {
        assertEquals("docker.io", AuthFile.key("https://index.docker.io/v1/"));
        assertEquals("docker.io", AuthFile.key("registry-1.docker.io"));
        assertEquals("registry.example:5000/team", AuthFile.key("http://Registry.Example:5000/team/"));
        assertEquals("docker.io", AuthFile.hostKey("Docker.io"));
    }
}
