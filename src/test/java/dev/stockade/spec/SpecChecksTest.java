package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.net.Protocol;
import dev.stockade.pki.PkiSpec;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole-spec checks, run on models built in the test (no YAML in between). */
class SpecChecksTest {

    private static final SourceSpan AT = new SourceSpan("s.yaml", 9, 3);

    private static ClusterSpec valid() throws Exception {
        return SpecLoader.parse("s.yaml", SpecLoaderTest.VALID).spec();
    }

    private static List<Diagnostic> run(ClusterSpec spec) {
        YamlNodes y = new YamlNodes("s.yaml");
        SpecChecks.run(spec, y);
        return y.problems();
    }

    private static List<String> codes(ClusterSpec spec) {
        return run(spec).stream().map(Diagnostic::code).toList();
    }

    private static ClusterSpec withNodes(ClusterSpec s, List<NodeSpec> nodes) {
        return new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                nodes,
                s.sources(),
                s.ssh(),
                s.etcd(),
                s.services(),
                s.icmp(),
                s.hardening(),
                s.pki(),
                s.proxy(),
                s.workloads());
    }

    private static ClusterSpec withServices(ClusterSpec s, List<ServiceSpec> services) {
        return new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                s.ssh(),
                s.etcd(),
                services,
                s.icmp(),
                s.hardening(),
                s.pki(),
                s.proxy(),
                s.workloads());
    }

    private static NodeSpec node(String name, String address) {
        return new NodeSpec(name, name, Optional.of(Prefix.parse(address)), Optional.empty(), List.of(), AT);
    }

    private static SourceRef any() {
        return new SourceRef("any", Optional.empty(), AT);
    }

    @Test
    void run_validSpec_noProblems() throws Exception {
        assertEquals(List.of(), run(valid()));
    }

    @Test
    void run_duplicateNameAndAddress_bothReported() throws Exception {
        ClusterSpec s = valid();
        List<NodeSpec> nodes = new ArrayList<>(s.nodes());
        nodes.add(node("a", "10.250.0.9"));
        nodes.add(node("d", "10.250.0.2"));
        List<Diagnostic> p = run(withNodes(s, nodes));
        assertTrue(p.stream().anyMatch(d -> d.code().equals("SPEC-DUPLICATE-NODE")), p::toString);
        Diagnostic address = p.stream()
                .filter(d -> d.code().equals("SPEC-DUPLICATE-ADDRESS"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "address 10.250.0.2 of node 'd' is also used by node 'b' (line "
                        + s.nodes().get(1).span().line() + ")",
                address.message());
    }

    @Test
    void run_serviceProblems_unknownNodeEmptyFromAndSshPort() throws Exception {
        ClusterSpec s = valid();
        ServiceSpec bad = new ServiceSpec(
                "wide",
                Set.of(Protocol.TCP),
                List.of(PortRange.parse("20-30")),
                List.of(),
                List.of("zz"),
                Optional.empty(),
                AT);
        ServiceSpec twice = new ServiceSpec(
                "web",
                Set.of(Protocol.UDP),
                List.of(PortRange.of(22)),
                List.of(any()),
                List.of(),
                Optional.empty(),
                AT);
        List<String> codes = codes(withServices(s, List.of(s.services().get(0), bad, twice)));
        assertTrue(codes.contains("SPEC-REFERENCE"), codes::toString);
        assertTrue(codes.contains("SPEC-VALUE"), codes::toString);
        assertTrue(codes.contains("SPEC-PORT-CONFLICT"), codes::toString);
        assertTrue(codes.contains("SPEC-DUPLICATE-SERVICE"), codes::toString);
        // udp 22 does not touch the SSH port: only the tcp range 20-30 conflicts
        assertEquals(1, codes.stream().filter("SPEC-PORT-CONFLICT"::equals).count(), codes::toString);
    }

    @Test
    void run_serviceOnUnsetInterface_missing() throws Exception {
        ClusterSpec s = valid();
        ClusterSpec noPrivate = new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                new Interfaces(Optional.of("eth0"), Optional.empty()),
                s.nodes(),
                s.sources(),
                s.ssh(),
                Optional.empty(),
                List.of(new ServiceSpec(
                        "db",
                        Set.of(Protocol.TCP),
                        List.of(PortRange.of(5432)),
                        List.of(any()),
                        List.of(),
                        Optional.of(InterfaceRole.PRIVATE),
                        AT)),
                s.icmp(),
                new HardeningSpec(
                        List.of(), HardeningSpec.SelinuxMode.UNCHANGED, false, HardeningSpec.UpdateStrategy.OFF),
                s.pki(),
                s.proxy(),
                s.workloads());
        List<Diagnostic> p = run(noPrivate);
        assertEquals(1, p.size(), p::toString);
        assertEquals("SPEC-MISSING", p.get(0).code());
        assertTrue(
                p.get(0).message().contains("'interfaces.private' is not set"),
                p.get(0).message());
    }

    @Test
    void run_sshClosedOrOpenToAll_warningsOnly() throws Exception {
        ClusterSpec s = valid();
        ClusterSpec closed = new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                new SshSpec(List.of(), List.of(), 22, AT),
                s.etcd(),
                s.services(),
                s.icmp(),
                s.hardening(),
                s.pki(),
                s.proxy(),
                s.workloads());
        assertEquals(List.of("SPEC-SSH-CLOSED"), codes(closed));
        ClusterSpec world = new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                new SshSpec(List.of(any()), List.of(), 22, AT),
                s.etcd(),
                s.services(),
                s.icmp(),
                s.hardening(),
                s.pki(),
                s.proxy(),
                s.workloads());
        assertEquals(List.of("SPEC-SSH-NO-KEYS", "SPEC-SSH-ANY"), codes(world));
    }

    @Test
    void run_etcdProblems_evenMembersPortClashFcosLockAndPkiClient() throws Exception {
        ClusterSpec s = valid();
        List<NodeSpec> four = new ArrayList<>(s.nodes());
        four.add(node("d", "10.250.0.4"));
        assertEquals(List.of("SPEC-ETCD-EVEN"), codes(withNodes(s, four)));

        ClusterSpec samePorts = new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                s.ssh(),
                Optional.of(new EtcdSpec(List.of(), 2379, 2379, List.of(), Optional.empty(), AT)),
                s.services(),
                s.icmp(),
                s.hardening(),
                s.pki(),
                s.proxy(),
                s.workloads());
        assertEquals(List.of("SPEC-PORT-CONFLICT"), codes(samePorts));

        ClusterSpec fcosLock = new ClusterSpec(
                s.file(),
                s.cluster(),
                Target.FCOS,
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                s.ssh(),
                s.etcd(),
                s.services(),
                s.icmp(),
                new HardeningSpec(
                        List.of(), HardeningSpec.SelinuxMode.ENFORCING, false, HardeningSpec.UpdateStrategy.ETCD_LOCK),
                s.pki(),
                s.proxy(),
                s.workloads());
        assertEquals(
                List.of("SPEC-VALUE", "SPEC-ETCD-IMAGE"), codes(fcosLock), "on fcos etcd runs by tag unless pinned");

        ClusterSpec clientNamedLikeNode = new ClusterSpec(
                s.file(),
                s.cluster(),
                s.target(),
                s.firewall(),
                s.interfaces(),
                s.nodes(),
                s.sources(),
                s.ssh(),
                s.etcd(),
                s.services(),
                s.icmp(),
                s.hardening(),
                new PkiSpec(s.pki().key(), 10, 5, List.of("b"), 7, s.pki().deliver()),
                s.proxy(),
                s.workloads());
        List<Diagnostic> p = run(clientNamedLikeNode);
        assertEquals(List.of("SPEC-DUPLICATE"), p.stream().map(Diagnostic::code).toList());
        assertFalse(p.get(0).severity() != dev.stockade.report.Severity.ERROR);
    }
}
