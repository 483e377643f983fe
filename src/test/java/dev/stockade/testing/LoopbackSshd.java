package dev.stockade.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's sshd on 127.0.0.1 at a free port, with a host key and a client key made for the test,
 * letting root in with that key: for tests of SSH commands that need no network namespace (they
 * read, never change, this machine). Stopped by {@link #close()}.
 */
public final class LoopbackSshd implements AutoCloseable {

    private final Process daemon;
    private final int port;
    private final Path dir;

    private LoopbackSshd(Process daemon, int port, Path dir) {
        this.daemon = daemon;
        this.port = port;
        this.dir = dir;
    }

    /** @param extra more sshd_config lines (e.g. a {@code ForceCommand}) */
    public static LoopbackSshd start(Path dir, String... extra) throws IOException, InterruptedException {
        Path sshd = TestSshd.sshd();
        TestSshd.keygen(dir.resolve("host"));
        TestSshd.keygen(dir.resolve("client"));
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(
                dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host.pub")));
        Path config = TestSshd.config(
                dir.resolve("sshd_config"),
                "127.0.0.1",
                port,
                dir.resolve("host"),
                dir.resolve("authorized_keys"),
                extra);
        Process p = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        LoopbackSshd d = new LoopbackSshd(p, port, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return d;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        d.close();
        throw new AssertionError("sshd did not listen within 10 s: " + Files.readString(dir.resolve("sshd.log")));
    }

    public int port() {
        return port;
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path clientKey() {
        return dir.resolve("client");
    }

    @Override
    public void close() {
        daemon.descendants().forEach(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly();
        try {
            daemon.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
