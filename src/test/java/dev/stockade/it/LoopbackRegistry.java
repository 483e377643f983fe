package dev.stockade.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) serving on 127.0.0.1 at a free port, with its
 * storage, TLS and authentication as the test configures them. Stopped by {@link #close()}: the
 * process (and anything it started) is killed by handle, never by name.
 */
final class LoopbackRegistry implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final Path log;

    private LoopbackRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a registry named {@code name} (its files in {@code dir}) on storage {@code storage}.
     *
     * @param tls {@code certificate} and {@code key} PEM paths, or null for plain HTTP
     * @param auth the YAML of the {@code auth:} section's body (indented by four), or null for none
     */
    static LoopbackRegistry start(Path dir, String name, Path storage, Path[] tls, String auth)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("docker-registry is not installed (Debian package docker-registry;"
                    + " run bin/test as root to install the test packages)");
        }
        int port = freePort();
        StringBuilder config = new StringBuilder();
        config.append("version: 0.1\n")
                .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ")
                .append(storage)
                .append("\n  delete:\n    enabled: false\n")
                .append("http:\n  addr: 127.0.0.1:")
                .append(port)
                .append("\n  secret: test-only-secret\n");
        if (tls != null) {
            config.append("  tls:\n    certificate: ")
                    .append(tls[0])
                    .append("\n    key: ")
                    .append(tls[1])
                    .append('\n');
        }
        if (auth != null) {
            config.append("auth:\n").append(auth);
        }
        Path file = Files.writeString(dir.resolve(name + ".yml"), config.toString());
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "serve", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LoopbackRegistry r = new LoopbackRegistry(p, port, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return r;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    r.close();
                    throw new AssertionError("docker-registry exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        r.close();
        throw new AssertionError("docker-registry did not listen within 15 s: " + Files.readString(log));
    }

    /** A port nothing listens on (a moment ago). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as image references and auth files name it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
