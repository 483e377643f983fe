package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
