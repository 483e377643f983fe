package dev.stockade.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.etcd.FirstStart;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.provision.NodePlanner;
import dev.stockade.provision.ProvisionedFile;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A host against examples/demo.yaml: the rules build compiles for core-1 are no drift; one more open port is. */
class SpecChecksTest {

    static final String LISTENING = "tcp LISTEN 0 128 *:22 *:* users:((\"sshd\",pid=1,fd=3))\n"
            + "tcp LISTEN 0 128 0.0.0.0:443 0.0.0.0:* users:((\"nginx\",pid=2,fd=3))\n"
            + "tcp LISTEN 0 128 0.0.0.0:2375 0.0.0.0:* users:((\"dockerd\",pid=3,fd=3))\n";

    /** Facts given as text; every other probe is absent. */
    record Given(String host, Map<Probe, String> outputs) implements FactSource {
        @Override
        public ProbeOutput collect(Probe probe) {
            String text = outputs.get(probe);
            return text == null
                    ? new ProbeOutput(probe, ProbeOutput.Status.ABSENT, -1, "", "", host + "/" + probe.file() + ".out")
                    : new ProbeOutput(probe, ProbeOutput.Status.OK, 0, text, "", host + "/" + probe.file() + ".out");
        }
    }

    static ClusterSpec demo(String replaceFrom, String replaceTo) throws Exception {
        String text = Files.readString(Path.of("examples/demo.yaml")).replace(replaceFrom, replaceTo);
        return SpecLoader.parse("examples/demo.yaml", text).spec();
    }

    static List<Finding> audit(ClusterSpec spec, String extraV4Rule, String units) {
        NodeFirewall plan = FirewallCompiler.compile(spec, spec.nodes().get(0));
        String v4 = IptablesSaveWriter.write(plan.v4(), List.of());
        if (!extraV4Rule.isEmpty()) {
            v4 = v4.replaceFirst("COMMIT", extraV4Rule + "\nCOMMIT");
        }
        Map<Probe, String> out = new EnumMap<>(Probe.class);
        out.put(Probe.HOSTNAME, "core-1\n");
        out.put(Probe.IPTABLES, v4);
        out.put(Probe.IP6TABLES, IptablesSaveWriter.write(plan.v6(), List.of()));
        out.put(Probe.SOCKETS, LISTENING);
        if (!units.isEmpty()) {
            out.put(Probe.UNITS, units);
        }
        return Checks.audit(HostFacts.collect(new Given("core-1", out)), Optional.of(spec))
                .findings();
    }

    static List<Finding> ofId(List<Finding> f, String id) {
        return f.stream().filter(x -> x.id().equals(id)).toList();
    }

    @Test
    void theCompiledRules_noDrift() throws Exception {
        List<Finding> f = audit(demo("", ""), "", "");
        assertEquals(List.of(), ofId(f, "AUD-DRIFT"), f.toString());
        assertEquals(List.of(), ofId(f, "AUD-UNINTENDED"), f.toString());
        assertEquals(List.of(), ofId(f, "AUD-SPEC-NODE"), f.toString());
    }

    @Test
    void oneMorePortOpen_driftAndTheListenerBehindIt_atTheNodesSpecLine() throws Exception {
        List<Finding> f = audit(demo("", ""), "-A INPUT -p tcp -m tcp --dport 2375 -j ACCEPT", "");
        List<Finding> drift = ofId(f, "AUD-DRIFT");
        assertEquals(1, drift.size(), f.toString());
        assertTrue(
                drift.get(0)
                        .message()
                        .startsWith("node core-1: the loaded IPv4 rules differ from the spec's: lets in"
                                + " tcp/2375 from any that the spec does not"),
                drift.toString());
        Finding unintended = ofId(f, "AUD-UNINTENDED").get(0);
        assertEquals(Severity.ERROR, unintended.severity());
        assertEquals("examples/demo.yaml", unintended.span().orElseThrow().file());
        assertEquals(10, unintended.span().orElseThrow().line());
        assertEquals(
                "node core-1: tcp/2375 (dockerd) can be reached over IPv4 from any address, which the spec does not"
                        + " allow",
                unintended.message());
        assertEquals(1, ofId(f, "AUD-UNINTENDED").size(), "443 is meant to be open: " + f);
    }

    @Test
    void sshClosedInTheSpec_butSshdRunning_sshOpen() throws Exception {
        ClusterSpec closed = demo("from: [office]                # from: [] closes SSH and masks sshd", "from: []");
        String units = "Id=sshd.socket\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n";
        Finding f = ofId(audit(closed, "", units), "AUD-SSH-OPEN").get(0);
        assertTrue(
                f.message().startsWith("node core-1: sshd.socket is active although the spec closes SSH"),
                f.toString());
        assertEquals(List.of(), ofId(audit(demo("", ""), "", units), "AUD-SSH-OPEN"));
    }

