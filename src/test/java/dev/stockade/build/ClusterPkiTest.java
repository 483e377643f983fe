package dev.stockade.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.pki.PkiStore;
import dev.stockade.report.Finding;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's certificates: what is planned, issued once, reused, found missing and renewed. */
class ClusterPkiTest {

    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");

    @TempDir
    Path tmp;

    private static ClusterSpec spec() throws Exception {
        return SpecLoader.parse(
                        "s.yaml",
                        "stockade: 1\ncluster: t\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
                                + "nodes:\n  - {name: a, private: 10.250.0.1, public: [\"2001:db8::1\"]}\n"
                                + "  - {name: b, private: 10.250.0.2}\n  - {name: c, private: 10.250.0.3}\n"
                                + "admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n"
                                + "etcd: {tls: true}\n"
                                + "pki: {cert_days: 40}\n")
                .spec();
    }

    private PkiStore store() {
        return new PkiStore(tmp.resolve("pki"), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void plan_peerPerNodeWithItsNamesAndAddresses_thenClients() throws Exception {
        List<ClusterPki.Planned> plan = ClusterPki.plan(spec());
        assertEquals(
                List.of("a", "b", "c", "operator"),
                plan.stream().map(ClusterPki.Planned::name).toList());
        ClusterPki.Planned a = plan.get(0);
        assertEquals(List.of("a", "localhost"), a.request().dnsNames());
        assertEquals(
                List.of("10.250.0.1", "2001:db8::1", "127.0.0.1", "::1"),
                a.request().ipAddresses());
        assertEquals(Duration.ofDays(40), a.request().validity());
        assertTrue(plan.get(3).request().ipAddresses().isEmpty());
    }

    @Test
    void ensure_firstRunIssuesAll_secondRunReusesAll() throws Exception {
        ClusterSpec spec = spec();
        ClusterPki.Outcome first = ClusterPki.ensure(
                spec,
                store(),
                ClusterPki.Mode.ISSUE_MISSING,
                NOW,
                ClusterPki.DEFAULT_WARN,
                dev.stockade.pki.CaPassphrase.of(null));
        assertTrue(first.caCreated());
        assertEquals(List.of("a", "b", "c", "operator"), first.created());
        assertFalse(first.hasErrors());
        byte[] keyBefore = Files.readAllBytes(store().keyFile("a"));

        ClusterPki.Outcome second = ClusterPki.ensure(
                spec,
                store(),
                ClusterPki.Mode.ISSUE_MISSING,
                NOW.plusSeconds(60),
                ClusterPki.DEFAULT_WARN,
                dev.stockade.pki.CaPassphrase.of(null));
        assertFalse(second.caCreated());
        assertEquals(List.of(), second.created());
        assertEquals(List.of("a", "b", "c", "operator"), second.reused());
        assertTrue(java.util.Arrays.equals(keyBefore, Files.readAllBytes(store().keyFile("a"))), "never re-keyed");
        assertEquals(List.of(), ClusterPki.verify(spec, store(), NOW, ClusterPki.DEFAULT_WARN));
        assertEquals(3, ClusterPki.nodeTls(spec, store()).size());
    }

    @Test
    void verify_missingCertificateAndExpiring_thenRenewFixes() throws Exception {
        ClusterSpec spec = spec();
        ClusterPki.ensure(
                spec,
                store(),
                ClusterPki.Mode.ISSUE_MISSING,
                NOW,
                ClusterPki.DEFAULT_WARN,
                dev.stockade.pki.CaPassphrase.of(null));
        Files.delete(store().certFile("b"));
        Files.delete(store().keyFile("b"));
        Instant later = NOW.plus(Duration.ofDays(20));
        List<Finding> findings = ClusterPki.verify(spec, store(), later, ClusterPki.DEFAULT_WARN);
        assertTrue(findings.stream().anyMatch(f -> f.id().equals("PKI-MISSING")), findings::toString);
        assertTrue(findings.size() > 1, "the others expire within 30 days of day 20: " + findings);

        ClusterPki.Outcome renew = ClusterPki.ensure(
                spec,
                store(),
                ClusterPki.Mode.RENEW,
                later,
                ClusterPki.DEFAULT_WARN,
                dev.stockade.pki.CaPassphrase.of(null));
        assertEquals(List.of("b"), renew.created());
        assertEquals(List.of("a", "c", "operator"), renew.renewed());
        assertEquals(List.of(), ClusterPki.verify(spec, store(), later, ClusterPki.DEFAULT_WARN));
    }

    @Test
    void verify_noCa_oneMissingFinding() throws Exception {
        List<Finding> f = ClusterPki.verify(spec(), store(), NOW, ClusterPki.DEFAULT_WARN);
        assertEquals(1, f.size());
        assertEquals("PKI-MISSING", f.get(0).id());
        assertEquals("there is no CA", f.get(0).message());
    }
}
