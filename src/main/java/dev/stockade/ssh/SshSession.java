package dev.stockade.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One SSH connection (the maintained JSch fork underneath; its types do not leave this package)
 * that runs commands and returns their exit status and output. Host keys are checked strictly
 * against a known_hosts file: an unknown or changed key refuses the connection with the key's
 * fingerprint and what to do, never a silent accept. Public-key authentication only (files and,
 * optionally, the agent); every wait is bounded.
 *
 * <p>Not thread-safe; one command at a time.
 */
public final class SshSession implements AutoCloseable {

    /** The most output kept per stream and command (the rest is read and dropped). */
    public static final int MAX_OUTPUT = 32 << 20;

    /**
     * What a remote command gave, as far as it got: {@code exitCode} is -1 when it timed out or the
     * connection was lost while it ran ({@code lost}); the output up to then is kept.
     */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut, boolean lost) {}

    private final SshTarget target;
    private final Session session;

    private SshSession(SshTarget target, Session session) {
        this.target = target;
        this.session = session;
    }

    /** The PATH remote commands run with: administration tools live in sbin, which a non-login session may lack. */
    public static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * {@code script} as one remote command line, run by {@code sh} whatever the user's login shell,
     * with {@link #PATH} and the C locale, through {@code sudo -n} when asked.
     */
    public static String shellCommand(String script, boolean sudo) {
        return (sudo ? "sudo -n " : "") + "env PATH=" + PATH + " LC_ALL=C sh -c " + quote(script);
    }

    /** {@code text} as one single-quoted POSIX shell word. */
    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    public SshTarget target() {
        return target;
    }

    /** Connects and authenticates; throws with a kind, a message and a hint when it cannot. */
    public static SshSession open(SshTarget target, SshOptions options) throws SshException {
        JSch jsch = new JSch();
        Path known = options.knownHosts();
        if (!Files.isReadable(known)) {
            throw new SshException(
                    SshException.Kind.HOST_KEY_UNKNOWN,
                    "no known_hosts file at " + known + ": the host's key cannot be checked",
                    "add the host's key after checking its fingerprint (ssh-keyscan -p " + target.port() + " "
                            + target.host() + "), or give --known-hosts FILE",
                    null);
        }
        Session s;
        try {
            jsch.setKnownHosts(known.toString());
            boolean agent = false;
            if (options.agent() && System.getenv("SSH_AUTH_SOCK") != null) {
                try {
                    jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
                    agent = true;
                } catch (com.jcraft.jsch.AgentProxyException e) {
                    // no usable agent: the key files count instead
                }
            }
            if (!agent) {
                for (Path id : options.identities()) {
                    try {
                        jsch.addIdentity(id.toString());
                    } catch (JSchException e) {
                        throw new SshException(
                                SshException.Kind.AUTHENTICATION,
                                "cannot use the key " + id + ": " + e.getMessage(),
                                "give an unencrypted OpenSSH private key, or load the key into ssh-agent",
                                e);
                    }
                }
            }
            s = jsch.getSession(target.user(), target.host(), target.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setConfig("HashKnownHosts", "no");
            String preferred = knownKeyTypesFirst(jsch.getHostKeyRepository(), target, s.getConfig("server_host_key"));
            s.setConfig("server_host_key", preferred);
            s.setTimeout((int) options.connectTimeout().toMillis());
            s.connect((int) options.connectTimeout().toMillis());
        } catch (JSchUnknownHostKeyException e) {
            throw new SshException(
                    SshException.Kind.HOST_KEY_UNKNOWN,
                    target.host() + ":" + target.port() + " is not in " + known + " (its key is unknown)",
                    "check the key's fingerprint with the host's owner, then add it (ssh-keyscan -p " + target.port()
                            + " " + target.host() + " >> " + known + ")",
                    e);
        } catch (JSchChangedHostKeyException e) {
            throw new SshException(
                    SshException.Kind.HOST_KEY_CHANGED,
                    "the host key of " + target.host() + ":" + target.port() + " differs from the one in " + known
                            + ": someone may be in the middle, or the host was reinstalled",
                    "do not connect until you know why; if the host was reinstalled, replace its line in " + known,
                    e);
        } catch (JSchException e) {
            throw classify(target, e);
        } catch (RuntimeException e) {
            throw new SshException(
                    SshException.Kind.PROTOCOL,
                    "SSH with " + target.host() + ":" + target.port() + " failed: " + e,
                    "try 'ssh -p " + target.port() + " " + target.user() + "@" + target.host() + "' to see more",
                    e);
        }
        return new SshSession(target, s);
    }

    /** The server host key algorithms, those known_hosts holds for this host first (so the known key is offered). */
    static String knownKeyTypesFirst(HostKeyRepository repo, SshTarget target, String configured) {
        String name = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
        Set<String> known = new LinkedHashSet<>();
        HostKey[] keys = repo.getHostKey(name, null);
        if (keys != null) {
            for (HostKey k : keys) {
                known.add(k.getType());
            }
        }
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String alg : configured.split(",")) {
            boolean match = known.contains(alg)
                    || (known.contains("ssh-rsa") && alg.startsWith("rsa-sha2"))
                    || known.stream().anyMatch(t -> alg.startsWith(t + "-cert"));
            (match ? first : rest).add(alg);
        }
        first.addAll(rest);
        return String.join(",", first);
    }

    private static SshException classify(SshTarget target, JSchException e) {
        Throwable cause = e.getCause();
        String where = target.host() + ":" + target.port();
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new SshException(
                    SshException.Kind.CONNECT,
                    "cannot connect to " + where + ": " + cause.getMessage(),
                    "check the address and that sshd listens there and the firewall lets you in",
                    e);
        }
        if (cause instanceof UnknownHostException) {
            return new SshException(
                    SshException.Kind.CONNECT, "unknown host " + target.host(), "check the host name", e);
        }
        String m = String.valueOf(e.getMessage());
        if (cause instanceof SocketTimeoutException || m.startsWith("timeout") || m.contains("timed out")) {
            return new SshException(
                    SshException.Kind.TIMEOUT,
                    where + " did not answer in time",
                    "check that the host is up and reachable; raise --connect-timeout for slow links",
                    e);
        }
        if (m.contains("Auth fail") || m.contains("Auth cancel")) {
            return new SshException(
                    SshException.Kind.AUTHENTICATION,
                    target.user() + "@" + where + " refused every key offered",
                    "give the right key with --identity FILE (or load it into ssh-agent)",
                    e);
        }
        return new SshException(
                SshException.Kind.PROTOCOL,
                "SSH with " + where + " failed: " + m,
                "try 'ssh -p " + target.port() + " " + target.user() + "@" + target.host() + "' to see more",
                e);
    }

    /**
     * Runs {@code command} (given to the user's login shell), with no input, at most {@code timeout}.
     * Throws when the command cannot be started; a connection lost while it runs is a result
     * ({@link Result#lost()}) with the output read until then.
     */
    public Result exec(String command, Duration timeout) throws SshException {
        return exec(command, new byte[0], timeout);
    }

    /** As {@link #exec(String, Duration)}, with {@code input} as the command's standard input (then end of file). */
    public Result exec(String command, byte[] input, Duration timeout) throws SshException {
        ChannelExec ch;
        try {
            if (!session.isConnected()) {
                throw lost(command);
            }
            ch = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw session.isConnected() ? classify(target, e) : lost(command);
        }
        Bounded out = new Bounded();
        Bounded err = new Bounded();
        try {
            ch.setCommand(command);
            ch.setInputStream(new java.io.ByteArrayInputStream(input));
            ch.setOutputStream(out, true);
            ch.setErrStream(err, true);
            ch.connect((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ch.isClosed()) {
                if (System.nanoTime() > deadline || !session.isConnected()) {
                    boolean gone = !session.isConnected();
                    ch.disconnect();
                    return new Result(-1, out.text(), err.text(), !gone, gone);
                }
                Thread.sleep(5);
            }
            // a channel closed without an exit status may have closed because the connection did:
            // JSch notices a dropped connection a moment after the channel, so give it that moment
            boolean gone = false;
            if (ch.getExitStatus() == -1) {
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (session.isConnected() && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                gone = !session.isConnected();
            }
            return new Result(ch.getExitStatus(), out.text(), err.text(), false, gone);
        } catch (JSchException e) {
            if (!session.isConnected()) {
                return new Result(-1, out.text(), err.text(), false, true);
            }
            throw classify(target, e);
        } catch (RuntimeException e) {
            // JSch can throw unchecked exceptions from a session the other side broke off
            if (!session.isConnected()) {
                return new Result(-1, out.text(), err.text(), false, true);
            }
            throw new SshException(
                    SshException.Kind.PROTOCOL,
                    "SSH with " + target.host() + ":" + target.port() + " failed while '" + first(command) + "' ran: "
                            + e,
                    "run again; if it persists, try 'ssh' by hand to see more",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, out.text(), err.text(), true, false);
        } finally {
            ch.disconnect();
        }
    }

    private SshException lost(String command) {
        return new SshException(
                SshException.Kind.CONNECT,
                "the connection to " + target.host() + ":" + target.port() + " was lost while '" + first(command)
                        + "' ran",
                "check the host and the network, then run again",
                null);
    }

    private static String first(String command) {
        return command.length() > 40 ? command.substring(0, 37) + "..." : command;
    }

    @Override
    public void close() {
        session.disconnect();
    }

    /** Keeps the first {@link #MAX_OUTPUT} bytes written to it. */
    private static final class Bounded extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (kept.size() < MAX_OUTPUT) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = MAX_OUTPUT - kept.size();
            if (room > 0) {
                kept.write(b, off, Math.min(len, room));
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
