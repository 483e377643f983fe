package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildCommandTest {

    @TempDir
    Path tmp;

    Path out;
    String demo;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws IOException {
        out = tmp.resolve("out");
        demo = Files.readString(Path.of("examples/demo.yaml"));
    }

    static Result run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        return new Result(code, o.toString(), e.toString());
    }

    String pki() {
        return tmp.resolve("pki").toString();
    }

    Path spec(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void build_demo_writesEveryNodeAndPrintsExposure() throws IOException {
        Result r = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki());
        assertEquals(0, r.code(), r.err());
        for (String node : new String[] {"core-1", "core-2", "core-3"}) {
            for (String f : new String[] {"iptables.rules", "ip6tables.rules", "ignition.json", "cloud-config.yml"}) {
                assertTrue(Files.isRegularFile(out.resolve("demo").resolve(node).resolve(f)), node + "/" + f);
            }
            assertTrue(r.out().contains("\n" + node + "  private "), r.out());
        }
        assertTrue(r.out().contains("admin.ssh"));
        assertTrue(r.out().contains("2001:db8:ad::/48"), "IPv6 sources are shown");
    }

    @Test
    void build_outputIsPrivateToOwner() throws IOException {
        assertEquals(
                0,
                run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki())
                        .code());
        try (Stream<Path> walk = Files.walk(out.resolve("demo"))) {
            for (Path p : walk.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                assertTrue(perms.stream().allMatch(x -> x.name().startsWith("OWNER")), p + " " + perms);
            }
        }
    }

    @Test
    void build_twice_identicalFiles() throws IOException {
        assertEquals(
                0,
                run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki())
                        .code());
        Map<String, byte[]> first = snapshot(out);
        assertEquals(
                0,
                run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki())
                        .code());
        Map<String, byte[]> second = snapshot(out);
        assertEquals(first.keySet(), second.keySet());
        first.forEach((k, v) -> assertArrayEquals(v, second.get(k), k));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count(), "no staging or backup directories are left behind");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "yaml syntax   | 'stockade: 1\\ncluster: demo\\n  target: [flatcar\\n' | :3:9: error: YAML syntax error",
                "unknown key   | DEMO:interfaces: {public:=>interfaces: {pubic:             | :7:14: error: unknown key 'pubic'",
                "bad cidr      | DEMO:203.0.113.0/24=>203.0.113.0/33                        | :15:12: error: '203.0.113.0/33'",
                "duplicate node| DEMO:name: core-3=>name: core-2                            | :12:5: error: node name 'core-2' is used twice",
                "port 70000    | DEMO:port: 443=>port: 70000                                | :26:25: error: port 70000 is outside 1-65535",
                "ipv6 in ipv4  | DEMO:private: 10.250.0.12=>private: \"2001:db8::12\"        | :11:29: error: 'private' must be an IPv4 address",
                "empty file    | ''                                                         | :1:1: error: the spec is empty",
            })
    void build_badSpec_exit2WithPositionAndOutputUntouched(String label, String text, String expected)
            throws IOException {
        assertEquals(
                0,
                run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki())
                        .code());
        Map<String, byte[]> before = snapshot(out);
        String content = text.startsWith("DEMO:") ? demoWith(text.substring(5)) : text.replace("\\n", "\n");
        Path bad = spec("bad.yaml", content);

        Result r = run("build", bad.toString(), "-o", out.toString(), "--pki", pki());

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(bad + expected), () -> "expected '" + expected + "' in:\n" + r.err());
        assertTrue(r.err().contains("  hint: "), r.err());
        assertNoStackTrace(r);
        assertSame(before, snapshot(out));
    }

    private String demoWith(String replacement) {
        String[] parts = replacement.split("=>", 2);
        assertTrue(demo.contains(parts[0]), "fixture text not in demo: " + parts[0]);
        return demo.replaceFirst(
                java.util.regex.Pattern.quote(parts[0]), java.util.regex.Matcher.quoteReplacement(parts[1]));
    }

    @Test
    void build_directoryAsSpec_exit2() throws IOException {
        Result r = run("build", tmp.toString(), "-o", out.toString(), "--pki", pki());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp + ":1:1: error: is a directory"), r.err());
        assertNoStackTrace(r);
        assertFalse(Files.exists(out));
    }

    @Test
    void build_missingFile_exit2() {
        Result r = run("build", tmp.resolve("nope.yaml").toString(), "-o", out.toString(), "--pki", pki());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.yaml:1:1: error: no such file"), r.err());
    }

    @Test
    void build_binaryFile_exit2WithPosition() throws IOException {
        Path bin = tmp.resolve("bin.yaml");
        Files.write(bin, new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0x28});
        Result r = run("build", bin.toString(), "-o", out.toString(), "--pki", pki());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bin.yaml:2:4: error: not valid UTF-8"), r.err());
    }

    @Test
    void build_outIntoForeignDirectory_refused() throws IOException {
        Path foreign = out.resolve("demo");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("precious.txt"), "keep me");
        Result r = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a Stockade output directory"), r.err());
        assertEquals("keep me", Files.readString(foreign.resolve("precious.txt")));
    }

    @Test
    void build_outputUnderARegularFile_exit3WithTheCause_andNoPkiCreated() throws IOException {
        Path file = Files.writeString(tmp.resolve("mine.txt"), "not a directory\n");
        Result r = run("build", "examples/demo.yaml", "-o", file.resolve("out").toString(), "--pki", pki());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains(file + " exists and is not a directory"), r.err());
        assertFalse(Files.exists(Path.of(pki())), "the CA is not created when the output cannot be written");
        assertEquals("not a directory\n", Files.readString(file));
        assertNoStackTrace(r);
    }

    @Test
    void build_outIntoForeignDirectory_refusedBeforeThePkiIsCreated() throws IOException {
        Files.createDirectories(out.resolve("demo"));
        Result r = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki());
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(Path.of(pki())), r.err());
    }

    @Test
    void build_encryptedCa_needsThePassphraseOnlyToSign() throws IOException {
        Path pass = Files.writeString(tmp.resolve("pass"), "correct horse battery staple\n");
        Result init = run("pki", "init", "--dir", pki(), "--encrypt", "--ca-passphrase-file", pass.toString());
        assertEquals(0, init.code(), init.err());
        Result first = run(
                "build",
                "examples/demo.yaml",
                "-o",
                out.toString(),
                "--pki",
                pki(),
                "--ca-passphrase-file",
                pass.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("CA key encrypted; 4 issued"), first.out());

        Result offline = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki());
        assertEquals(0, offline.code(), offline.err());
        assertTrue(offline.out().contains("CA key encrypted; 0 issued, 4 reused"), offline.out());

        Path grown = spec("grown.yaml", demo.replace("nodes:\n", "nodes:\n  - {name: core-9, private: 10.250.0.19}\n"));
        Result needsKey = run("build", grown.toString(), "-o", out.toString(), "--pki", pki());
        assertEquals(2, needsKey.code(), needsKey.err());
        assertTrue(needsKey.err().contains("[PKI-KEY-ENCRYPTED]"), needsKey.err());
        assertFalse(Files.exists(Path.of(pki(), "core-9.pem")));
    }

    @Test
    void build_dryRun_refusesWhatTheRealBuildRefuses_andWritesNothing() throws Exception {
        Path dir = Path.of(pki());
        Files.createDirectories(dir);
        dev.stockade.pki.CertificateAuthority old = dev.stockade.pki.Signer.newCa(
                dev.stockade.pki.KeySpec.ECDSA_P256,
                "old",
                java.util.List.of(),
                java.time.Duration.ofDays(30),
                java.time.Instant.now().minus(java.time.Duration.ofDays(400)));
        Files.writeString(dir.resolve("ca.pem"), dev.stockade.pki.Pem.certificate(old.certificate()));
        Files.writeString(dir.resolve("ca-key.pem"), dev.stockade.pki.Pem.privateKey(old.key()));
        Map<String, byte[]> before = snapshot(dir);
        Result dry = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki(), "--dry-run");
        Result real = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki());
        assertEquals(2, real.code(), real.err());
        assertEquals(real.code(), dry.code(), dry.out() + dry.err());
        assertTrue(dry.err().contains("[PKI-CA-EXPIRED]"), dry.err());
        assertTrue(real.err().contains("[PKI-CA-EXPIRED]"), real.err());
        assertFalse(Files.exists(out));
        assertSame(before, snapshot(dir));
    }

    @Test
    void build_dryRun_withoutAPki_writesNone() {
        Result dry = run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertFalse(Files.exists(Path.of(pki())));
        assertFalse(Files.exists(out));
    }

    @Test
    void build_usageError_exit2() {
        Result r = run("build");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void build_jsonFormat_listsOpenings() {
        Result r = run("build", "examples/demo.yaml", "--dry-run", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"entry\": \"etcd.peers\""), r.out());
        assertTrue(r.out().contains("\"output\": null"));
    }

    @Test
    void help_listsExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Exit codes:"));
        assertTrue(r.out().contains("build"));
    }

    private static void assertNoStackTrace(Result r) {
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void fwLint_generatedRules_noFindings_andBrokenFileExit2() throws IOException {
        assertEquals(
                0,
                run("build", "examples/demo.yaml", "-o", out.toString(), "--pki", pki())
                        .code());
        Path dir = out.resolve("demo/core-1");
        Result r = run(
                "fw",
                "lint",
                dir.resolve("iptables.rules").toString(),
                dir.resolve("ip6tables.rules").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("No findings."), r.out());
        Path bad = spec("bad.rules", "*filter\n-A INPUT -s 10.0.0.256 -j DROP\nCOMMIT\n");
        r = run("fw", "lint", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(bad + ":2:13: error: '10.0.0.256'"), r.err());
        Path open = spec("open.rules", "*filter\n:INPUT DROP [0:0]\n-A INPUT -j nowhere\nCOMMIT\n");
        r = run("fw", "lint", "--format", "json", open.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("\"id\": \"FW-UNDEFINED-CHAIN\""), r.out());
    }
}
