package dev.stockade.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.ssh.SshSession;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code systemctl is-enabled} may say about the restore units, and which answers let apply go on. */
class RestoreUnitsTest {

    @Test
    void restoreUnitStates_acceptedOnlyWhenTheyLoadAtEveryBoot() {
        for (String ok : List.of("enabled", "static", "indirect", "generated", "alias")) {
            assertEquals(Optional.empty(), NodeApply.notRestoredAtBoot(said(ok)), ok);
        }
        for (String bad : List.of("disabled", "masked", "enabled-runtime", "linked", "")) {
            assertTrue(NodeApply.notRestoredAtBoot(said(bad)).isPresent(), bad);
        }
        assertEquals(
                Optional.empty(),
                NodeApply.notRestoredAtBoot(new SshSession.Result(0, "no-systemctl\n", "", false, false)),
                "a host without systemd is not judged");
        assertEquals(
                Optional.of("cannot ask systemctl (sh: 1: syntax error)"),
                NodeApply.notRestoredAtBoot(new SshSession.Result(2, "", "sh: 1: syntax error\n", false, false)));
    }

    private static SshSession.Result said(String state) {
        return new SshSession.Result(
                0,
                "iptables-restore.service " + state + "\nip6tables-restore.service " + state + "\n",
                "",
                false,
                false);
    }
}
