package dev.stockade.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SshTarget parsing; SshSession refusing without a known_hosts file (SshException, SshOptions); the real
 * connections are in AuditSshIT. */
class SshTargetTest {

    @Test
    void parse_userHostPort_v6_andRefusals() {
        assertEquals(
                new SshTarget("core", "10.0.0.5", 22),
                SshTarget.parse("core@10.0.0.5").orElseThrow());
        assertEquals(
                new SshTarget("root", "2001:db8::1", 2222),
                SshTarget.parse("root@[2001:db8::1]:2222").orElseThrow());
        assertEquals(
                "root@[2001:db8::1]:2222",
                SshTarget.parse("root@[2001:db8::1]:2222").orElseThrow().toString());
        assertEquals(Optional.empty(), SshTarget.parse("10.0.0.5"));
        assertEquals(Optional.empty(), SshTarget.parse("core@host:99999"));
    }

    @Test
    void open_withoutKnownHosts_refusedWithAHint() {
        SshOptions o = new SshOptions(
                Path.of("/nonexistent/known_hosts"), List.of(), false, Duration.ofSeconds(1), Duration.ofSeconds(1));
        SshException e = org.junit.jupiter.api.Assertions.assertThrows(
                SshException.class, () -> SshSession.open(new SshTarget("core", "192.0.2.1", 22), o));
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind());
        assertEquals(true, e.hint().contains("ssh-keyscan -p 22 192.0.2.1"));
    }
}
