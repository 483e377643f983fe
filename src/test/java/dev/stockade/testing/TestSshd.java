package dev.stockade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What every test that runs Debian's sshd needs: ed25519 keys made for the test, and an sshd
 * configuration that lets root in with the test's client key only (no passwords, no PAM), on one
 * address and port, with its pid file beside it.
 */
public final class TestSshd {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private TestSshd() {}

    /** Checks that sshd is installed, and makes the directory sshd needs for privilege separation. */
    public static Path sshd() throws IOException {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError("openssh-server is needed (bin/test installs it)");
        }
        Files.createDirectories(Path.of("/run/sshd"));
        return SSHD;
    }

    /** An ed25519 key pair without passphrase: {@code key} and {@code key.pub}. */
    public static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ssh-keygen failed: " + out);
        }
    }

    /**
     * Writes {@code file}: sshd on {@code address}:{@code port} with {@code hostKey}, root let in by
     * the keys in {@code authorizedKeys} only; {@code extra} lines are appended. The pid file is
     * {@code file}.pid.
     */
    public static Path config(Path file, String address, int port, Path hostKey, Path authorizedKeys, String... extra)
            throws IOException {
        StringBuilder s = new StringBuilder(String.join(
                "\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile " + file + ".pid",
                ""));
        for (String line : extra) {
            s.append(line).append('\n');
        }
        return Files.writeString(file, s);
    }

    /** Stops sshd processes and everything they started (sessions, shells), waiting for each. */
    public static void stop(java.util.List<Process> daemons) throws InterruptedException {
        for (Process d : daemons) {
            d.descendants().forEach(ProcessHandle::destroyForcibly);
            d.destroyForcibly();
            d.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
