package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.build.ClusterBuilder;
import dev.stockade.build.FirewallProof;
import dev.stockade.build.ProvedCluster;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.Matches;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.net.PortRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every exit code every command documents in its help ("Exit codes:"), each produced by a real run
 * and asserted with the message that goes with it. The list of cases is checked against the help
 * of the command tree, so a command or a documented code without a case fails here.
 */
class ExitCodesTest {

    static final String V4 = FwCommandsTest.V4;
    static final String V6 = FwCommandsTest.V6;
    static final String DEMO = "examples/demo.yaml";

    @TempDir
    Path tmp;

    interface Check {
        void run(Path dir) throws Exception;
    }

    static BuildCommandTest.Result run(String... args) {
        return BuildCommandTest.run(args);
    }

    /** The cases, by command ("fw diff") and exit code. */
    static Map<String, Map<Integer, Check>> cases() {
        Map<String, Map<Integer, Check>> all = new TreeMap<>();
        build(all.computeIfAbsent("build", k -> new TreeMap<>()));
        pki(all);
        fw(all);
        imagesGate(all.computeIfAbsent("images gate", k -> new TreeMap<>()));
        Map<String, String[]> askedIn = Map.of(
                "fw", new String[] {"diff", "dif"},
                "images", new String[] {"check", "chek"},
                "pki", new String[] {"verify", "verfy"});
        for (String group : List.of("", "fw", "images", "pki")) {
            String command = group.isEmpty() ? "help" : group + " help";
            String[] asked = askedIn.getOrDefault(group, askedIn.get("pki"));
            String full = (group.isEmpty() ? "pki" : group) + " " + asked[0];
            Map<Integer, Check> help = all.computeIfAbsent(command, k -> new TreeMap<>());
            help.put(0, dir -> {
                BuildCommandTest.Result r = run(helpArgs(group, asked[0]));
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().startsWith("Usage: stockade " + full), r.out());
            });
            help.put(2, dir -> {
                BuildCommandTest.Result r = run(helpArgs(group, asked[1]));
                assertEquals(2, r.code(), r.out());
                assertTrue(
                        r.err().contains("unknown command '" + asked[1] + "'; did you mean '" + asked[0] + "'?"),
                        r.err());
            });
        }
        return all;
    }

    private static void build(Map<Integer, Check> c) {
        c.put(0, dir -> {
            BuildCommandTest.Result r =
                    run("build", DEMO, "-o", dir.resolve("out").toString(), "--pki", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isRegularFile(dir.resolve("out/demo/core-1/iptables.rules")));
            assertTrue(r.out().contains("proof: IPv4 holds, IPv6 holds"), r.out());
        });
        c.put(2, dir -> {
            String demo = Files.readString(Path.of(DEMO));
            List<String> lines = demo.lines().toList();
            int line = 1;
            while (line <= lines.size() && !lines.get(line - 1).startsWith("target: flatcar")) {
                line++;
            }
            assertTrue(line <= lines.size(), demo);
            Path spec = Files.writeString(dir.resolve("bad.yaml"), demo.replace("target: flatcar", "target: flatcat"));
            BuildCommandTest.Result r =
                    run("build", spec.toString(), "-o", dir.resolve("out").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().contains(spec + ":" + line + ":9: error: unknown target 'flatcat' [SPEC-VALUE]"), r.err());
            assertTrue(r.err().contains("  hint: did you mean 'flatcar'?"), r.err());
            assertFalse(Files.exists(dir.resolve("out")));
        });
        c.put(3, dir -> {
            Path file = Files.writeString(dir.resolve("file"), "not a directory\n");
            BuildCommandTest.Result r =
                    run("build", DEMO, "-o", file.resolve("out").toString(), "--pki", pki(dir));
            assertEquals(3, r.code(), r.err());
            assertTrue(
                    r.err()
                            .contains("stockade: error: cannot write " + file.resolve("out/demo") + ": " + file
                                    + " exists and is not a directory\n  hint: "),
                    r.err());
            assertTrue(r.err().contains("nothing was written and no certificate was issued"), r.err());
            assertFalse(Files.exists(Path.of(pki(dir))), "the output is checked before the PKI is created");
            // the PKI comes first: when it cannot be written, the previous output stays as it was
            Path out = dir.resolve("out");
            assertEquals(
                    0,
                    run("build", DEMO, "-o", out.toString(), "--pki", pki(dir)).code());
            Map<String, byte[]> before = BuildCommandTest.snapshot(out);
            BuildCommandTest.Result pki = run(
                    "build",
                    DEMO,
                    "-o",
                    out.toString(),
                    "--pki",
                    file.resolve("pki").toString());
            assertEquals(3, pki.code(), pki.err());
            assertTrue(
                    pki.err()
                            .contains("stockade: error: cannot write the PKI in " + file.resolve("pki") + ": " + file
                                    + " exists and is not a directory"),
                    pki.err());
            Map<String, byte[]> after = BuildCommandTest.snapshot(out);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k));
        });
        c.put(4, dir -> {
            // a firewall that accepts more than the spec says: the proof fails and nothing is written
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            CommandLine cl = Main.commandLine(new PrintWriter(o), new PrintWriter(e));
            ((BuildCommand) cl.getSubcommands().get("build").getCommand()).pipeline =
                    (spec, etcd) -> withExtraPort(ClusterBuilder.prove(spec, etcd), "core-2", 8080);
            Path out = dir.resolve("out");
            int code = Main.execute(cl, new String[] {"build", DEMO, "-o", out.toString(), "--pki", pki(dir)});
            assertEquals(4, code, e.toString());
            assertEquals("", o.toString());
            String err = e.toString();
            assertTrue(
                    err.startsWith(
                            "stockade: proof failed for core-2 IPv4: the rules accept more than the spec says\n"),
                    err);
            assertTrue(err.contains("  accepted but not in the spec:\n"), err);
            assertTrue(err.lines().anyMatch(l -> l.matches("\\s+tcp\\s+8080\\s+! lo\\s+any")), err);
            assertTrue(
                    err.endsWith("stockade: internal error: the compiled firewall does not match the spec; nothing was"
                            + " written\n  hint: this is a bug in Stockade; please report it with the spec\n"),
                    err);
            assertFalse(err.contains("proof failed for core-1"), err);
            assertFalse(Files.exists(out));
            assertFalse(Files.exists(Path.of(pki(dir))), "no CA is created for a build that is refused");
            // any other failure inside the command: one line and a hint
            assertInternalError(internal("build", DEMO, "-o", out.toString(), "--pki", pki(dir)));
        });
    }

    private static void pki(Map<String, Map<Integer, Check>> all) {
        Map<Integer, Check> init = all.computeIfAbsent("pki init", k -> new TreeMap<>());
        init.put(0, dir -> {
            BuildCommandTest.Result r = run("pki", "init", "--dir", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    r.out().startsWith("Created CA " + dir.resolve("pki/ca.pem") + ": CN=stockade cluster CA"),
                    r.out());
            assertTrue(Files.isRegularFile(dir.resolve("pki/ca-key.pem")));
        });
        init.put(2, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            byte[] ca = Files.readAllBytes(dir.resolve("pki/ca.pem"));
            BuildCommandTest.Result r = run("pki", "init", "--dir", pki(dir));
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err()
                            .startsWith("stockade: error: " + dir.resolve("pki/ca.pem")
                                    + " already exists; nothing was written\n  hint: "),
                    r.err());
            assertTrue(r.err().contains("add --force"), r.err());
            assertTrue(java.util.Arrays.equals(ca, Files.readAllBytes(dir.resolve("pki/ca.pem"))));
        });
        init.put(3, dir -> {
            Path file = Files.writeString(dir.resolve("file"), "x\n");
            BuildCommandTest.Result r =
                    run("pki", "init", "--dir", file.resolve("p").toString());
            assertEquals(3, r.code(), r.err());
            assertEquals(
                    "stockade: error: cannot write " + file.resolve("p") + ": " + file
                            + " exists and is not a directory\n  hint: check the path, its permissions and the free"
                            + " space\n",
                    r.err());
        });
        init.put(4, dir -> assertInternalError(internal("pki", "init", "--dir", pki(dir))));

        Map<Integer, Check> issue = all.computeIfAbsent("pki issue", k -> new TreeMap<>());
        issue.put(0, dir -> {
            BuildCommandTest.Result r = run("pki", "issue", "--spec", DEMO, "--dir", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Issued   " + dir.resolve("pki/core-1.pem")), r.out());
        });
        issue.put(2, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            Path csr = Files.writeString(dir.resolve("client.json"), "{\"CN\": \"client\",\n \"host\": [\"a\"]}\n");
            Path config = Files.writeString(dir.resolve("ca-config.json"), CA_CONFIG);
            BuildCommandTest.Result r =
                    run("pki", "issue", "--dir", pki(dir), "--csr", csr.toString(), "--config", config.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().contains(csr + ":2:2: error: unknown field 'host' in the CSR [CFSSL-UNKNOWN-FIELD]"),
                    r.err());
            assertTrue(r.err().contains("  hint: did you mean 'hosts'?"), r.err());
            assertFalse(Files.exists(dir.resolve("pki/client.pem")));
        });
        issue.put(3, dir -> {
            Path file = Files.writeString(dir.resolve("file"), "x\n");
            BuildCommandTest.Result r = run(
                    "pki", "issue", "--spec", DEMO, "--dir", file.resolve("p").toString());
            assertEquals(3, r.code(), r.err());
            assertTrue(
                    r.err()
                            .startsWith("stockade: error: cannot write the PKI in " + file.resolve("p") + ": " + file
                                    + " exists and is not a directory\n"),
                    r.err());
            // the cfssl way writes beside the CA
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            Path blocker = Files.writeString(dir.resolve("pki/blocker"), "x\n");
            Path csr = Files.writeString(dir.resolve("client.json"), "{\"CN\": \"client\"}\n");
            Path config = Files.writeString(dir.resolve("ca-config.json"), CA_CONFIG);
            BuildCommandTest.Result cfssl = run(
                    "pki",
                    "issue",
                    "--dir",
                    pki(dir),
                    "--csr",
                    csr.toString(),
                    "--config",
                    config.toString(),
                    "--name",
                    "blocker/client");
            assertEquals(3, cfssl.code(), cfssl.err());
            assertTrue(
                    cfssl.err()
                            .startsWith("stockade: error: cannot write: " + blocker.toAbsolutePath()
                                    + " exists and is not a directory\n"),
                    cfssl.err());
        });
        issue.put(4, dir -> assertInternalError(internal("pki", "issue", "--spec", DEMO, "--dir", pki(dir))));

        Map<Integer, Check> inspect = all.computeIfAbsent("pki inspect", k -> new TreeMap<>());
        inspect.put(0, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            BuildCommandTest.Result r =
                    run("pki", "inspect", dir.resolve("pki/ca.pem").toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(dir.resolve("pki/ca.pem") + ": certificate\n"), r.out());
        });
        inspect.put(2, dir -> {
            Path missing = dir.resolve("nope.pem");
            BuildCommandTest.Result r = run("pki", "inspect", missing.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().startsWith(missing + ":1:1: error: no such file [PKI-READ]\n  hint: check the path\n"),
                    r.err());
            assertEquals("", r.out());
        });
        inspect.put(4, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            assertInternalError(
                    internal("pki", "inspect", dir.resolve("pki/ca.pem").toString()));
        });

        Map<Integer, Check> verify = all.computeIfAbsent("pki verify", k -> new TreeMap<>());
        verify.put(0, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            BuildCommandTest.Result r = run("pki", "verify", "--spec", DEMO, "--dir", pki(dir));
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("All certificates fit the spec."), r.out());
        });
        verify.put(1, dir -> {
            BuildCommandTest.Result r = run("pki", "verify", "--spec", DEMO, "--dir", pki(dir));
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains(dir.resolve("pki/ca.pem") + ": error: "), r.out());
            assertTrue(r.out().contains("[PKI-MISSING]"), r.out());
        });
        verify.put(2, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            Path cert = Files.writeString(dir.resolve("pki/core-2.pem"), "garbage\n");
            BuildCommandTest.Result r = run("pki", "verify", "--spec", DEMO, "--dir", pki(dir));
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(cert + ":1:1: error: "), r.err());
            assertTrue(r.err().contains("[PKI-PEM]"), r.err());
        });
        verify.put(4, dir -> assertInternalError(internal("pki", "verify", "--spec", DEMO, "--dir", pki(dir))));

        Map<Integer, Check> validate = all.computeIfAbsent("validate", k -> new TreeMap<>());
        validate.put(0, dir -> {
            Path f = Files.writeString(dir.resolve("u.yml"), "#cloud-config\nhostname: a\n");
            BuildCommandTest.Result r = run("validate", f.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().endsWith("No findings.\n"), r.out());
        });
        validate.put(1, dir -> {
            Path f = Files.writeString(dir.resolve("u.yml"), "#cloud-config\nwrite_files:\n  - path: /usr/x\n");
            BuildCommandTest.Result r = run("validate", f.toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(
                    r.out()
                            .contains(f + ":3:11: error: /usr/x cannot be written: /usr is a read-only filesystem"
                                    + " [CC-READ-ONLY]"),
                    r.out());
        });
        validate.put(2, dir -> {
            Path missing = dir.resolve("nope.ign");
            BuildCommandTest.Result r = run("validate", missing.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(missing + ":1:1: error: no such file [VAL-READ]\n"), r.err());
            assertEquals("", r.out());
        });
        validate.put(4, dir -> {
            Path f = Files.writeString(dir.resolve("u.yml"), "#cloud-config\n");
            assertInternalError(internal("validate", f.toString()));
        });

        Map<Integer, Check> images = all.computeIfAbsent("images check", k -> new TreeMap<>());
        images.put(0, dir -> {
            Path f = Files.writeString(
                    dir.resolve("u.service"),
                    "[Service]\nExecStart=/usr/bin/docker run nginx@sha256:" + "a".repeat(64) + "\n");
            BuildCommandTest.Result r = run("images", "check", f.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().endsWith("1 image reference, 1 pinned by digest.\nNo findings.\n"), r.out());
        });
        images.put(1, dir -> {
            Path f = Files.writeString(dir.resolve("c.yaml"), "services:\n  web:\n    image: nginx:latest\n");
            BuildCommandTest.Result r = run("images", "check", f.toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains(f + ":3:12: error: 'nginx:latest' (services.web.image) uses the tag"), r.out());
        });
        images.put(2, dir -> {
            Path missing = dir.resolve("nope.yaml");
            BuildCommandTest.Result r = run("images", "check", missing.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(missing + ":1:1: error: no such file [IMG-READ]\n"), r.err());
            assertEquals("", r.out());
        });
        images.put(3, dir -> {
            // nothing listens on port 1 of loopback: the registry cannot be reached
            Path f = Files.writeString(dir.resolve("c.yaml"), "services:\n  web:\n    image: 127.0.0.1:1/web:1.0\n");
            BuildCommandTest.Result r = run("images", "check", "--resolve", "--write", f.toString());
            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(
                    r.err().contains(f + ":3:12: cannot pin '127.0.0.1:1/web:1.0': cannot reach 127.0.0.1:1"), r.err());
            assertTrue(r.err().contains("[REG-UNREACHABLE]"), r.err());
            assertEquals("services:\n  web:\n    image: 127.0.0.1:1/web:1.0\n", Files.readString(f), "nothing written");
        });
        images.put(4, dir -> {
            Path f = Files.writeString(dir.resolve("c.yaml"), "services: {}\n");
            assertInternalError(internal("images", "check", f.toString()));
        });

        // ApplyCommand
        Map<Integer, Check> apply = all.computeIfAbsent("apply", k -> new TreeMap<>());
        apply.put(0, dir -> {
            BuildCommandTest.Result r = ApplyCommandTest.dryRunOverLoopback(dir);
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().startsWith("core-1 (127.0.0.1): planned: would change (dry run)"), r.out());
        });
        apply.put(1, dir -> {
            Path spec = ApplyCommandTest.loopbackSpec(dir, ApplyCommandTest.freePort());
            BuildCommandTest.Result r = run(
                    "apply",
                    "--spec",
                    spec.toString(),
                    "--nodes",
                    "core-1",
                    "--known-hosts",
                    Files.writeString(dir.resolve("kh"), "").toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().startsWith("core-1 (127.0.0.1): failed: cannot connect:"), r.out());
        });
        apply.put(2, dir -> {
            BuildCommandTest.Result r =
                    run("apply", "--spec", dir.resolve("missing.yaml").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("missing.yaml"), r.err());
        });
        apply.put(4, dir -> {
            Path spec = ApplyCommandTest.loopbackSpec(dir, ApplyCommandTest.freePort());
            assertInternalError(internal(
                    "apply",
                    "--spec",
                    spec.toString(),
                    "--nodes",
                    "core-1",
                    "--known-hosts",
                    Files.writeString(dir.resolve("kh"), "").toString()));
        });

        // AuditCommand
        Map<Integer, Check> audit = all.computeIfAbsent("audit", k -> new TreeMap<>());
        audit.put(0, dir -> {
            BuildCommandTest.Result r = run("audit", "--snapshot", "src/test/resources/audit/hardened");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(
                    r.out()
                            .startsWith("Audited hardened (" + dev.stockade.audit.Probe.values().length
                                    + " facts collected).\n"),
                    r.out());
        });
        audit.put(1, dir -> {
            BuildCommandTest.Result r = run("audit", "--snapshot", "src/test/resources/audit/open");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains(": error: /run/docker.sock is writable by every user"), r.out());
        });
        audit.put(2, dir -> {
            Path missing = dir.resolve("facts.tar");
            BuildCommandTest.Result r = run("audit", "--snapshot", missing.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().startsWith(missing + ":1:1: error: no such directory or file [AUD-SNAPSHOT]\n"), r.err());
        });
        audit.put(3, dir -> {
            Files.writeString(dir.resolve("hostname.rc"), "127\n");
            BuildCommandTest.Result r = run("audit", "--snapshot", dir.toString());
            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(
                    r.out().contains("error: no fact could be collected: 'hostname' is not installed [AUD-NOTHING]"),
                    r.out());
        });
        audit.put(4, dir -> assertInternalError(internal("audit", "--snapshot", "src/test/resources/audit/hardened")));

        Map<Integer, Check> renew = all.computeIfAbsent("pki renew", k -> new TreeMap<>());
        renew.put(0, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            BuildCommandTest.Result r = run("pki", "renew", "--spec", DEMO, "--dir", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Kept     " + dir.resolve("pki/core-1.pem")), r.out());
        });
        renew.put(2, dir -> {
            Path missing = dir.resolve("nope.yaml");
            BuildCommandTest.Result r = run("pki", "renew", "--spec", missing.toString(), "--dir", pki(dir));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(missing + ":1:1: error: no such file [SPEC-READ]\n"), r.err());
            assertFalse(Files.exists(dir.resolve("pki")));
        });
        renew.put(3, dir -> {
            Path file = Files.writeString(dir.resolve("file"), "x\n");
            BuildCommandTest.Result r = run(
                    "pki", "renew", "--spec", DEMO, "--dir", file.resolve("p").toString());
            assertEquals(3, r.code(), r.err());
            assertTrue(
                    r.err()
                            .startsWith("stockade: error: cannot write the PKI in " + file.resolve("p") + ": " + file
                                    + " exists and is not a directory\n"),
                    r.err());
        });
        renew.put(4, dir -> assertInternalError(internal("pki", "renew", "--spec", DEMO, "--dir", pki(dir))));

        Map<Integer, Check> revoke = all.computeIfAbsent("pki revoke", k -> new TreeMap<>());
        revoke.put(0, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            BuildCommandTest.Result r = run("pki", "revoke", "core-2", "--dir", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Revoked  core-2 (serial "), r.out());
        });
        revoke.put(2, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            BuildCommandTest.Result r = run("pki", "revoke", "ca", "--dir", pki(dir));
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err()
                            .startsWith(dir.resolve("pki/ca.pem")
                                    + ":1:1: error: a CA cannot revoke itself [PKI-REVOKE-CA]"),
                    r.err());
        });
        revoke.put(3, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            Files.createDirectories(dir.resolve("pki/crl.pem/in-the-way"));
            BuildCommandTest.Result r = run("pki", "revoke", "core-2", "--dir", pki(dir));
            assertEquals(3, r.code(), r.err());
            assertTrue(r.err().startsWith("stockade: error: cannot write the CRL in " + dir.resolve("pki")), r.err());
        });
        revoke.put(4, dir -> {
            assertEquals(
                    0, run("pki", "issue", "--spec", DEMO, "--dir", pki(dir)).code());
            assertInternalError(internal("pki", "revoke", "core-1", "--dir", pki(dir)));
        });

        Map<Integer, Check> crl = all.computeIfAbsent("pki crl", k -> new TreeMap<>());
        crl.put(0, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            BuildCommandTest.Result r = run("pki", "crl", "--dir", pki(dir));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Signed   " + dir.resolve("pki/crl.pem")), r.out());
            assertTrue(r.out().contains("(CRL number 1, 0 revoked, next update "), r.out());
        });
        crl.put(2, dir -> {
            BuildCommandTest.Result r = run("pki", "crl", "--dir", pki(dir));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("there is no CA in " + dir.resolve("pki")), r.err());
        });
        crl.put(3, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            Files.createDirectories(dir.resolve("pki/crl.der/in-the-way"));
            BuildCommandTest.Result r = run("pki", "crl", "--dir", pki(dir));
            assertEquals(3, r.code(), r.err());
            assertTrue(r.err().startsWith("stockade: error: cannot write the CRL in "), r.err());
        });
        crl.put(4, dir -> {
            assertEquals(0, run("pki", "init", "--dir", pki(dir)).code());
            assertInternalError(internal("pki", "crl", "--dir", pki(dir)));
        });
    }

    private static void fw(Map<String, Map<Integer, Check>> all) {
        Map<Integer, Check> analyze = all.computeIfAbsent("fw analyze", k -> new TreeMap<>());
        analyze.put(0, dir -> {
            BuildCommandTest.Result r = run("fw", "analyze", V4);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(V4 + ": IPv4, filter INPUT, new connections (exact)"), r.out());
        });
        analyze.put(2, dir -> {
            BuildCommandTest.Result r = run("fw", "analyze", "--chain", "NOPE", V4);
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().startsWith(V4 + ":1:1: error: the filter table has no builtin chain 'NOPE' [FW-NO-CHAIN]"),
                    r.err());
            assertEquals("", r.out());
        });
        analyze.put(4, dir -> assertInternalError(internal("fw", "analyze", V4)));

        Map<Integer, Check> matrix = all.computeIfAbsent("fw matrix", k -> new TreeMap<>());
        matrix.put(0, dir -> {
            BuildCommandTest.Result r = run("fw", "matrix", "--port", "22", V4);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("=========== TCP port 10000->22 ========="), r.out());
        });
        matrix.put(2, dir -> {
            Path ipassmt = Files.writeString(dir.resolve("a.ipassmt"), "eth0 = [10.0.0.0/8\n");
            BuildCommandTest.Result r = run("fw", "matrix", "--ipassmt", ipassmt.toString(), V4);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(ipassmt + ":1:1: error: expected 'NAME = [addresses]'"), r.err());
            assertTrue(r.err().contains("[IPASSMT-SYNTAX]"), r.err());
            assertEquals("", r.out());
        });
        matrix.put(4, dir -> assertInternalError(internal("fw", "matrix", V4)));

        Map<Integer, Check> diff = all.computeIfAbsent("fw diff", k -> new TreeMap<>());
        diff.put(0, dir -> {
            BuildCommandTest.Result r = run("fw", "diff", V4, V4);
            assertEquals(0, r.code(), r.err());
            assertEquals(
                    V4 + " -> " + V4 + ": the same packets are accepted (IPv4, filter INPUT)\n",
                    r.out().replace(System.lineSeparator(), "\n"));
        });
        diff.put(1, dir -> {
            Path changed = Files.writeString(
                    dir.resolve("new.rules"),
                    Files.readString(Path.of(V4))
                            .replace(
                                    "-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n",
                                    "-A INPUT -p tcp -m tcp --dport 8443 -j ACCEPT\n"));
            BuildCommandTest.Result r = run("fw", "diff", V4, changed.toString());
            assertEquals(1, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(V4 + " -> " + changed + " (IPv4, filter INPUT, new connections):", lines.get(0));
            int opened = lines.indexOf("  newly accepted:");
            int closed = lines.indexOf("  newly refused:");
            assertTrue(opened > 0 && closed > opened, r.out());
            assertTrue(lines.get(opened + 2).matches("\\s+tcp\\s+8443\\s+! lo\\s+any"), r.out());
            assertTrue(lines.get(closed + 2).matches("\\s+tcp\\s+443\\s+! lo\\s+any"), r.out());
        });
        diff.put(2, dir -> {
            BuildCommandTest.Result r = run("fw", "diff", V4, V6);
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err().startsWith(V6 + ":1:1: error: cannot compare " + V4 + " (IPv4) with " + V6 + " (IPv6)"),
                    r.err());
            assertTrue(r.err().contains("  hint: compare iptables-save output with iptables-save output"), r.err());
        });
        diff.put(4, dir -> assertInternalError(internal("fw", "diff", V4, V4)));

        Map<Integer, Check> lint = all.computeIfAbsent("fw lint", k -> new TreeMap<>());
        lint.put(0, dir -> {
            BuildCommandTest.Result r = run("fw", "lint", V4, V6);
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().endsWith("No findings.\n"), r.out());
        });
        lint.put(1, dir -> {
            Path open = Files.writeString(
                    dir.resolve("open.rules"), "*filter\n:INPUT DROP [0:0]\n-A INPUT -j nowhere\nCOMMIT\n");
            BuildCommandTest.Result r = run("fw", "lint", open.toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains(open + ":3:1: error: "), r.out());
            assertTrue(r.out().contains("[FW-UNDEFINED-CHAIN]"), r.out());
        });
        lint.put(2, dir -> {
            Path nat = Files.writeString(dir.resolve("nat.rules"), "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
            BuildCommandTest.Result r = run("fw", "lint", V4, nat.toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().startsWith(nat + ":1:1: error: no *filter table in this file [FW-NO-TABLE]"), r.err());
            assertEquals("", r.out());
        });
        lint.put(4, dir -> assertInternalError(internal("fw", "lint", V4)));

        Map<Integer, Check> query = all.computeIfAbsent("fw query", k -> new TreeMap<>());
        String[] packet = {"--src", "203.0.113.5", "--dst", "198.51.100.1", "--dport", "22"};
        query.put(0, dir -> {
            BuildCommandTest.Result r = run(concat(new String[] {"fw", "query", V4}, packet));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("verdict: ACCEPT"), r.out());
        });
        query.put(2, dir -> {
            BuildCommandTest.Result r = run(concat(new String[] {"fw", "query", V4, "--tcp-flags", "BOGUS"}, packet));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("stockade: --tcp-flags BOGUS: 'BOGUS' is not a TCP flag"), r.err());
            assertTrue(r.err().contains("  hint: see 'stockade fw query --help'"), r.err());
        });
        query.put(4, dir -> assertInternalError(internal(concat(new String[] {"fw", "query", V4}, packet))));
    }

    private static void imagesGate(Map<Integer, Check> c) {
        String trivy = ImagesGateCommandTest.TRIVY;
        c.put(0, dir -> {
            BuildCommandTest.Result r = run("images", "gate", "--severity", "critical", "--ignore-unfixed", trivy);
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(
                    r.out()
                            .endsWith("Passed: no vulnerability at or above critical; 1 without a fix skipped,"
                                    + " 4 below critical.\n"),
                    r.out());
        });
        c.put(1, dir -> {
            BuildCommandTest.Result r = run("images", "gate", trivy);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.out().contains(trivy + ":39:9: error: CVE-2024-0001 (critical): busybox 1.36.1-r2"), r.out());
            assertTrue(
                    r.out()
                            .endsWith("Failed: 3 vulnerabilities at or above high (1 critical, 2 high); 2 below"
                                    + " high.\n"),
                    r.out());
        });
        c.put(2, dir -> {
            Path old =
                    Files.writeString(dir.resolve("old.json"), "[{\"Target\": \"alpine\", \"Vulnerabilities\": []}]");
            BuildCommandTest.Result r = run("images", "gate", old.toString());
            assertEquals(2, r.code(), r.out());
            assertTrue(
                    r.err()
                            .startsWith(old + ":1:1: error: a Trivy report of the old schema (a list of results,"
                                    + " Trivy before 0.20) [GATE-SCHEMA]"),
                    r.err());
            assertTrue(r.err().contains("  hint: write the report with Trivy 0.20 or later"), r.err());
            assertEquals("", r.out());
        });
        c.put(4, dir -> assertInternalError(internal("images", "gate", trivy)));
    }

    /** {@code help pki verify}, {@code fw help diff}, {@code pki help verify}. */
    static String[] helpArgs(String group, String command) {
        if (group.isEmpty()) {
            return new String[] {"help", command.equals("verify") || command.equals("verfy") ? "pki" : "fw", command};
        }
        return new String[] {group, "help", command};
    }

    static final String CA_CONFIG = "{\"signing\": {\"default\": {\"expiry\": \"8760h\","
            + " \"usages\": [\"signing\", \"key encipherment\", \"client auth\"]}}}\n";

    static String pki(Path dir) {
        return dir.resolve("pki").toString();
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /**
     * Runs a command whose standard output fails with a RuntimeException when written: a failure
     * from inside the real command, which must reach the top as exit 4.
     */
    static BuildCommandTest.Result internal(String... args) {
        StringWriter e = new StringWriter();
        PrintWriter broken = new PrintWriter(new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                throw new IllegalStateException("standard output failed");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        int code = Main.execute(Main.commandLine(broken, new PrintWriter(e)), args);
        return new BuildCommandTest.Result(code, "", e.toString());
    }

    static void assertInternalError(BuildCommandTest.Result r) {
        assertEquals(4, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() >= 2, r.err());
        assertTrue(
                lines.get(lines.size() - 2)
                        .startsWith(
                                "stockade: internal error: java.lang.IllegalStateException: standard output failed (at "),
                r.err());
        assertEquals(
                "  hint: this is a bug in Stockade; please report it with the command you ran and its input",
                lines.get(lines.size() - 1));
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** {@code result} with one more ACCEPT rule in {@code node}'s IPv4 INPUT chain, and its proof redone. */
    static ProvedCluster withExtraPort(ProvedCluster result, String node, int port) {
        List<ProvedCluster.Node> nodes = new ArrayList<>();
        for (ProvedCluster.Node n : result.nodes()) {
            if (!n.node().name().equals(node)) {
                nodes.add(n);
                continue;
            }
            NodeFirewall fw = n.firewall();
            Table filter = fw.v4().table("filter").orElseThrow();
            List<Rule> rules = new ArrayList<>(filter.rules());
            int at = 0;
            while (!rules.get(at).chain().equals("INPUT")) {
                at++;
            }
            rules.add(
                    at,
                    Rule.of(
                            "INPUT",
                            List.of(Matches.protocol("tcp"), Matches.ports("tcp", null, PortRange.of(port))),
                            Target.jump("ACCEPT")));
            NodeFirewall tampered = new NodeFirewall(
                    fw.node(),
                    new Ruleset(fw.v4().family(), List.of(new Table("filter", filter.chains(), rules))),
                    fw.v6(),
                    fw.openings(),
                    fw.provisional());
            dev.stockade.provision.FirewallFiles written = new dev.stockade.provision.FirewallFiles.Iptables(
                    dev.stockade.iptables.IptablesSaveWriter.write(tampered.v4(), List.of()),
                    dev.stockade.iptables.IptablesSaveWriter.write(tampered.v6(), List.of()));
            List<FirewallProof.Result> proof =
                    FirewallProof.prove(dev.stockade.intent.SpecIntent.of(result.spec()), node, written);
            nodes.add(new ProvedCluster.Node(n.node(), tampered, written, proof));
        }
        return new ProvedCluster(result.spec(), nodes, result.etcd(), result.warnings());
    }

    /** Each leaf command's documented exit codes, read from its help. */
    static Map<String, Set<Integer>> documented() {
        Map<String, Set<Integer>> out = new TreeMap<>();
        Deque<CommandLine> todo = new ArrayDeque<>(
                List.of(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))));
        while (!todo.isEmpty()) {
            CommandLine c = todo.poll();
            if (!c.getSubcommands().isEmpty()) {
                c.getSubcommands().values().stream().distinct().forEach(todo::add);
                continue;
            }
            Set<Integer> codes = new TreeSet<>();
            c.getCommandSpec()
                    .usageMessage()
                    .exitCodeList()
                    .keySet()
                    .forEach(k -> codes.add(Integer.parseInt(k.strip())));
            out.put(c.getCommandSpec().qualifiedName().replaceFirst("^stockade ", ""), codes);
        }
        return out;
    }

    @Test
    void everyLeafCommand_everyDocumentedExitCode_hasACase() {
        Map<String, Set<Integer>> documented = documented();
        Map<String, Set<Integer>> covered = new TreeMap<>();
        cases().forEach((command, codes) -> covered.put(command, new TreeSet<>(codes.keySet())));
        assertEquals(documented, covered);
        assertTrue(
                documented.keySet().containsAll(List.of("build", "fw diff", "pki verify", "help")),
                documented::toString);
        documented.forEach((command, codes) -> assertFalse(codes.isEmpty(), command + " documents no exit codes"));
    }

    @TestFactory
    Stream<DynamicTest> everyCase_exitsWithItsCodeAndMessage() {
        List<DynamicTest> tests = new ArrayList<>();
        cases().forEach((command, codes) -> codes.forEach((code, check) -> tests.add(
                DynamicTest.dynamicTest(command + " exits " + code, () -> check.run(fresh(command + "-" + code))))));
        return tests.stream();
    }

    private Path fresh(String name) throws IOException {
        return Files.createDirectory(tmp.resolve(name.replace(' ', '-')));
    }
}
