package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.CertRequest;
import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.IssuedCertificate;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.Pem;
import dev.stockade.pki.Role;
import dev.stockade.pki.Signer;
import dev.stockade.registry.AuthFiles;
import dev.stockade.registry.Digest;
import dev.stockade.registry.RegistryClient;
import dev.stockade.registry.RegistryException;
import dev.stockade.registry.Repository;
import dev.stockade.registry.Resolution;
import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistryClient} against Debian's docker-registry on loopback, its TLS certificate issued by
 * Stockade's own CA. An OCI image layout written by hand is pushed with Debian's skopeo as an OCI
 * manifest (two tags), an OCI index, a Docker manifest v2 and a Docker manifest list; every tag
 * must resolve to the digest skopeo and the registry's own header report. Four registries share the
 * storage: htpasswd (Basic), anonymous, plain HTTP, and token authentication with a token service
 * the test runs. Failures: wrong password, no credentials, CA not given, unknown tag and
 * repository, a closed port, plain HTTP not marked insecure.
 */
class RegistryIT {

    static final String USER = "puller";
    static final String PASSWORD = "correct horse battery staple";
    static final String REPO = "team/app";
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    static Path ca;
    static Path certDir;
    static Path authFile;
    static OciLayout layout;
    static final List<AutoCloseable> running = new ArrayList<>();
    static LoopbackRegistry basic;
    static LoopbackRegistry open;
    static LoopbackRegistry plain;
    static LoopbackRegistry token;
    static TokenServer tokens;

