package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stockade's certificates and keys read by the reference tools (openssl, cfssl), and cfssl's CA and
 * request files used by Stockade. Bad input through the CLI leaves every existing file untouched.
 */
class PkiInteropIT {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void tools() throws Exception {
        for (String t : List.of("openssl", "cfssl", "cfssljson")) {
            GeneratedFilesIT.requireTool(t);
        }
    }

    static Run stockade(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        return new Run(code, o.toString(), e.toString());
    }

    static GeneratedFilesIT.Result sh(Path dir, String script) throws Exception {
        return GeneratedFilesIT.exec("sh", "-c", "cd '" + dir + "' && " + script);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"})
    void everyAlgorithm_readByOpensslAndCfssl(String key) throws Exception {
        Path dir = tmp.resolve("pki");
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, Files.readString(Path.of("examples/demo.yaml")) + "pki: {key: " + key + "}\n");
        Run init = stockade("pki", "init", "--spec", spec.toString(), "--dir", dir.toString());
        assertEquals(0, init.code(), init.err());
        Run issue = stockade("pki", "issue", "--spec", spec.toString(), "--dir", dir.toString());
        assertEquals(0, issue.code(), issue.err());

        for (String name : List.of("core-1", "core-2", "core-3", "operator")) {
            GeneratedFilesIT.Result v = sh(dir, "openssl verify -CAfile ca.pem " + name + ".pem");
            assertEquals(0, v.code(), v.output());
            GeneratedFilesIT.Result k = sh(
                    dir,
                    "openssl pkey -in " + name + "-key.pem -pubout > k.pub && openssl x509 -in " + name
                            + ".pem -noout -pubkey > c.pub && cmp k.pub c.pub");
            assertEquals(
                    0, k.code(), "openssl reads " + name + "-key.pem and it matches the certificate: " + k.output());
            GeneratedFilesIT.Result req = sh(dir, "openssl req -in " + name + ".csr -noout -verify");
            assertEquals(0, req.code(), req.output());
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name + "-key.pem"))));
        }
        GeneratedFilesIT.Result info = sh(dir, "cfssl certinfo -cert core-1.pem");
        assertEquals(0, info.code(), info.output());
        assertTrue(info.output().contains("\"10.250.0.11\""), info.output());
        assertTrue(info.output().contains("\"core-1\""), info.output());
    }

    @Test
    void cfsslCa_importedAndUsedWithCfsslRequestFilesUnchanged() throws Exception {
        Files.writeString(
                tmp.resolve("ca-csr.json"),
                "{\"CN\": \"cfssl test CA\", \"key\": {\"algo\": \"ecdsa\", \"size\": 256},"
                        + " \"names\": [{\"C\": \"US\", \"O\": \"Example\"}]}");
        Files.writeString(
                tmp.resolve("csr.json"),
                "{\n  \"CN\": \"etcd-client\",\n  \"hosts\": [\"\"],\n"
                        + "  \"key\": {\"algo\": \"rsa\", \"size\": 2048},\n  \"names\": [{\"C\": \"US\", \"L\": \"CA\", \"ST\": \"San Francisco\"}]\n}\n");
        Files.writeString(
                tmp.resolve("ca-config.json"),
                "{\n  \"signing\": {\n    \"default\": {\"expiry\": \"43800h\"},\n"
                        + "    \"profiles\": {\n      \"client\": {\"expiry\": \"43800h\", \"usages\": [\"signing\", \"key encipherment\", \"client auth\"]},\n"
                        + "      \"client-server\": {\"expiry\": \"43800h\", \"usages\": [\"signing\", \"key encipherment\", \"server auth\", \"client auth\"]}\n"
                        + "    }\n  }\n}\n");
        GeneratedFilesIT.Result gen = sh(tmp, "cfssl gencert -initca ca-csr.json | cfssljson -bare ca");
        assertEquals(0, gen.code(), gen.output());

        Path dir = tmp.resolve("imported");
        Run imp = stockade(
                "pki",
                "init",
                "--dir",
                dir.toString(),
                "--import-cert",
                tmp.resolve("ca.pem").toString(),
                "--import-key",
                tmp.resolve("ca-key.pem").toString());
        assertEquals(0, imp.code(), imp.err());
        Run issue = stockade(
                "pki",
                "issue",
                "--dir",
                dir.toString(),
                "--csr",
                tmp.resolve("csr.json").toString(),
                "--config",
                tmp.resolve("ca-config.json").toString(),
                "--profile",
                "client");
        assertEquals(0, issue.code(), issue.err());
        GeneratedFilesIT.Result v = sh(
                tmp,
                "openssl verify -CAfile ca.pem imported/csr.pem && openssl x509 -in imported/csr.pem -noout -ext extendedKeyUsage");
        assertEquals(0, v.code(), v.output());
        assertTrue(
                v.output().contains("TLS Web Client Authentication")
                        && !v.output().contains("Server"),
                v.output());
        assertEquals(
                Files.readString(tmp.resolve("ca.pem")).trim(),
                Files.readString(dir.resolve("ca.pem")).trim());
    }

    @Test
    void cfsslCa_withKeyEncryptedByOpenssl_importedWithPassphraseFromEnvironment() throws Exception {
        Files.writeString(
                tmp.resolve("ca-csr.json"), "{\"CN\": \"enc CA\", \"key\": {\"algo\": \"rsa\", \"size\": 2048}}");
        Files.writeString(tmp.resolve("pass"), "open sesame\n");
        GeneratedFilesIT.Result gen = sh(
                tmp,
                "cfssl gencert -initca ca-csr.json | cfssljson -bare ca && "
                        + "openssl pkcs8 -topk8 -v2 aes256 -in ca-key.pem -out ca-key.enc -passout file:pass");
        assertEquals(0, gen.code(), gen.output());
        // the passphrase comes from an environment variable of the (test) process: run through the jar
        GeneratedFilesIT.Result imp = GeneratedFilesIT.exec(
                "env",
                "CA_PASS=open sesame",
                "java",
                "-jar",
                BadInputProcessIT.jar(),
                "pki",
                "init",
                "--dir",
                tmp.resolve("p").toString(),
                "--import-cert",
                tmp.resolve("ca.pem").toString(),
                "--import-key",
                tmp.resolve("ca-key.enc").toString(),
                "--ca-passphrase-env",
                "CA_PASS",
                "--encrypt");
        assertEquals(0, imp.code(), imp.output());
        assertTrue(
                Files.readString(tmp.resolve("p/ca-key.pem")).startsWith("-----BEGIN ENCRYPTED"), "stored encrypted");
        GeneratedFilesIT.Result wrong = GeneratedFilesIT.exec(
                "env",
                "CA_PASS=nope",
                "java",
                "-jar",
                BadInputProcessIT.jar(),
                "pki",
                "init",
                "--dir",
                tmp.resolve("q").toString(),
                "--import-cert",
                tmp.resolve("ca.pem").toString(),
                "--import-key",
                tmp.resolve("ca-key.enc").toString(),
                "--ca-passphrase-env",
                "CA_PASS");
        assertEquals(2, wrong.code(), wrong.output());
        assertTrue(
                wrong.output().contains("ca-key.enc:1:1: error: cannot decrypt the key: wrong passphrase?"),
                wrong.output());
        assertFalse(Files.exists(tmp.resolve("q")));
    }

    @Test
    void encryptedCaKey_opensslReadsItAndWrongPassphraseIsRejected() throws Exception {
        Path dir = tmp.resolve("enc");
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "correct horse\n");
        Run init =
                stockade("pki", "init", "--dir", dir.toString(), "--encrypt", "--ca-passphrase-file", pass.toString());
        assertEquals(0, init.code(), init.err());
        assertTrue(Files.readString(dir.resolve("ca-key.pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        GeneratedFilesIT.Result o = sh(dir, "openssl pkey -in ca-key.pem -passin file:" + pass + " -noout");
        assertEquals(0, o.code(), o.output());

        Path spec = tmp.resolve("s.yaml");
        Files.copy(Path.of("examples/demo.yaml"), spec);
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "battery staple\n");
        Run bad = stockade(
                "pki",
                "issue",
                "--spec",
                spec.toString(),
                "--dir",
                dir.toString(),
                "--ca-passphrase-file",
                wrong.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("ca-key.pem:1:1: error: cannot decrypt the key: wrong passphrase?"), bad.err());
        assertFalse(Files.exists(dir.resolve("core-1.pem")));
        Run good = stockade(
                "pki",
                "issue",
                "--spec",
                spec.toString(),
                "--dir",
                dir.toString(),
                "--ca-passphrase-file",
                pass.toString());
        assertEquals(0, good.code(), good.err());
    }

    @Test
    void badInput_exit2AndNothingOverwritten() throws Exception {
        Path dir = tmp.resolve("pki");
        Path spec = tmp.resolve("s.yaml");
        Files.copy(Path.of("examples/demo.yaml"), spec);
        assertEquals(
                0,
                stockade("pki", "issue", "--spec", spec.toString(), "--dir", dir.toString())
                        .code());
        Map<String, byte[]> before = snapshot(dir);

        Path corrupt = tmp.resolve("corrupt.pem");
        Files.writeString(corrupt, "-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n");
        Run r = stockade("pki", "inspect", corrupt.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(corrupt + ":1:1: error: corrupt PEM"), r.err());

        r = stockade(
                "pki",
                "init",
                "--dir",
                tmp.resolve("x").toString(),
                "--import-cert",
                dir.resolve("ca.pem").toString(),
                "--import-key",
                dir.resolve("core-1-key.pem").toString());
        assertEquals(2, r.code());
        assertTrue(
                r.err().contains("core-1-key.pem:1:1: error: this key does not belong to the CA certificate"), r.err());

        r = stockade("pki", "init", "--dir", dir.toString(), "--key", "dsa-1024");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown key type 'dsa-1024'"), r.err());

        Path csr = tmp.resolve("typo.json");
        Files.writeString(csr, "{\n  \"CN\": \"x\",\n  \"hostz\": [\"a\"]\n}\n");
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, "{\"signing\": {\"default\": {\"expiry\": \"8760h\"}}}");
        r = stockade("pki", "issue", "--dir", dir.toString(), "--csr", csr.toString(), "--config", cfg.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(csr + ":3:3: error: unknown field 'hostz' in the CSR"), r.err());
        assertTrue(r.err().contains("hint: did you mean 'hosts'?"), r.err());

        Files.writeString(csr, "{\"CN\": \"core-1\"}");
        r = stockade(
                "pki",
                "issue",
                "--dir",
                dir.toString(),
                "--csr",
                csr.toString(),
                "--config",
                cfg.toString(),
                "--name",
                "core-1");
        assertEquals(2, r.code(), "an existing key is never replaced without --force");
        assertTrue(r.err().contains("already exists"), r.err());

        r = stockade("pki", "init", "--dir", dir.toString());
        assertEquals(2, r.code());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEqualsSnapshot(before, snapshot(dir));
    }

    @Test
    void renew_replacesOnlyWhatNoLongerFits_keepingBackups() throws Exception {
        Path dir = tmp.resolve("pki");
        Path spec = tmp.resolve("s.yaml");
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        Files.writeString(spec, demo);
        assertEquals(
                0,
                stockade("pki", "issue", "--spec", spec.toString(), "--dir", dir.toString())
                        .code());
        byte[] core2 = Files.readAllBytes(dir.resolve("core-2.pem"));
        byte[] caKey = Files.readAllBytes(dir.resolve("ca-key.pem"));
        Files.writeString(spec, demo.replace("10.250.0.11", "10.250.0.21"));

        Run verify = stockade("pki", "verify", "--spec", spec.toString(), "--dir", dir.toString());
        assertEquals(1, verify.code(), verify.out());
        assertTrue(
                verify.out().contains("core-1.pem: error: the certificate does not cover 10.250.0.21"), verify.out());
        assertTrue(verify.out().contains("[PKI-SAN-MISSING]"));

        Run build = stockade("build", spec.toString(), "-o", tmp.resolve("out").toString(), "--pki", dir.toString());
        assertEquals(2, build.code(), "build refuses certificates that do not fit");
        assertTrue(build.err().contains("pki renew"), build.err());

        Run renew = stockade("pki", "renew", "--spec", spec.toString(), "--dir", dir.toString());
        assertEquals(0, renew.code(), renew.err());
        assertTrue(renew.out().contains("Renewed  " + dir.resolve("core-1.pem")), renew.out());
        assertTrue(
                java.util.Arrays.equals(core2, Files.readAllBytes(dir.resolve("core-2.pem"))),
                "valid certificates are kept");
        assertTrue(java.util.Arrays.equals(caKey, Files.readAllBytes(dir.resolve("ca-key.pem"))), "the CA is kept");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> backups = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".bak-"))
                    .sorted()
                    .toList();
            assertEquals(2, backups.size(), backups.toString());
            assertTrue(backups.get(0).startsWith("core-1-key.pem.bak-"), backups.toString());
        }
        assertEquals(
                0,
                stockade("pki", "verify", "--spec", spec.toString(), "--dir", dir.toString())
                        .code());
    }

    static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    static void assertEqualsSnapshot(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, b.get(k)), k + " changed"));
    }
}
