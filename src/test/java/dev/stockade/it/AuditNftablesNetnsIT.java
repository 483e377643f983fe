package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.audit.Checks;
import dev.stockade.audit.CollectorScript;
import dev.stockade.audit.HostFacts;
import dev.stockade.audit.Reachability;
import dev.stockade.audit.SnapshotFacts;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NftCompiler;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.nftables.NftWriter;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose firewall is nftables, audited in a network namespace: first the {@code table inet
 * stockade} that {@code stockade build} writes for the demo's core-1 with {@code firewall:
 * nftables}, loaded with {@code nft -f}; then the same table with iptables-nft rules loaded beside it
 * (which {@code nft -j} shows as {@code xt} expressions). The collector script runs inside the
 * namespace, the snapshot is audited against the spec, and what the audit says each listening port
 * can be reached from, per family, is tried with real connections from every source address of a
 * second namespace ("internet", "office", "partner"): the kernel must agree on every one.
 *
 * <p>Addresses: the demo's 198.51.100.11 and 2001:db8:1::11 on the node; 198.51.100.2,
 * 203.0.113.5, 192.0.2.5, 2001:db8:1::2 and 2001:db8:ad::5 on the client; inside the lab only.
 */
class AuditNftablesNetnsIT {

    static final List<Integer> PORTS = List.of(22, 443, 3000, 9000);
    static final List<String> SOURCES_V4 = List.of("198.51.100.2", "203.0.113.5", "192.0.2.5");
    static final List<String> SOURCES_V6 = List.of("2001:db8:1::2", "2001:db8:ad::5");
    static final String NODE_V4 = "198.51.100.11";
    static final String NODE_V6 = "2001:db8:1::11";

    /** iptables-nft rules beside the native table: no partner may reach 443 or 3000. */
    static final String IPTABLES = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 443,3000"
            + " -m comment --comment \"no partners\" -j DROP\n"
            + "COMMIT\n";

    @Test
    void nftablesHost_builtTableThenMixedWithIptables_auditAgreesWithTheKernel(@TempDir Path tmp) throws Exception {
        boolean nft = Files.isExecutable(Path.of("/usr/sbin/nft"));
        if (!nft && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("nft (Debian package nftables) is missing; bin/test installs it");
        }
        Assumptions.assumeTrue(nft, "nft is not installed (Debian package nftables)");
        String demo = Files.readString(Path.of("examples/demo.yaml"))
                .replaceFirst("\ntarget: ", "\nfirewall: nftables\ntarget: ");
        Path specFile = Files.writeString(tmp.resolve("demo-nftables.yaml"), demo);
        ClusterSpec spec = SpecLoader.parse(specFile.toString(), demo).spec();
        String built = NftWriter.replacing(
                NftCompiler.compile(FirewallCompiler.compile(spec, spec.nodes().get(0))), List.of());
        Path script = Files.writeString(tmp.resolve("collect.sh"), CollectorScript.text("test"));
        try (NetnsLab lab = NetnsLab.create()) {
            Host node = lab.host("node");
            Host client = lab.host("client");
            Segment wan = lab.segment("wan");
            lab.attach(node, "eth0", wan, NODE_V4 + "/24", NODE_V6 + "/64");
            lab.attach(client, "eth0", wan, "198.51.100.2/24", "2001:db8:1::2/64");
            lab.addAddresses(client, "eth0", List.of("203.0.113.5/32", "192.0.2.5/32", "2001:db8:ad::5/128"));
            for (String net : List.of("203.0.113.0/24", "192.0.2.0/24", "2001:db8:ad::/48")) {
                lab.route(node, net, "eth0");
            }
            lab.loadNft(node, lab.scratchFile(built, ".nft"));
            lab.listen(node, PORTS, List.of());

            // 1. the table build writes, alone: exactly the spec
            Checks.HostAudit alone = collectAndAudit(lab, node, script, tmp.resolve("alone"), spec);
            List<Finding> f = alone.findings();
            assertEquals(List.of(), ids(f, "AUD-DRIFT", "AUD-UNINTENDED", "AUD-POLICY-ACCEPT", "AUD-NFT-UNMODELLED"));
            assertTrue(
                    f.stream()
                            .noneMatch(x ->
                                    x.id().equals("AUD-FACT") && x.message().contains("nft")),
                    f.toString());
            assertTrue(
                    has(
                            f,
                            "AUD-EXPOSED",
                            Severity.WARNING,
                            "tcp/443 (python3) on every IPv4 address can be reached over" + " IPv4 from any address"),
                    f.toString());
            assertTrue(
                    has(
                            f,
                            "AUD-EXPOSED",
                            Severity.NOTE,
                            "tcp/22 (python3) on every IPv6 address can be reached over"
                                    + " IPv6 from 2001:db8:ad::/48"),
                    f.toString());
            int agreed = agree(lab, client, alone.reach());

            // 2. iptables-nft rules beside it: a partner is dropped by iptables although the native table accepts
            lab.loadRuleText(node, IPTABLES, null);
            ExecResult dump = lab.exec(node, "nft", "-j", "list", "ruleset");
            assertTrue(
                    dump.stdout().contains("\"xt\""), "iptables-nft's rules show as xt expressions: " + dump.stdout());
            Checks.HostAudit mixed = collectAndAudit(lab, node, script, tmp.resolve("mixed"), spec);
            List<Finding> m = mixed.findings();
            assertEquals(List.of(), ids(m, "AUD-NFT-UNMODELLED", "AUD-POLICY-ACCEPT", "AUD-UNINTENDED"));
            List<Finding> drift =
                    m.stream().filter(x -> x.id().equals("AUD-DRIFT")).toList();
            assertEquals(1, drift.size(), m.toString());
            assertTrue(
                    drift.get(0)
                            .message()
                            .startsWith("node core-1: the IPv4 firewall the kernel runs differs from the spec's table"
                                    + " inet stockade: refuses tcp/443,3000 from 192.0.2.0/24 that the spec lets in"),
                    drift.get(0).toString());
            assertTrue(
                    reach(mixed.reach(), "tcp/3000", IpFamily.V4).closed(),
                    mixed.reach().toString());
            agreed += agree(lab, client, mixed.reach());
            assertEquals(2 * PORTS.size() * (SOURCES_V4.size() + SOURCES_V6.size()), agreed);

            // the same host audited from inside by the CLI (--local): the same findings
            ExecResult local = lab.exec(node, ChildJvm.withCoverageAgent(new String[] {
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stockade.cli.Main",
                "audit",
                "--local",
                "--spec",
                specFile.toString(),
                "--format",
                "json"
            }));
            assertEquals(
                    m.stream().anyMatch(x -> x.severity() == Severity.ERROR) ? 1 : 0, local.exit(), local.describe());
            assertEquals(AuditNetnsIT.ids(m), AuditNetnsIT.idsInJson(local.stdout()), local.stdout());
        }
    }