    @BeforeAll
    static void registries() throws Exception {
        for (String tool : List.of("docker-registry", "skopeo", "curl")) {
            GeneratedFilesIT.requireTool(tool);
        }
        Instant now = Instant.now();
        CertificateAuthority authority =
                Signer.newCa(KeySpec.ECDSA_P256, "registry test CA", List.of(), Duration.ofDays(1), now);
        IssuedCertificate server = Signer.issue(
                authority,
                new CertRequest(
                        "registry",
                        "127.0.0.1",
                        List.of(),
                        List.of("localhost"),
                        List.of("127.0.0.1"),
                        CertRequest.usagesFor(Role.PEER),
                        Duration.ofDays(1),
                        false),
                KeySpec.ECDSA_P256,
                now);
        ca = Files.writeString(tmp.resolve("ca.pem"), Pem.certificate(authority.certificate()));
        Path cert = Files.writeString(tmp.resolve("registry.pem"), Pem.certificate(server.certificate()));
        Path key = Files.writeString(tmp.resolve("registry-key.pem"), Pem.privateKey(server.key()));
        Path[] tls = {cert, key};
        certDir = Files.createDirectories(tmp.resolve("certs.d"));
        Files.copy(ca, certDir.resolve("ca.crt"));
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        Path htpasswd = Files.writeString(
                tmp.resolve("htpasswd"),
                USER + ":" + OpenBSDBCrypt.generate(PASSWORD.toCharArray(), new byte[16], 10) + "\n");

        try {
            basic = started(LoopbackRegistry.start(
                    tmp, "basic", storage, tls, "  htpasswd:\n    realm: stockade-test\n    path: " + htpasswd + "\n"));
            layout = OciLayout.write(tmp.resolve("layout"));
            push("oci:" + layout.dir + ":v1", "1.4");
            push("oci:" + layout.dir + ":v1", "stable");
            push("--format", "v2s2", "oci:" + layout.dir + ":v1", "docker");
            push("--all", "oci:" + layout.dir + ":multi", "multi");
            push("--all", "--format", "v2s2", "oci:" + layout.dir + ":multi", "list");
            authFile = authFile("auth.json", basic.host(), USER, PASSWORD);

            open = started(LoopbackRegistry.start(tmp, "open", storage, tls, null));
            plain = started(LoopbackRegistry.start(tmp, "plain", storage, null, null));
            CertificateAuthority jwtSigner =
                    Signer.newCa(KeySpec.RSA_2048, "token signer", List.of(), Duration.ofDays(1), now);
            Path bundle = Files.writeString(tmp.resolve("token-signer.pem"), Pem.certificate(jwtSigner.certificate()));
            tokens = started(
                    TokenServer.start(server, authority.certificate(), jwtSigner, "stockade-test", USER, PASSWORD));
            token = started(LoopbackRegistry.start(
                    tmp,
                    "token",
                    storage,
                    tls,
                    "  token:\n    realm: " + tokens.realm() + "\n    service: stockade-test\n    issuer: "
                            + TokenServer.ISSUER + "\n    rootcertbundle: " + bundle + "\n"));
        } catch (Exception | AssertionError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
        running.clear();
    }

    static <T extends AutoCloseable> T started(T c) {
        running.add(c);
        return c;
    }

    /** skopeo copy to {@code tag} of team/app on the Basic registry; the last argument is the tag. */
    static void push(String... args) throws Exception {
        Path policy =
                Files.writeString(tmp.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        List<String> argv = new ArrayList<>(List.of("skopeo", "--policy", policy.toString(), "copy", "-q"));
        argv.addAll(List.of(args).subList(0, args.length - 1));
        argv.addAll(List.of(
                "--dest-cert-dir",
                certDir.toString(),
                "--dest-creds",
                USER + ":" + PASSWORD,
                "docker://" + basic.host() + "/" + REPO + ":" + args[args.length - 1]));
        ExecResult r = tool(argv);
        assertTrue(r.ok(), "skopeo copy: " + r.describe() + "\n" + basic.log());
    }

    static ExecResult tool(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        // skopeo must not read or write the user's own auth files
        pb.environment()
                .put("REGISTRY_AUTH_FILE", tmp.resolve("skopeo-auth.json").toString());
        pb.environment().put("HOME", tmp.toString());
        return Commands.run(pb, TOOL_TIMEOUT, null);
    }

    static Path authFile(String name, String registry, String user, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Files.writeString(
                tmp.resolve(name), "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + auth + "\"}}}\n");
    }

    static RegistryClient.Builder client(Path auth) {
        return RegistryClient.builder()
                .caFiles(List.of(ca))
                .authFiles(AuthFiles.search(Optional.ofNullable(auth), Map.of(), tmp.resolve("no-home")))
                .connectTimeout(Duration.ofSeconds(5))
                .timeout(Duration.ofSeconds(20));
    }

    /** What skopeo says: the sha256 of the raw manifest, and its {{.Digest}}, which must agree. */
    static Digest skopeoDigest(String registry, String tag) {
        List<String> base =
                List.of("skopeo", "inspect", "--cert-dir", certDir.toString(), "--creds", USER + ":" + PASSWORD);
        String ref = "docker://" + registry + "/" + REPO + ":" + tag;
        List<String> raw = new ArrayList<>(base);
        raw.addAll(List.of("--raw", ref));
        ExecResult r = tool(raw);
        assertTrue(r.ok(), r.describe());
        Digest ofRaw = Digest.sha256(r.stdout().getBytes(StandardCharsets.UTF_8));
        List<String> format = new ArrayList<>(base);
        format.addAll(List.of("--format", "{{.Digest}}", ref));
        ExecResult d = tool(format);
        assertTrue(d.ok(), d.describe());
        assertEquals(ofRaw.toString(), d.stdout().trim(), "skopeo's digest is the sha256 of the raw manifest");
        return ofRaw;
    }

    /** The Docker-Content-Digest and Content-Type of curl's HEAD request. */
    static String[] headerDigest(String registry, String tag) {
        ExecResult r = tool(List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "-I",
                "--cacert",
                ca.toString(),
                "-u",
                USER + ":" + PASSWORD,
                "-H",
                "Accept: "
                        + String.join(
                                ", ",
                                RegistryClient.OCI_INDEX,
                                RegistryClient.OCI_MANIFEST,
                                RegistryClient.DOCKER_MANIFEST_LIST,
                                RegistryClient.DOCKER_MANIFEST),
                "https://" + registry + "/v2/" + REPO + "/manifests/" + tag));
        assertTrue(r.ok(), r.describe());
        String digest = null;
        String type = null;
        for (String line : r.stdout().split("\r?\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("docker-content-digest:")) {
                digest = line.substring(line.indexOf(':') + 1).trim();
            } else if (lower.startsWith("content-type:")) {
                type = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return new String[] {digest, type};
    }

    @Test
    void basicAuth_everyTag_resolvesToTheDigestSkopeoAndTheRegistryReport() throws Exception {
        RegistryClient head = client(authFile).build();
        RegistryClient get = client(authFile).verifyContent(true).build();
        Repository repo = Repository.normalize(basic.host(), REPO);
        Map<String, String> types = Map.of(
                "1.4", RegistryClient.OCI_MANIFEST,
                "stable", RegistryClient.OCI_MANIFEST,
                "multi", RegistryClient.OCI_INDEX,
                "docker", RegistryClient.DOCKER_MANIFEST,
                "list", RegistryClient.DOCKER_MANIFEST_LIST);
        for (Map.Entry<String, String> t : types.entrySet()) {
            String tag = t.getKey();
            Digest skopeo = skopeoDigest(basic.host(), tag);
            String[] header = headerDigest(basic.host(), tag);
            Resolution byHead = head.resolve(repo, tag);
            Resolution byGet = get.resolve(repo, tag);
            assertEquals(skopeo, byHead.digest(), tag);
            assertEquals(header[0], byHead.digest().toString(), tag + ": the registry's Docker-Content-Digest");
            assertEquals(skopeo, byGet.digest(), tag + ": the downloaded manifest's sha256");
            assertFalse(byHead.verified(), tag);
            assertTrue(byGet.verified(), tag);
            assertEquals(t.getValue(), byHead.mediaType(), tag);
            assertEquals(t.getValue(), byGet.mediaType(), tag);
            assertEquals(header[1], byHead.mediaType(), tag);
        }
        assertEquals(layout.manifest, head.resolve(repo, "1.4").digest(), "the manifest written by hand, unchanged");
        assertEquals(layout.manifest, head.resolve(repo, "stable").digest());
        assertEquals(layout.index, head.resolve(repo, "multi").digest(), "the index written by hand, unchanged");
    }

    @Test
    void timing_firstResolutionSetsUp_laterOnesAreOneRoundTrip() throws Exception {
        Repository repo = Repository.normalize(basic.host(), REPO);
        long t0 = System.nanoTime();
        RegistryClient c = client(authFile).build();
        long built = System.nanoTime();
        c.resolve(repo, "1.4");
        long first = System.nanoTime();
        int n = 50;
        for (int i = 0; i < n; i++) {
            c.resolve(repo, i % 2 == 0 ? "multi" : "stable");
        }
        long later = System.nanoTime();
        RegistryClient anonymous = client(null).build();
        Repository openRepo = Repository.normalize(open.host(), REPO);
        anonymous.resolve(openRepo, "1.4");
        long openStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            anonymous.resolve(openRepo, i % 2 == 0 ? "multi" : "stable");
        }
        long openEnd = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "RegistryIT timing: anonymous registry %.2f ms per resolution (%d; the Basic registry checks a bcrypt"
                        + " hash on every request)%n",
                (openEnd - openStart) / 1e6 / n,
                n);
        System.out.printf(
                Locale.ROOT,
                "RegistryIT timing: build %.2f ms, first resolution %.1f ms (TLS trust, auth file, 401 + retry),"
                        + " then %.2f ms per resolution (%d, HEAD with remembered Basic credentials)%n",
                (built - t0) / 1e6,
                (first - built) / 1e6,
                (later - first) / 1e6 / n,
                n);
        assertTrue(built - t0 < 50_000_000L, "building a client sets nothing up");
        assertTrue((later - first) / n < 1_000_000_000L, "a resolution on loopback takes well under a second");
    }

    @Test
    void anonymousRegistry_resolvesWithoutCredentials() throws Exception {
        Resolution r = client(null).build().resolve(Repository.normalize(open.host(), REPO), "1.4");
        assertEquals(layout.manifest, r.digest());
    }

    @Test
    void plainHttp_onlyWhenMarkedInsecure() throws Exception {
        Repository repo = Repository.normalize(plain.host(), REPO);
        Resolution r = client(null).insecure(Set.of(plain.host())).build().resolve(repo, "multi");
        assertEquals(layout.index, r.digest());
        RegistryException e =
                assertThrows(RegistryException.class, () -> client(null).build().resolve(repo, "multi"));
        assertEquals(RegistryException.Kind.TLS, e.kind(), e.getMessage());
        assertEquals("REG-TLS", e.code());
        assertTrue(e.hint().contains("--insecure-registry " + plain.host()), e.getMessage());
    }

    @Test
    void wrongPassword_authFailureNamesTheFileAndUser_neverThePassword() throws Exception {
        Path wrong = authFile("wrong.json", basic.host(), USER, "not the password");
        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client(wrong).build().resolve(Repository.normalize(basic.host(), REPO), "1.4"));
        assertEquals(RegistryException.Kind.AUTH, e.kind(), e.getMessage());
        assertEquals("REG-AUTH", e.code());
        assertEquals(401, e.status());
        assertTrue(
                e.getMessage().contains(wrong.toString()) && e.getMessage().contains("'" + USER + "'"), e.getMessage());
        assertFalse((e.getMessage() + e.hint()).contains("not the password"), e.getMessage());
        assertTrue(e.getMessage().contains(basic.host()), e.getMessage());
    }

