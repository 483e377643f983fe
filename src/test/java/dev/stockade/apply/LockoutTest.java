package dev.stockade.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.Verdict;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.Table;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lockout proof against examples/demo.yaml's core-1, whose SSH is open to the office only. */
class LockoutTest {

    static NodeFirewall plan() throws Exception {
        ClusterSpec spec = SpecLoader.load(Path.of("examples/demo.yaml")).spec();
        return FirewallCompiler.compile(spec, spec.nodes().get(0));
    }

    @Test
    void connection_parsedFromTheNodesOwnWords() {
        Lockout.Connection c = Lockout.Connection.parse("203.0.113.7 50022 198.51.100.11 22\neth0\n")
                .orElseThrow();
        assertEquals("203.0.113.7", c.client());
        assertEquals(22, c.serverPort());
        assertEquals(Optional.of("eth0"), c.inInterface());
        assertEquals("203.0.113.7 -> 198.51.100.11:22 on eth0", c.toString());
        assertEquals(
                Optional.of("eth1"),
                Lockout.Connection.parse("10.0.0.1 1 10.0.0.2 22\neth1@if7")
                        .orElseThrow()
                        .inInterface());
        assertTrue(Lockout.Connection.parse("").isEmpty(), "no SSH_CONNECTION");
        assertTrue(Lockout.Connection.parse("a b c d").isEmpty());
        assertTrue(Lockout.Connection.parse("203.0.113.7 x 198.51.100.11 22").isEmpty());
    }

    @Test
    void fromTheOffice_kept_fromElsewhere_lockedOutByThePolicy() throws Exception {
        Table v4 = plan().v4().table("filter").orElseThrow();
        Lockout.Answer office = Lockout.check(
                Lockout.Connection.parse("203.0.113.7 50022 198.51.100.11 22\neth0")
                        .orElseThrow(),
                v4);
        assertTrue(office.keepsAccess(), office.toString());
        assertTrue(office.decidedBy().contains("--dport 22"), office.toString());
        Lockout.Answer elsewhere = Lockout.check(
                Lockout.Connection.parse("192.0.2.9 50022 198.51.100.11 22\neth0")
                        .orElseThrow(),
                v4);
        assertFalse(elsewhere.keepsAccess(), elsewhere.toString());
        assertTrue(elsewhere.verdict() == Verdict.DROP || elsewhere.verdict() == Verdict.REJECT, elsewhere.toString());
        Table v6 = plan().v6().table("filter").orElseThrow();
        assertTrue(Lockout.check(
                        Lockout.Connection.parse("2001:db8:ad::5 40000 2001:db8:1::11 22\neth0")
                                .orElseThrow(),
                        v6)
                .keepsAccess());
        assertFalse(Lockout.check(
                        Lockout.Connection.parse("2001:db8:99::5 40000 2001:db8:1::11 22\neth0")
                                .orElseThrow(),
                        v6)
                .keepsAccess());
    }
}
