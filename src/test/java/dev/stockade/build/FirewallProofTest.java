package dev.stockade.build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.Matches;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.iptables.Target;
import dev.stockade.net.Prefix;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirewallProofTest {

    static final String SPEC = String.join(
            "\n",
            "stockade: 1",
            "cluster: t",
            "target: flatcar",
            "interfaces: {public: eth0, private: eth1}",
            "nodes:",
            "  - {name: a, private: 10.250.0.1, public: [198.51.100.1, \"2001:db8::1\"]}",
            "  - {name: b, private: 10.250.0.2}",
            "admin:",
            "  ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest t@t\"]}",
            "etcd: {clients_from: [cluster]}",
            "services:",
            "  - {name: web, port: 443, from: any}",
            "  - {name: dns, port: 53, protocol: [tcp, udp], from: [192.0.2.0/24]}",
            "");

    static NodeFirewall compiled() throws Exception {
        ClusterSpec spec = SpecLoader.parse("t.yaml", SPEC).spec();
        return FirewallCompiler.compile(spec, spec.nodes().get(0));
    }

    @Test
    void prove_compiledFirewall_holdsForBothFamilies() throws Exception {
        List<FirewallProof.Result> proof = FirewallProof.prove(compiled());
        assertTrue(proof.stream().allMatch(FirewallProof.Result::holds), () -> proof.toString());
    }

    @Test
    void prove_extraAcceptRule_failsAndNamesTheExtraPort() throws Exception {
        NodeFirewall fw = compiled();
        Table filter = fw.v4().table("filter").orElseThrow();
        List<Rule> rules = new ArrayList<>(filter.rules());
        int at = 0;
        while (!rules.get(at).chain().equals("INPUT")) {
            at++;
        }
        rules.add(
                at,
                Rule.of(
                        "INPUT",
                        List.of(
                                Matches.protocol("tcp"),
                                Matches.ports("tcp", null, dev.stockade.net.PortRange.of(8080))),
                        Target.jump("ACCEPT")));
        NodeFirewall tampered = new NodeFirewall(
                fw.node(),
                new Ruleset(fw.v4().family(), List.of(new Table("filter", filter.chains(), rules))),
                fw.v6(),
                fw.openings(),
                fw.provisional());
        FirewallProof.Result r = FirewallProof.prove(tampered).get(0);
        assertFalse(r.holds());
        assertTrue(
                r.extra().orElseThrow().accepted().stream()
                        .anyMatch(e -> e.protocol().equals("tcp") && e.keyText().equals("8080")),
                () -> r.toString());
    }

    @Test
    void prove_missingOpening_failsAndNamesWhatIsRefused() throws Exception {
        NodeFirewall fw = compiled();
        Table filter = fw.v4().table("filter").orElseThrow();
        List<Rule> rules = new ArrayList<>(filter.rules());
        rules.removeIf(r -> r.toSaveLine().contains("--dport 443"));
        NodeFirewall tampered = new NodeFirewall(
                fw.node(),
                new Ruleset(fw.v4().family(), List.of(new Table("filter", filter.chains(), rules))),
                fw.v6(),
                fw.openings(),
                fw.provisional());
        FirewallProof.Result r = FirewallProof.prove(tampered).get(0);
        assertFalse(r.holds());
        assertTrue(
                r.missing().orElseThrow().accepted().stream()
                        .anyMatch(e -> e.keyText().equals("443")
                                && e.addresses().prefixes().equals(List.of(Prefix.parse("0.0.0.0/0")))),
                () -> r.toString());
    }
}