    @Test
    void noCredentials_authFailureSaysWhereItLooked() throws Exception {
        Path other = authFile("other.json", "registry.example:5000", USER, PASSWORD);
        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client(other).build().resolve(Repository.normalize(basic.host(), REPO), "1.4"));
        assertEquals(RegistryException.Kind.AUTH, e.kind(), e.getMessage());
        assertTrue(
                e.getMessage().contains("none were found: no entry for " + basic.host() + " in " + other),
                e.getMessage());
        assertTrue(e.hint().contains("--auth-file"), e.hint());
    }

    @Test
    void caNotGiven_tlsFailureWithTheCaFileHint() {
        RegistryClient noCa = RegistryClient.builder()
                .authFiles(AuthFiles.search(Optional.of(authFile), Map.of(), null))
                .build();
        RegistryException e = assertThrows(
                RegistryException.class, () -> noCa.resolve(Repository.normalize(basic.host(), REPO), "1.4"));
        assertEquals(RegistryException.Kind.TLS, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("not trusted") && e.getMessage().contains(basic.host()), e.getMessage());
        assertEquals("pass the CA certificate that signed it (PEM) with --ca-file FILE", e.hint());
        assertTrue(e.asEnvironmentException().getMessage().endsWith("[REG-TLS]"));
    }

    @Test
    void unknownTagAndRepository_notFound() {
        RegistryClient c = client(authFile).build();
        RegistryException tag =
                assertThrows(RegistryException.class, () -> c.resolve(Repository.normalize(basic.host(), REPO), "2.0"));
        assertEquals(RegistryException.Kind.NOT_FOUND, tag.kind(), tag.getMessage());
        assertEquals("REG-NOT-FOUND", tag.code());
        assertTrue(tag.getMessage().startsWith("tag '2.0' not found in team/app on " + basic.host()), tag.getMessage());
        assertEquals("MANIFEST_UNKNOWN", tag.errors().get(0).code(), tag.getMessage());
        RegistryException repo = assertThrows(
                RegistryException.class, () -> c.resolve(Repository.normalize(basic.host(), "team/nothing"), "1.4"));
        assertEquals(RegistryException.Kind.NOT_FOUND, repo.kind(), repo.getMessage());
        assertTrue(repo.getMessage().startsWith("repository team/nothing not found"), repo.getMessage());
    }

    @Test
    void closedPort_unreachableNamesHostAndPortAndTheRequest() throws Exception {
        int port = LoopbackRegistry.freePort();
        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client(authFile).build().resolve(Repository.normalize("127.0.0.1:" + port, REPO), "1.4"));
        assertEquals(RegistryException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertEquals("REG-UNREACHABLE", e.code());
        assertTrue(
                e.getMessage().startsWith("cannot reach 127.0.0.1:" + port + ": ")
                        && e.getMessage()
                                .contains("tried HEAD https://127.0.0.1:" + port + "/v2/team/app/manifests/1.4"),
                e.getMessage());
    }

    @Test
    void tokenAuth_credentialsFromTheAuthFile_tokenPerRepositoryScope() throws Exception {
        Path auth = authFile("token-auth.json", token.host(), USER, PASSWORD);
        RegistryClient c = client(auth).build();
        Repository repo = Repository.normalize(token.host(), REPO);
        assertEquals(layout.manifest, c.resolve(repo, "1.4").digest(), token.log());
        assertEquals(layout.index, c.resolve(repo, "multi").digest());
        assertEquals(
                List.of("basic repository:team/app:pull"),
                tokens.requests().stream()
                        .filter(r -> r.startsWith("basic"))
                        .distinct()
                        .toList(),
                "one scope asked, with Basic credentials");
        long asked =
                tokens.requests().stream().filter(r -> r.startsWith("basic")).count();
        c.resolve(repo, "stable");
        assertEquals(
                asked,
                tokens.requests().stream().filter(r -> r.startsWith("basic")).count(),
                "the token is reused");
    }

    @Test
    void tokenAuth_wrongOrNoCredentials_refusedByTheTokenService() throws Exception {
        Repository repo = Repository.normalize(token.host(), REPO);
        Path wrong = authFile("token-wrong.json", token.host(), USER, "nope");
        RegistryException bad = assertThrows(
                RegistryException.class, () -> client(wrong).build().resolve(repo, "1.4"));
        assertEquals(RegistryException.Kind.AUTH, bad.kind(), bad.getMessage());
        assertTrue(
                bad.getMessage().contains("token service") && bad.getMessage().contains(wrong.toString()),
                bad.getMessage());
        RegistryException none =
                assertThrows(RegistryException.class, () -> client(null).build().resolve(repo, "1.4"));
        assertEquals(RegistryException.Kind.AUTH, none.kind(), none.getMessage());
        assertTrue(none.getMessage().contains("refused anonymous access"), none.getMessage());
    }

    static int stockade(StringWriter out, StringWriter err, String... args) {
        return dev.stockade.cli.Main.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    /**
     * The whole user story: {@code images check --resolve --write} pins a unit, a compose file and
     * an Ignition file (inside its JSON string) to the digests the registry serves, keeps the old
     * files, and a second check finds everything pinned; a tag the registry lacks stops the run
     * with exit 3 before anything is written.
     */
    @Test
    void imagesCheckResolveWrite_pinsFilesToTheRegistrysDigests(@TempDir Path dir) throws Exception {
        String image = basic.host() + "/" + REPO;
        Path unit = Files.writeString(
                dir.resolve("app.service"), "[Service]\nExecStart=/usr/bin/docker run --rm " + image + ":1.4\n");
        Path compose = Files.writeString(
                dir.resolve("compose.yaml"),
                "services:\n  a:\n    image: " + image + ":multi\n  b:\n    image: \"" + image + ":stable\"\n");
        Path ignition = Files.writeString(
                dir.resolve("node.ign"),
                "{\"ignition\": {\"version\": \"3.3.0\"}, \"systemd\": {\"units\": [{\"name\": \"a.service\","
                        + " \"enabled\": true, \"contents\": \"[Unit]\\nDescription=\\\"a\\\"\\n[Service]\\nExecStart="
                        + "/usr/bin/podman run " + image + ":list\\n[Install]\\nWantedBy=multi-user.target\\n\"}]}}\n");
        String[] registry = {"--ca-file", ca.toString(), "--auth-file", authFile.toString()};
        List<String> before = List.of(Files.readString(unit), Files.readString(compose), Files.readString(ignition));
        Files.setPosixFilePermissions(unit, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("images", "check", "--resolve", "--write"));
        args.addAll(List.of(registry));
        args.addAll(List.of(unit.toString(), compose.toString(), ignition.toString()));
        assertEquals(0, stockade(out, err, args.toArray(String[]::new)), out + "\n" + err);
        Map<String, Digest> digests = Map.of(
                "1.4", skopeoDigest(basic.host(), "1.4"),
                "multi", skopeoDigest(basic.host(), "multi"),
                "stable", skopeoDigest(basic.host(), "stable"),
                "list", skopeoDigest(basic.host(), "list"));
        assertTrue(
                out.toString()
                        .contains(unit + ":2:36: " + image + ":1.4 -> " + image + ":1.4@" + digests.get("1.4")
                                + " (written)"),
                out.toString());
        assertEquals(
                before.get(0).replace(image + ":1.4", image + ":1.4@" + digests.get("1.4")), Files.readString(unit));
        assertEquals(
                "rw-r-----",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)));
        assertEquals(
                before.get(1)
                        .replace(image + ":multi", image + ":multi@" + digests.get("multi"))
                        .replace(image + ":stable", image + ":stable@" + digests.get("stable")),
                Files.readString(compose));
        assertEquals(
                before.get(2).replace(image + ":list", image + ":list@" + digests.get("list")),
                Files.readString(ignition));
        for (Path f : List.of(unit, compose, ignition)) {
            List<Path> backups;
            try (var s = Files.list(dir)) {
                backups = s.filter(p -> p.getFileName().toString().startsWith(f.getFileName() + ".bak-"))
                        .toList();
            }
            assertEquals(1, backups.size(), f.toString());
            assertTrue(before.contains(Files.readString(backups.get(0))), "the old file is kept: " + backups);
        }
        StringWriter again = new StringWriter();
        assertEquals(
                0,
                stockade(
                        again,
                        new StringWriter(),
                        "images",
                        "check",
                        "--fail-on",
                        "warning",
                        unit.toString(),
                        compose.toString(),
                        ignition.toString()),
                again.toString());
        assertTrue(again.toString().contains(": 4 image references, 4 pinned by digest.\n"), again.toString());
        StringWriter validated = new StringWriter();
        assertEquals(0, stockade(validated, new StringWriter(), "validate", ignition.toString()), validated.toString());

        Path missing = Files.writeString(dir.resolve("m.yaml"), "services:\n  a:\n    image: " + image + ":2.0\n");
        StringWriter failed = new StringWriter();
        List<String> m = new ArrayList<>(List.of("images", "check", "--resolve", "--write"));
        m.addAll(List.of(registry));
        m.add(missing.toString());
        assertEquals(3, stockade(new StringWriter(), failed, m.toArray(String[]::new)), failed.toString());
        assertTrue(
                failed.toString().contains(missing + ":3:12: cannot pin '" + image + ":2.0': tag '2.0' not found"),
                failed.toString());
        assertTrue(failed.toString().contains("[REG-NOT-FOUND]"), failed.toString());
        assertEquals("services:\n  a:\n    image: " + image + ":2.0\n", Files.readString(missing), "nothing written");
    }
}
