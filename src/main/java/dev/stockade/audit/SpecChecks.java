package dev.stockade.audit;

import dev.stockade.analysis.RulesetDiff;
import dev.stockade.etcd.FirstStart;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NftCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.nftables.NftRuleset;
import dev.stockade.nftables.NftTable;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.provision.EtcdPaths;
import dev.stockade.provision.FirewallFiles;
import dev.stockade.provision.NodePlan;
import dev.stockade.provision.NodePlanner;
import dev.stockade.provision.ProvisionedFile;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.FirewallBackend;
import dev.stockade.spec.NodeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host against what the cluster spec says it should be: the rules the kernel runs (iptables'
 * and any native nftables tables together, {@link FirewallChecks#running}) against the rules
 * {@code stockade build} compiles for that node (its iptables rules, or with {@code firewall:
 * nftables} its {@code table inet stockade}), compared as packet sets ({@link RulesetDiff}), so
 * a reordered or reformatted ruleset is no drift and one more open port is. Listening services
 * that the live rules let in from sources the plan does not are {@code AUD-UNINTENDED}; sshd
 * running where the spec closes SSH ({@code admin.ssh.from: []}) is {@code AUD-SSH-OPEN}; a
 * provisioned file that is missing or changed is {@code AUD-FILE-DRIFT}. Findings point at the
 * node's entry in the spec.
 */
final class SpecChecks {

    private SpecChecks() {}

    /** The spec's node for a host: by name or hostname, else by one of its addresses. */
    static Optional<NodeSpec> node(ClusterSpec spec, HostFacts facts) {
        String host = facts.host();
        for (NodeSpec n : spec.nodes()) {
            if (n.name().equals(host) || n.hostname().equals(host)) {
                return Optional.of(n);
            }
        }
        String addresses = facts.output(Probe.ADDRESSES).ok()
                ? facts.output(Probe.ADDRESSES).stdout()
                : "";
        for (NodeSpec n : spec.nodes()) {
            for (var a : n.addresses()) {
                String ip = a.address();
                if (host.equals(ip) || addresses.contains(" " + ip + "/")) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    static void check(ClusterSpec spec, HostFacts facts, List<Finding> out) {
        Optional<NodeSpec> match = node(spec, facts);
        if (match.isEmpty()) {
            out.add(new Finding(
                    "AUD-SPEC-NODE",
                    Severity.WARNING,
                    facts.host(),
                    Optional.of(dev.stockade.report.SourceSpan.ofFile(spec.file())),
                    "no node of the spec is " + facts.host() + " (by name, hostname or address): drift not checked",
                    "name the node as the host calls itself, or list its address in the spec"));
            return;
        }
        NodeSpec node = match.get();
        NodeFirewall plan = FirewallCompiler.compile(spec, node);
        ProbeOutput sockets = facts.output(Probe.SOCKETS);
        List<Listener> listeners =
                sockets.ok() ? Listener.parse(sockets.stdout()).listeners() : List.of();
        Map<IpFamily, Table> running = FirewallChecks.running(facts);
        for (IpFamily family : List.of(IpFamily.V4, IpFamily.V6)) {
            Optional<Table> liveFilter = Optional.ofNullable(running.get(family));
            Optional<Table> planFilter = planned(spec, plan, family);
            if (liveFilter.isEmpty() || planFilter.isEmpty()) {
                continue; // the firewall checks already say why the live rules are missing
            }
            RulesetDiff d;
            try {
                d = RulesetDiff.of(family, planFilter.get(), liveFilter.get(), "INPUT");
            } catch (InputException e) {
                continue;
            }
            if (d.identical()) {
                continue;
            }
            List<String> changes = new ArrayList<>();
            if (!d.opened().accepted().isEmpty()) {
                changes.add("lets in " + d.opened().summary() + " that the spec does not");
            }
            if (!d.closed().accepted().isEmpty()) {
                changes.add("refuses " + d.closed().summary() + " that the spec lets in");
            }
            out.add(new Finding(
                    "AUD-DRIFT",
                    Severity.WARNING,
                    facts.host(),
                    Optional.of(node.span()),
                    "node " + node.name() + ": "
                            + (spec.firewall() == FirewallBackend.NFTABLES
                                    ? "the " + family + " firewall the kernel runs differs from the spec's table inet"
                                            + " stockade"
                                    : "the loaded " + family + " rules differ from the spec's")
                            + (changes.isEmpty()
                                    ? " (not in what new connections may do)"
                                    : ": " + String.join("; ", changes)),
                    "load the rules stockade build writes for " + node.name() + ", or change the spec"));
            for (Listener s : listeners) {
                if (s.loopbackOnly() || !s.families().contains(family)) {
                    continue;
                }
                FirewallChecks.Reach extra = FirewallChecks.Reach.of(d.opened(), s.protocol(), s.port());
                if (!extra.closed()) {
                    out.add(new Finding(
                            "AUD-UNINTENDED",
                            Severity.ERROR,
                            facts.host(),
                            Optional.of(node.span()),
                            "node " + node.name() + ": " + s.describe() + " can be reached over " + family + " "
                                    + extra.text() + ", which the spec does not allow",
                            "load the rules stockade build writes for " + node.name()
                                    + ", or add the service to the spec if it is meant to be reached"));
                }
            }
        }
        sshClosed(spec, node, facts, out);
        provisionedFiles(spec, node, plan, facts, out);
    }

    /**
     * {@code AUD-FILE-DRIFT}: a file the spec provisions on the node is missing, or differs in
     * content, owner or mode; a Stockade drop-in the spec no longer provisions is left over. The
     * firewall files are compared by meaning above; etcd's TLS files and environment depend on the
     * PKI and the build state, which an audit does not read.
     */
    private static void provisionedFiles(
            ClusterSpec spec, NodeSpec node, NodeFirewall firewall, HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.PROVISIONED);
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, "the provisioned-file drift check"));
            return;
        }
        Map<String, String[]> onHost = new LinkedHashMap<>();
        o.stdout()
                .lines()
                .map(l -> l.split(" "))
                .filter(f -> f.length == 2 || f.length == 4)
                .forEach(f -> onHost.put(f[0], f));
        // etcd is planned as a founding member: only the environment file depends on which it was
        Optional<FirstStart> start =
                spec.etcd().filter(e -> e.isMember(node.name())).map(e -> new FirstStart(false, List.of()));
        NodePlan plan = NodePlanner.plan(spec, node, firewall, unread(spec), Optional.empty(), start);
        Set<String> planned = new HashSet<>();
        for (ProvisionedFile want : plan.onDisk()) {
            String path = want.path();
            planned.add(path);
            String[] have = onHost.get(path);
            if (have == null || !comparable(path)) {
                continue; // a collector that did not look there, or a file compared elsewhere
            }
            List<String> differences = new ArrayList<>();
            if (have.length == 2) {
                differences.add("is not there");
            } else {
                if (!have[3].equals(sha256(want.contents()))) {
                    differences.add("has other contents");
                }
                if (!have[1].equals(want.owner())) {
                    differences.add("is owned by " + have[1] + ", not " + want.owner());
                }
                if (!have[2].matches("[0-7]{1,4}") || Integer.parseInt(have[2], 8) != want.mode()) {
                    differences.add("has mode " + have[2] + ", not " + want.octalMode());
                }
            }
            if (!differences.isEmpty()) {
                out.add(fileDrift(
                        facts, node, path + " " + String.join(", ", differences) + " (the spec provisions it)"));
            }
        }
        for (Map.Entry<String, String[]> e : onHost.entrySet()) {
            if (e.getKey().contains("/20-stockade-") && e.getValue().length == 4 && !planned.contains(e.getKey())) {
                out.add(fileDrift(facts, node, e.getKey() + " is left over: the spec no longer provisions it"));
            }
        }
    }

    /** The firewall files' place in the plan: their contents are compared as rules, not here. */
    private static FirewallFiles unread(ClusterSpec spec) {
        return spec.firewall() == FirewallBackend.NFTABLES
                ? new FirewallFiles.Nftables("")
                : new FirewallFiles.Iptables("", "");
    }

    private static boolean comparable(String path) {
        return !path.equals(NodePlanner.RULES_V4)
                && !path.equals(NodePlanner.RULES_V6)
                && !path.equals(NodePlanner.NFTABLES_CONF)
                && !path.equals(NodePlanner.ETCD_ENV)
                && !path.startsWith(EtcdPaths.DIR + "/");
    }

    private static Finding fileDrift(HostFacts facts, NodeSpec node, String what) {
        return new Finding(
                "AUD-FILE-DRIFT",
                Severity.WARNING,
                facts.host(),
                Optional.of(node.span()),
                "node " + node.name() + ": " + what,
                "reprovision " + node.name() + " from the output of stockade build, or change the spec");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The spec closes SSH ({@code admin.ssh.from: []}, so build masks sshd), yet sshd runs. */
    private static void sshClosed(ClusterSpec spec, NodeSpec node, HostFacts facts, List<Finding> out) {
        if (!spec.ssh().from().isEmpty()) {
            return;
        }
        ProbeOutput units = facts.output(Probe.UNITS);
        if (!units.ok()) {
            return;
        }
        for (String name : List.of("sshd.socket", "sshd.service")) {
            UnitState u = UnitState.parse(units.stdout()).get(name);
            if (u != null && u.running()) {
                out.add(new Finding(
                        "AUD-SSH-OPEN",
                        Severity.ERROR,
                        facts.host(),
                        Optional.of(spec.ssh().span()),
                        "node " + node.name() + ": " + name + " is " + u.active()
                                + " although the spec closes SSH (admin.ssh.from is empty)",
                        "systemctl mask --now sshd.socket sshd.service (stockade build masks them)"));
            }
        }
    }

    /**
     * The filter table {@code stockade build} writes for the node and family: the iptables rules,
     * or with {@code firewall: nftables} its {@code table inet stockade} read as {@code fw} reads it.
     */
    private static Optional<Table> planned(ClusterSpec spec, NodeFirewall plan, IpFamily family) {
        if (spec.firewall() == FirewallBackend.NFTABLES) {
            NftTable table = NftCompiler.compile(plan);
            return Optional.of(NftablesToRulesets.convert(spec.file(), new NftRuleset(List.of(table)), family)
                    .filter());
        }
        return (family == IpFamily.V4 ? plan.v4() : plan.v6()).table("filter");
    }
}
