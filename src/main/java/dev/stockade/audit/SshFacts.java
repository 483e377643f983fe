package dev.stockade.audit;

import dev.stockade.ssh.SshException;
import dev.stockade.ssh.SshSession;
import java.time.Duration;

/**
 * Facts of a host over SSH ({@link SshSession}): each probe is one remote command, {@code env
 * PATH=... LC_ALL=C sh -c 'COMMAND'}, prefixed with {@code sudo -n} when asked (the facts about
 * the firewall and sshd need root). A connection lost midway makes this and every later probe
 * {@code FAILED} with the reason; nothing is thrown.
 */
public final class SshFacts implements FactSource {

    private final SshSession session;
    private final boolean sudo;
    private final Duration timeout;
    private String lost;

    public SshFacts(SshSession session, boolean sudo, Duration timeout) {
        this.session = session;
        this.sudo = sudo;
        this.timeout = timeout;
    }

    @Override
    public String host() {
        return session.target().host();
    }

    /** The remote command line for {@code probe}. */
    static String remoteCommand(Probe probe, boolean sudo) {
        return (sudo ? "sudo -n " : "") + "env PATH=" + Probe.PATH + " LC_ALL=C sh -c "
                + CollectorScript.quote(probe.command());
    }

    @Override
    public ProbeOutput collect(Probe probe) {
        String source = host() + "/" + probe.file() + ".out";
        if (lost != null) {
            return new ProbeOutput(probe, ProbeOutput.Status.FAILED, -1, "", lost, source);
        }
        try {
            SshSession.Result r = session.exec(remoteCommand(probe, sudo), timeout);
            if (r.timedOut()) {
                return new ProbeOutput(probe, ProbeOutput.Status.TIMEOUT, -1, r.stdout(), r.stderr(), source);
            }
            return new ProbeOutput(
                    probe, ProbeOutput.statusOf(r.exitCode()), r.exitCode(), r.stdout(), r.stderr(), source);
        } catch (SshException e) {
            lost = e.getMessage();
            return new ProbeOutput(probe, ProbeOutput.Status.FAILED, -1, "", lost, source);
        }
    }
}
