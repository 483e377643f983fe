package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encrypted CA key with no passphrase option: on a terminal the command asks for it (here a real
 * pseudo-terminal from util-linux's {@code script}), and only when it must sign; without a terminal
 * it stops with PKI-KEY-ENCRYPTED.
 */
class PassphrasePromptIT {

    static final String PASS = "correct horse battery staple";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    Path jar;
    Path pki;

    @BeforeEach
    void encryptedCa() throws Exception {
        jar = Path.of(System.getProperty("stockade.jar", "target/stockade.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built by mvn package");
        assertEquals(
                0,
                Commands.run(new ProcessBuilder("sh", "-c", "command -v script"), TIMEOUT, tmp)
                        .exit(),
                "util-linux's script must be installed");
        pki = tmp.resolve("pki");
        Path pass = Files.writeString(tmp.resolve("pass"), PASS + "\n");
        ExecResult init =
                java("pki", "init", "--dir", pki.toString(), "--encrypt", "--ca-passphrase-file", pass.toString());
        assertEquals(0, init.exit(), init.toString());
    }

    ExecResult java(String... args) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("java", "-jar", jar.toString()));
        argv.addAll(java.util.List.of(args));
        return Commands.run(new ProcessBuilder(ChildJvm.withCoverageAgent(argv.toArray(String[]::new))), TIMEOUT, tmp);
    }

    /** {@code stockade ARGS} on a pseudo-terminal, with {@code typed} as what the user types. */
    ExecResult onTerminal(String typed, String args) {
        ProcessBuilder b = new ProcessBuilder(
                "sh", "-c", "printf '%s\\n' \"$TYPED\" | script -qec \"java -jar $JAR " + args + "\" /dev/null");
        b.environment().put("TYPED", typed);
        b.environment().put("JAR", jar.toString());
        return Commands.run(b.redirectErrorStream(true), TIMEOUT, tmp);
    }

    @Test
    void issue_onATerminal_asksForThePassphraseAndSigns() throws Exception {
        ExecResult r = onTerminal(PASS, "pki issue --spec examples/demo.yaml --dir " + pki);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("Passphrase for the CA key " + pki.resolve("ca-key.pem") + ": "), r.stdout());
        assertTrue(Files.isRegularFile(pki.resolve("core-1.pem")), r.stdout());
    }

    @Test
    void issue_wrongPassphraseTyped_exit2NothingIssued() {
        ExecResult r = onTerminal("not it", "pki issue --spec examples/demo.yaml --dir " + pki);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stdout().contains("cannot decrypt the key: wrong passphrase? [PKI-PASSPHRASE]"), r.stdout());
        assertFalse(Files.exists(pki.resolve("core-1.pem")));
    }

    @Test
    void issue_withoutATerminal_namesTheOptions_andNothingToSignAsksNothing() {
        ExecResult r = java("pki", "issue", "--spec", "examples/demo.yaml", "--dir", pki.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("[PKI-KEY-ENCRYPTED]"), r.stderr());
        assertTrue(r.stderr().contains("or run the command on a terminal to be asked for it"), r.stderr());
        // once issued, a build that signs nothing asks for nothing, even on a terminal
        assertEquals(
                0,
                onTerminal(PASS, "pki issue --spec examples/demo.yaml --dir " + pki)
                        .exit());
        ExecResult again = onTerminal("", "build examples/demo.yaml --pki " + pki + " -o " + tmp.resolve("out"));
        assertEquals(0, again.exit(), again.toString());
        assertFalse(again.stdout().contains("Passphrase for"), again.stdout());
    }
}
