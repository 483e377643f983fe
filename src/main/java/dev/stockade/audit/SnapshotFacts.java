package dev.stockade.audit;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Facts the collector script ({@link CollectorScript}) gathered on a host that cannot be reached
 * directly: a directory, or the tar file the script also writes, holding {@code NAME.out} and
 * {@code NAME.rc} per probe (at the top, or in one directory below it). A probe without its files
 * is {@code ABSENT}; the facts are read once, whole, and bounded ({@link #MAX_BYTES}).
 */
public final class SnapshotFacts implements FactSource {

    /** The most a snapshot may hold, in bytes. */
    static final long MAX_BYTES = 256L << 20;

    private final String host;
    private final String where;
    private final Map<String, byte[]> files;

    private SnapshotFacts(String host, String where, Map<String, byte[]> files) {
        this.host = host;
        this.where = where;
        this.files = files;
    }

    /** Reads a snapshot directory or tar file; the host is its hostname fact, else the file's name. */
    public static SnapshotFacts read(Path path) throws InputException {
        String shown = path.toString();
        Map<String, byte[]> files = new HashMap<>();
        try {
            if (Files.isDirectory(path)) {
                Path dir = path;
                try (Stream<Path> s = Files.list(path)) {
                    if (s.noneMatch(p -> p.getFileName().toString().endsWith(".rc"))) {
                        try (Stream<Path> sub = Files.list(path)) {
                            Optional<Path> only = sub.filter(Files::isDirectory).findFirst();
                            if (only.isPresent()) {
                                dir = only.get();
                            }
                        }
                    }
                }
                long total = 0;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        total += Files.size(p);
                        if (total > MAX_BYTES) {
                            throw tooBig(shown);
                        }
                        files.put(p.getFileName().toString(), Files.readAllBytes(p));
                    }
                }
                shown = dir.toString();
            } else if (Files.isRegularFile(path)) {
                try (InputStream in = Files.newInputStream(path)) {
                    Tar.read(in, MAX_BYTES, (name, data) -> files.put(name.substring(name.lastIndexOf('/') + 1), data));
                } catch (Tar.FormatException e) {
                    throw new InputException(Diagnostic.error(
                            "AUD-SNAPSHOT",
                            SourceSpan.ofFile(shown),
                            "not a snapshot: " + e.getMessage(),
                            "give the directory or the .tar file the collector script wrote"
                                    + " (stockade audit --print-collector)"));
                } catch (Tar.TooBigException e) {
                    throw tooBig(shown);
                }
            } else {
                throw new InputException(Diagnostic.error(
                        "AUD-SNAPSHOT",
                        SourceSpan.ofFile(shown),
                        "no such directory or file",
                        "give the directory or the .tar file the collector script wrote"));
            }
        } catch (IOException e) {
            throw new InputException(Diagnostic.error(
                    "AUD-SNAPSHOT", SourceSpan.ofFile(shown), "cannot read the snapshot: " + e.getMessage(), ""));
        }
        if (files.keySet().stream().noneMatch(n -> n.endsWith(".rc"))) {
            throw new InputException(Diagnostic.error(
                    "AUD-SNAPSHOT",
                    SourceSpan.ofFile(shown),
                    "not a snapshot: it has no NAME.rc files",
                    "give the directory or the .tar file the collector script wrote"
                            + " (stockade audit --print-collector)"));
        }
        String host = Optional.ofNullable(files.get(Probe.HOSTNAME.file() + ".out"))
                .map(b -> new String(b, StandardCharsets.UTF_8).strip())
                .filter(h -> !h.isEmpty() && h.matches("[A-Za-z0-9._-]{1,253}"))
                .orElse(path.getFileName() == null ? shown : path.getFileName().toString());
        String prefix = Files.isDirectory(path) ? shown : path.toString();
        return new SnapshotFacts(host, prefix, files);
    }

    private static InputException tooBig(String shown) {
        return new InputException(Diagnostic.error(
                "AUD-SNAPSHOT",
                SourceSpan.ofFile(shown),
                "the snapshot holds more than " + (MAX_BYTES >> 20) + " MiB",
                "collect it again with the script stockade audit --print-collector prints"));
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ProbeOutput collect(Probe probe) {
        String source = where + "/" + probe.file() + ".out";
        byte[] rc = files.get(probe.file() + ".rc");
        byte[] out = files.get(probe.file() + ".out");
        if (rc == null) {
            return new ProbeOutput(probe, ProbeOutput.Status.ABSENT, -1, "", "", source);
        }
        String err = Optional.ofNullable(files.get(probe.file() + ".err"))
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .orElse("");
        int code;
        try {
            code = Integer.parseInt(new String(rc, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return new ProbeOutput(
                    probe, ProbeOutput.Status.FAILED, -1, "", "its .rc file holds no exit status", source);
        }
        String text = out == null ? "" : new String(out, StandardCharsets.UTF_8);
        return new ProbeOutput(probe, ProbeOutput.statusOf(code), code, text, err, source);
    }
}
