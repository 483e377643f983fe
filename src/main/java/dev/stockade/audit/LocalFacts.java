package dev.stockade.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Facts of this machine: each probe runs as {@code sh -c COMMAND} with the probe PATH, no input,
 * a time limit, and at most {@link #MAX_OUTPUT} bytes of output kept (the rest is read and
 * dropped, so a chatty command cannot block or exhaust memory).
 */
public final class LocalFacts implements FactSource {

    static final int MAX_OUTPUT = 32 << 20;

    private final String host;
    private final Duration timeout;

    public LocalFacts(String host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ProbeOutput collect(Probe probe) {
        String source = host + "/" + probe.file() + ".out";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", probe.command());
        pb.environment().put("PATH", Probe.PATH + ":" + pb.environment().getOrDefault("PATH", ""));
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ProbeOutput(probe, ProbeOutput.Status.MISSING, 127, "", e.getMessage(), source);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new ProbeOutput(probe, ProbeOutput.Status.TIMEOUT, -1, "", "", source);
            }
            int rc = p.exitValue();
            return new ProbeOutput(
                    probe,
                    ProbeOutput.statusOf(rc),
                    rc,
                    out.get(5, TimeUnit.SECONDS),
                    err.get(5, TimeUnit.SECONDS),
                    source);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new ProbeOutput(probe, ProbeOutput.Status.TIMEOUT, -1, "", "interrupted", source);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            return new ProbeOutput(probe, ProbeOutput.Status.FAILED, -1, "", "its output could not be read", source);
        }
    }

    /** The stream as text, up to {@link #MAX_OUTPUT} bytes; the rest is read and dropped. */
    static String drain(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int room = MAX_OUTPUT - kept.size();
                if (room > 0) {
                    kept.write(buf, 0, Math.min(n, room));
                }
            }
        } catch (IOException e) {
            // the process went away: keep what was read
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