    @Test
    void aHostTheSpecDoesNotName_saidSo() throws Exception {
        ClusterSpec spec = demo("", "");
        Map<Probe, String> out = new EnumMap<>(Probe.class);
        out.put(Probe.HOSTNAME, "stranger\n");
        List<Finding> f = Checks.audit(HostFacts.collect(new Given("stranger", out)), Optional.of(spec))
                .findings();
        assertEquals(1, ofId(f, "AUD-SPEC-NODE").size(), f.toString());
    }

    /** What a host provisioned from the spec shows the provisioned-file probe: owner, mode and SHA-256 per file. */
    static String provisioned(ClusterSpec spec) throws Exception {
        var node = spec.nodes().get(0);
        var plan = NodePlanner.plan(
                spec,
                node,
                FirewallCompiler.compile(spec, node),
                new FirewallFiles.Iptables("", ""),
                Optional.empty(),
                Optional.of(new FirstStart(false, List.of())));
        StringBuilder out = new StringBuilder();
        for (ProvisionedFile f : plan.onDisk()) {
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(f.contents().getBytes(UTF_8)));
            out.append(f.path() + " " + f.owner() + " " + Integer.toOctalString(f.mode()) + " " + sha + "\n");
        }
        return out.toString();
    }

    static List<Finding> auditFiles(ClusterSpec spec, String provisioned) {
        Map<Probe, String> out = new EnumMap<>(Probe.class);
        out.put(Probe.HOSTNAME, "core-1\n");
        out.put(Probe.PROVISIONED, provisioned);
        return ofId(
                Checks.audit(HostFacts.collect(new Given("core-1", out)), Optional.of(spec))
                        .findings(),
                "AUD-FILE-DRIFT");
    }

    @Test
    void provisionedFilesAsBuilt_noFileDrift() throws Exception {
        ClusterSpec spec = demo("", "");
        String files = provisioned(spec);
        assertTrue(files.contains("/etc/selinux/config root 644 "), files);
        assertTrue(files.contains("/etc/systemd/system/docker.socket.d/20-stockade-root-only.conf root 644 "), files);
        assertEquals(List.of(), auditFiles(spec, files));
    }

    @Test
    void provisionedFilesChanged_missing_leftOver_eachSaid() throws Exception {
        ClusterSpec spec = demo("", "");
        String files = provisioned(spec)
                        .replaceFirst(
                                "/etc/selinux/config root 644 [0-9a-f]{64}",
                                "/etc/selinux/config core 666 " + "0".repeat(64))
                        .replaceFirst("/etc/hostname root 644 [0-9a-f]{64}", "/etc/hostname -")
                + "/etc/systemd/system/sshd.socket.d/20-stockade-port.conf root 644 " + "1".repeat(64) + "\n";
        List<String> messages =
                auditFiles(spec, files).stream().map(Finding::message).toList();
        assertEquals(
                List.of(
                        "node core-1: /etc/hostname is not there (the spec provisions it)",
                        "node core-1: /etc/selinux/config has other contents, is owned by core, not root, has mode 666,"
                                + " not 0644 (the spec provisions it)",
                        "node core-1: /etc/systemd/system/sshd.socket.d/20-stockade-port.conf is left over: the spec no"
                                + " longer provisions it"),
                messages);
        Finding f = auditFiles(spec, files).get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(10, f.span().orElseThrow().line());
    }

    @Test
    void provisionedFactMissing_checkNotEvaluated() throws Exception {
        List<Finding> f = audit(demo("", ""), "", "");
        assertTrue(
                ofId(f, "AUD-FACT").stream().anyMatch(x -> x.message().startsWith("the provisioned-file drift check")),
                f.toString());
    }

    /** The probe looks wherever build may place a file that the check compares, for every target and option. */
    @ParameterizedTest
    @ValueSource(strings = {"flatcar", "fcos", "container-linux"})
    void theProbeLooksAtEveryFileBuildPlaces(String target) throws Exception {
        ClusterSpec spec = SpecLoader.parse(
                        "examples/demo.yaml",
                        Files.readString(Path.of("examples/demo.yaml"))
                                .replace("target: flatcar", "target: " + target)
                                .replace("selinux: enforcing", "selinux: permissive")
                                .replace(
                                        "updates: etcd-lock",
                                        target.equals("fcos") ? "updates: off" : "updates: etcd-lock")
                                .replace("    from: [office]", "    port: 2222\n    from: [office]"))
                .spec();
        for (String line : provisioned(spec).lines().toList()) {
            String path = line.split(" ")[0];
            boolean compared = !path.startsWith("/var/lib/")
                    && !path.startsWith("/etc/ssl/etcd/")
                    && !path.equals("/etc/stockade/etcd.env");
            boolean looked = (" " + Probe.Provisioned.PATHS + " ").contains(" " + path + " ")
                    || path.matches("/etc/systemd/system/[^/]+\\.d/20-stockade-[^/]+\\.conf");
            assertTrue(!compared || looked, target + ": the probe does not look at " + path);
        }
    }
}
