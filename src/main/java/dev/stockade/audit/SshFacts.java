package dev.stockade.audit;

import dev.stockade.ssh.SshException;
import dev.stockade.ssh.SshSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Facts of a host over SSH ({@link SshSession}), all in one remote command: {@code env PATH=...
 * LC_ALL=C sh -c SCRIPT}, prefixed with {@code sudo -n} when asked (the facts about the firewall
 * and sshd need root). The script runs every probe in turn, each limited by coreutils' {@code
 * timeout} where the host has it, and frames its output and exit status with a random boundary
 * line. One command instead of one per probe: one shell start-up (a login shell's rc files can
 * cost more than the probes), one sudo, one session in the host's log. A connection lost midway
 * keeps the facts read until then; the probe that was running and those after it are {@code
 * FAILED} with the reason. Nothing is thrown.
 */
public final class SshFacts implements FactSource {

    private final SshSession session;
    private final boolean sudo;
    private final Duration timeout;
    private Map<Probe, ProbeOutput> collected;

    public SshFacts(SshSession session, boolean sudo, Duration timeout) {
        this.session = session;
        this.sudo = sudo;
        this.timeout = timeout;
    }

    @Override
    public String host() {
        return session.target().host();
    }

    @Override
    public ProbeOutput collect(Probe probe) {
        return collectAll().get(probe);
    }

    @Override
    public Map<Probe, ProbeOutput> collectAll() {
        if (collected == null) {
            collected = run();
        }
        return collected;
    }

    /** The remote command line that runs {@code script}. */
    static String remoteCommand(String script, boolean sudo) {
        return SshSession.shellCommand(script, sudo);
    }

    /** The script: each probe framed on stdout and stderr by {@code boundary} lines. */
    static String script(String boundary, long timeoutSeconds) {
        StringBuilder s = new StringBuilder()
                .append("B=")
                .append(boundary)
                .append('\n')
                .append("limit=\n")
                .append("if command -v timeout >/dev/null 2>&1; then limit=\"timeout ")
                .append(timeoutSeconds)
                .append("\"; fi\n")
                .append("probe() {\n")
                .append("    echo \"$B begin $1\"; echo \"$B begin $1\" >&2\n")
                .append("    $limit sh -c \"$2\" </dev/null\n")
                .append("    rc=$?\n")
                .append("    echo; echo \"$B end $1 $rc\"; echo >&2; echo \"$B end $1\" >&2\n")
                .append("}\n");
        for (Probe p : Probe.values()) {
            s.append("probe ")
                    .append(p.file())
                    .append(' ')
                    .append(SshSession.quote(p.command()))
                    .append('\n');
        }
        return s.toString();
    }

    private Map<Probe, ProbeOutput> run() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        // no probe's output holds a line starting with 96 random bits
        String boundary = "@@stockade-" + HexFormat.of().formatHex(random);
        long perProbe = Math.max(1, timeout.toSeconds());
        // each probe is bounded on the host; this bounds a host without timeout(1)
        Duration overall = timeout.multipliedBy(Probe.values().length + 1L);
        SshSession.Result r;
        try {
            r = session.exec(remoteCommand(script(boundary, perProbe), sudo), overall);
        } catch (SshException e) {
            return all(e.getMessage());
        }
        return parse(
                host(),
                r,
                boundary,
                "the connection to " + host() + ":" + session.target().port() + " was lost");
    }

    private Map<Probe, ProbeOutput> all(String why) {
        Map<Probe, ProbeOutput> out = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            out.put(p, new ProbeOutput(p, ProbeOutput.Status.FAILED, -1, "", why, host() + "/" + p.file() + ".out"));
        }
        return out;
    }

    /**
     * Each probe's output between its boundary lines. A probe without its end line was running when
     * the connection was lost or the time ran out; one without a begin line never ran (then the
     * command's own exit status and error output say why, e.g. sudo asking for a password).
     */
    static Map<Probe, ProbeOutput> parse(String host, SshSession.Result r, String boundary, String lostText) {
        Map<String, String> stdout = framed(r.stdout(), boundary);
        Map<String, String> stderr = framed(r.stderr(), boundary);
        Map<String, Integer> codes = codes(r.stdout(), boundary);
        Map<Probe, ProbeOutput> out = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            String source = host + "/" + p.file() + ".out";
            String o = stdout.getOrDefault(p.file(), "");
            String e = stderr.getOrDefault(p.file(), "");
            Integer code = codes.get(p.file());
            boolean began = stdout.containsKey(p.file());
            ProbeOutput result;
            if (code != null) {
                result = new ProbeOutput(p, ProbeOutput.statusOf(code), code, o, e, source);
            } else if (r.lost()) {
                result = new ProbeOutput(
                        p,
                        ProbeOutput.Status.FAILED,
                        -1,
                        o,
                        lostText + (began ? " while it ran" : " before it ran"),
                        source);
            } else if (r.timedOut()) {
                result = new ProbeOutput(p, ProbeOutput.Status.TIMEOUT, -1, o, e, source);
            } else if (r.exitCode() == -1) {
                result = new ProbeOutput(
                        p,
                        ProbeOutput.Status.FAILED,
                        -1,
                        o,
                        "the remote command ended without an exit status " + (began ? "while it ran" : "before it ran"),
                        source);
            } else {
                String why = began ? e : r.stderr().strip();
                result = new ProbeOutput(
                        p,
                        ProbeOutput.Status.FAILED,
                        began || r.exitCode() <= 0 ? -1 : r.exitCode(),
                        o,
                        why.isEmpty() ? "the collection stopped (exit status " + r.exitCode() + ")" : why,
                        source);
            }
            out.put(p, result);
        }
        return out;
    }

    /** Text between {@code B begin NAME} and the next {@code B end NAME...} line, less the newline the script adds. */
    static Map<String, String> framed(String text, String boundary) {
        Map<String, String> out = new java.util.HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : lines(text)) {
            if (line.startsWith(boundary + " begin ")) {
                name = line.substring(boundary.length() + 7);
                body.setLength(0);
                out.put(name, "");
            } else if (name != null && line.startsWith(boundary + " end " + name)) {
                if (body.length() > 0) {
                    body.setLength(body.length() - 1); // the newline before the echo'd one
                }
                out.put(name, body.toString());
                name = null;
            } else if (name != null) {
                body.append(line).append('\n');
                out.put(name, body.toString());
            }
        }
        return out;
    }

    private static Map<String, Integer> codes(String text, String boundary) {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (String line : lines(text)) {
            if (line.startsWith(boundary + " end ")) {
                String[] f = line.substring(boundary.length() + 5).split(" ");
                if (f.length == 2 && f[1].matches("[0-9]{1,3}")) {
                    out.put(f[0], Integer.parseInt(f[1]));
                }
            }
        }
        return out;
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }
}
