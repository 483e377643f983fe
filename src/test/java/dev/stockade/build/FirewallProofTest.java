package dev.stockade.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NftCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.intent.SpecIntent;
import dev.stockade.iptables.IptablesSaveWriter;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.nftables.NftWriter;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.util.List;
import java.util.function.UnaryOperator;
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
            "  ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest t@t\"]}",
            "etcd: {clients_from: [cluster]}",
            "services:",
            "  - {name: web, port: 443, from: any}",
            "  - {name: dns, port: 53, protocol: [tcp, udp], from: [192.0.2.0/24]}",
            "");

    static final ClusterSpec spec = load();

    static ClusterSpec load() {
        try {
            return SpecLoader.parse("t.yaml", SPEC).spec();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The proof of node a's rules as written, with {@code edit} applied to the IPv4 and IPv6 text. */
    static List<FirewallProof.Result> proveEdited(UnaryOperator<String> v4Edit, UnaryOperator<String> v6Edit) {
        NodeFirewall fw = FirewallCompiler.compile(spec, spec.nodes().get(0));
        String v4 = IptablesSaveWriter.write(fw.v4(), List.of());
        String v6 = IptablesSaveWriter.write(fw.v6(), List.of());
        return FirewallProof.prove(
                SpecIntent.of(spec), "a", new FirewallFiles.Iptables(v4Edit.apply(v4), v6Edit.apply(v6)));
    }

    /** The proof of node a's nftables file as written, with {@code edit} applied to its text. */
    static List<FirewallProof.Result> proveNftEdited(UnaryOperator<String> edit) {
        NodeFirewall fw = FirewallCompiler.compile(spec, spec.nodes().get(0));
        String text = NftWriter.replacing(NftCompiler.compile(fw), List.of("node a"));
        return FirewallProof.prove(SpecIntent.of(spec), "a", new FirewallFiles.Nftables(edit.apply(text)));
    }

    static String insertBeforeCommit(String text, String line) {
        return text.replace("COMMIT\n", line + "\nCOMMIT\n");
    }

    static String dropLines(String text, String containing) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.contains(containing)) {
                sb.append(line).append('\n');
            }
        }
        return sb.substring(0, sb.length() - 1);
    }

    @Test
    void prove_writtenRules_holdForBothFamilies() {
        List<FirewallProof.Result> proof = proveEdited(t -> t, t -> t);
        assertTrue(proof.stream().allMatch(FirewallProof.Result::holds), () -> proof.toString());
        // IPv4: ping, ssh, etcd peers, etcd clients, web, dns/tcp, dns/udp; IPv6: ping, web, dhcpv6
        assertEquals(7, proof.get(0).entries(), () -> proof.toString());
        assertEquals(3, proof.get(1).entries(), () -> proof.toString());
    }

    @Test
    void proveNft_writtenRuleset_holdsForBothFamilies() {
        List<FirewallProof.Result> proof = proveNftEdited(t -> t);
        assertTrue(proof.stream().allMatch(FirewallProof.Result::holds), () -> proof.toString());
        assertEquals(
                List.of(IpFamily.V4, IpFamily.V6),
                proof.stream().map(FirewallProof.Result::family).toList());
    }

    @Test
    void proveNft_tamperedRuleset_failsAndSaysHow() {
        // an extra port for everyone: too open in both families
        List<FirewallProof.Result> extra =
                proveNftEdited(t -> t.replace("\t\ttcp dport 443 accept", "\t\ttcp dport { 443, 8080 } accept"));
        for (FirewallProof.Result r : extra) {
            assertFalse(r.holds(), r::toString);
            assertTrue(
                    r.extra().orElseThrow().accepted().stream()
                            .anyMatch(e -> e.keyText().equals("8080")),
                    r::toString);
        }
        // a member missing from the cluster set: etcd clients refused from it (IPv4 only)
        List<FirewallProof.Result> missing = proveNftEdited(t -> t.replace("10.250.0.2,\n", ""));
        assertFalse(missing.get(0).holds(), () -> missing.toString());
        assertTrue(missing.get(1).holds(), () -> missing.toString());
        assertTrue(
                missing.get(0).problems().contains("the rules refuse what the spec opens"), () -> missing.toString());
        // the forward chain opened
        assertFalse(proveNftEdited(t -> t.replace(
                        "hook forward priority filter; policy drop;", "hook forward priority filter; policy accept;"))
                .get(0)
                .holds());
        // a statement the analysis does not model: a doubt the proof refuses
        List<FirewallProof.Result> doubt =
                proveNftEdited(t -> t.replace("\t\ttcp dport 443 accept", "\t\tmeta mark 0x1 tcp dport 443 accept"));
        assertFalse(doubt.get(0).holds(), () -> doubt.toString());
        assertTrue(
                doubt.get(0).problems().stream().anyMatch(p -> p.contains("does not model")), () -> doubt.toString());
        // text nft would not load
        FirewallProof.Result broken = proveNftEdited(t -> t.replace("chain input {", "chain input {{"))
                .get(0);
        assertFalse(broken.holds());
        assertTrue(
                broken.problems().get(0).startsWith("the written ruleset does not parse: a/nftables.conf:"),
                broken::toString);
    }

    @Test
    void prove_extraAcceptRule_failsAndNamesTheExtraPort() {
        FirewallProof.Result r = proveEdited(
                        t -> insertBeforeCommit(t, "-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT"), t -> t)
                .get(0);
        assertFalse(r.holds());
        assertTrue(
                r.extra().orElseThrow().accepted().stream()
                        .anyMatch(e -> e.protocol().equals("tcp") && e.keyText().equals("8080")),
                () -> r.toString());
    }

    @Test
    void prove_missingOpening_failsAndNamesWhatIsRefused() {
        FirewallProof.Result r =
                proveEdited(t -> dropLines(t, "--dport 443"), t -> t).get(0);
        assertFalse(r.holds());
        assertTrue(
                r.missing().orElseThrow().accepted().stream()
                        .anyMatch(e -> e.keyText().equals("443")
                                && e.addresses().prefixes().equals(List.of(Prefix.parse("0.0.0.0/0")))),
                () -> r.toString());
    }

    @Test
    void prove_ipv6RulesOfAServiceDropped_failsForIpv6Only() {
        List<FirewallProof.Result> proof = proveEdited(t -> t, t -> dropLines(t, "services.web"));
        assertTrue(proof.get(0).holds(), () -> proof.toString());
        assertFalse(proof.get(1).holds());
        assertTrue(proof.get(1).missing().isPresent() && proof.get(1).extra().isEmpty(), () -> proof.toString());
    }

    @Test
    void prove_peerRuleOnTheWrongInterface_failsBothWays() {
        FirewallProof.Result r =
                proveEdited(t -> t.replace("-i eth1", "-i eth0"), t -> t).get(0);
        assertFalse(r.holds());
        assertTrue(r.extra().isPresent() && r.missing().isPresent(), () -> r.toString());
    }

    @Test
    void prove_dhcpv6RuleWithoutItsSourcePort_failsAsTooOpen() {
        FirewallProof.Result r =
                proveEdited(t -> t, t -> t.replace("--sport 547 ", "")).get(1);
        assertFalse(r.holds(), () -> r.toString());
        assertTrue(r.extra().isPresent() && r.missing().isEmpty(), () -> r.toString());
    }

    @Test
    void prove_rulesThatDoNotParse_failWithTheParserMessage() {
        FirewallProof.Result r = proveEdited(t -> insertBeforeCommit(t, "-A INPUT --bogus"), t -> t)
                .get(0);
        assertFalse(r.holds());
        assertTrue(
                r.problems().get(0).startsWith("the written rules do not parse: a/iptables.rules"), () -> r.toString());
    }

    @Test
    void prove_forwardAcceptingNewConnections_fails() {
        FirewallProof.Result r = proveEdited(t -> t.replace(":FORWARD DROP", ":FORWARD ACCEPT"), t -> t)
                .get(0);
        assertFalse(r.holds());
        assertTrue(r.problems().contains("FORWARD accepts new connections"), () -> r.toString());
    }

    @Test
    void prove_interfacePatternThatAlsoNamesLoopback_holds() throws Exception {
        ClusterSpec plus = SpecLoader.parse(
                        "p.yaml",
                        SPEC.replace(
                                        "interfaces: {public: eth0, private: eth1}",
                                        "interfaces: {public: \"+\", private: eth1}")
                                .replace(
                                        "{name: web, port: 443, from: any}",
                                        "{name: web, port: 443, from: any, on: public}"))
                .spec();
        NodeFirewall fw = FirewallCompiler.compile(plus, plus.nodes().get(0));
        List<FirewallProof.Result> proof = FirewallProof.prove(
                SpecIntent.of(plus),
                "a",
                new FirewallFiles.Iptables(
                        IptablesSaveWriter.write(fw.v4(), List.of()), IptablesSaveWriter.write(fw.v6(), List.of())));
        assertTrue(proof.stream().allMatch(FirewallProof.Result::holds), () -> proof.toString());
    }
}
