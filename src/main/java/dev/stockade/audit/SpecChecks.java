package dev.stockade.audit;

import dev.stockade.analysis.RulesetDiff;
import dev.stockade.firewall.FirewallCompiler;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A host against what the cluster spec says it should be: the loaded rules against the rules
 * {@code stockade build} compiles for that node, compared as packet sets ({@link RulesetDiff}), so
 * a reordered or reformatted ruleset is no drift and one more open port is. Listening services
 * that the live rules let in from sources the plan does not are {@code AUD-UNINTENDED}; sshd
 * running where the spec closes SSH ({@code admin.ssh.from: []}) is {@code AUD-SSH-OPEN}. Findings
 * point at the node's entry in the spec.
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
        for (IpFamily family : List.of(IpFamily.V4, IpFamily.V6)) {
            ProbeOutput live = facts.output(family == IpFamily.V4 ? Probe.IPTABLES : Probe.IP6TABLES);
            Optional<Table> liveFilter = filter(live, family);
            Optional<Table> planFilter = (family == IpFamily.V4 ? plan.v4() : plan.v6()).table("filter");
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
                changes.add("lets in " + FirewallChecks.summaryOf(d.opened()) + " that the spec does not");
            }
            if (!d.closed().accepted().isEmpty()) {
                changes.add("refuses " + FirewallChecks.summaryOf(d.closed()) + " that the spec lets in");
            }
            out.add(new Finding(
                    "AUD-DRIFT",
                    Severity.WARNING,
                    facts.host(),
                    Optional.of(node.span()),
                    "node " + node.name() + ": the loaded " + family + " rules differ from the spec's"
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

    private static Optional<Table> filter(ProbeOutput o, IpFamily family) {
        if (!o.ok()) {
            return Optional.empty();
        }
        try {
            return FirewallChecks.filterOf(o.source(), o.stdout(), family);
        } catch (InputException e) {
            return Optional.empty();
        }
    }
}