    private static Checks.HostAudit collectAndAudit(NetnsLab lab, Host node, Path script, Path facts, ClusterSpec spec)
            throws Exception {
        ExecResult collected = lab.exec(node, "sh", script.toString(), facts.toString());
        assertEquals(0, collected.exit(), collected.describe());
        // the audit matches the host to core-1 by its address
        return Checks.audit(HostFacts.collect(SnapshotFacts.read(Path.of(facts + ".tar"))), Optional.of(spec));
    }

    /** Every port from every source: the kernel's verdict must be the audit's; returns how many were tried. */
    private static int agree(NetnsLab lab, Host client, List<Reachability> reach) {
        List<Probe> probes = new ArrayList<>();
        List<Boolean> predicted = new ArrayList<>();
        for (int port : PORTS) {
            for (String src : SOURCES_V4) {
                probes.add(Probe.tcp(src, NODE_V4, port));
                predicted.add(reaches(reach(reach, "tcp/" + port, IpFamily.V4), src));
            }
            for (String src : SOURCES_V6) {
                probes.add(Probe.tcp(src, NODE_V6, port));
                predicted.add(reaches(reach(reach, "tcp/" + port, IpFamily.V6), src));
            }
        }
        List<ProbeResult> results = lab.probe(client, probes);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            if (results.get(i).reached() != predicted.get(i)) {
                wrong.add(probes.get(i) + ": audit " + predicted.get(i) + ", kernel "
                        + results.get(i).reached());
            }
        }
        assertEquals(List.of(), wrong, reach.toString());
        return probes.size();
    }

    private static Reachability reach(List<Reachability> reach, String service, IpFamily family) {
        return reach.stream()
                .filter(r -> r.service().startsWith(service + " ") && r.family() == family)
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " " + family + " not in " + reach));
    }

    /**
     * Whether the audit's sources ("any address", "nobody", "203.0.113.0/24", "any except
     * 192.0.2.0/24", parts "; "-separated with " on IFACE") hold {@code src} arriving on eth0.
     */
    static boolean reaches(Reachability r, String src) {
        if (r.closed()) {
            return false;
        }
        if (r.anywhere()) {
            return true;
        }
        assertFalse(r.sources().contains("unmodelled"), r.toString());
        Prefix host = Prefix.parse(src);
        for (String part : r.sources().split("; ")) {
            String[] on = part.split(" on ", 2);
            if (on.length == 2 && !on[1].equals("eth0") && !on[1].startsWith("! ")) {
                continue;
            }
            String set = on[0];
            boolean except = set.startsWith("any except ");
            List<String> prefixes = List.of((except ? set.substring("any except ".length()) : set).split(" "));
            boolean in = set.equals("any")
                    || prefixes.stream()
                            .map(Prefix::parse)
                            .filter(p -> p.family() == host.family())
                            .anyMatch(p -> p.contains(host));
            if (except != in) {
                return true;
            }
        }
        return false;
    }

    private static List<String> ids(List<Finding> findings, String... ids) {
        List<String> wanted = List.of(ids);
        return findings.stream()
                .filter(x -> wanted.contains(x.id()))
                .map(Finding::toString)
                .toList();
    }

    private static boolean has(List<Finding> findings, String id, Severity severity, String start) {
        return AuditNetnsIT.has(findings, id, severity, start);
    }
}
