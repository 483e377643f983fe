package dev.stockade.audit;

import dev.stockade.analysis.AddressSet;
import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.RulesetDiff;
import dev.stockade.analysis.RulesetLints;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.provision.NodePlanner;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The firewall as the host runs it, against what listens on it: every listening socket crossed
 * with the exact packet sets of the loaded rules ({@link Exposure} of INPUT), IPv6 open where IPv4
 * is closed, default ACCEPT policies, loaded rules that differ from the saved ones (the reboot
 * would change them: {@link RulesetDiff}). With native nftables tables on the host, the rules
 * crossed with the sockets are iptables' and the native tables' together, as the kernel runs them
 * ({@link NftTables}).
 *
 * <p>Limits: the reach of a socket bound to one address or interface is the reach of its port
 * (destination addresses and the bound interface are not narrowed further), an upper bound.
 */
final class FirewallChecks {

    /** Ports never meant for the open internet: plaintext docker, etcd, the kubelet. */
    static final Set<Integer> SENSITIVE = Set.of(2375, 2379, 2380, 4001, 7001, 10250, 10255);

    private FirewallChecks() {}

    /** The loaded filter table of one family, or empty when it could not be read (reported in {@code out}). */
    record Loaded(IpFamily family, ProbeOutput output, Table filter, boolean empty) {}

    static void check(HostFacts facts, List<Finding> out) {
        check(facts, out, new ArrayList<>());
    }

    /** As {@link #check(HostFacts, List)}, also listing who can reach each listening service in {@code reach}. */
    static void check(HostFacts facts, List<Finding> out, List<Reachability> reach) {
        Map<IpFamily, Loaded> loaded = new EnumMap<>(IpFamily.class);
        load(facts, IpFamily.V4, Probe.IPTABLES, out).ifPresent(l -> loaded.put(IpFamily.V4, l));
        load(facts, IpFamily.V6, Probe.IP6TABLES, out).ifPresent(l -> loaded.put(IpFamily.V6, l));
        Optional<NftTables.Native> nft = NftTables.read(facts, out);
        for (Loaded l : loaded.values()) {
            saved(facts, l, l.family() == IpFamily.V4 ? Probe.RULES_SAVE_V4 : Probe.RULES_SAVE_V6, out);
        }
        Map<IpFamily, Table> running = running(facts, loaded, nft, out);
        for (IpFamily family : running.keySet()) {
            policy(facts, family, Optional.ofNullable(loaded.get(family)), nft, out);
        }
        exposure(facts, running, out, reach);
        NftTables.saved(facts, nft, out);
    }

    /**
     * Per family, the filter table the kernel runs: iptables-save's, and with native nftables
     * tables on the host, both as layered base chains ({@link NftTables}). A family is left out when
     * its iptables rules could not be read (a finding says why), unless iptables is not installed.
     */
    static Map<IpFamily, Table> running(HostFacts facts) {
        List<Finding> ignored = new ArrayList<>();
        Map<IpFamily, Loaded> loaded = new EnumMap<>(IpFamily.class);
        load(facts, IpFamily.V4, Probe.IPTABLES, ignored).ifPresent(l -> loaded.put(IpFamily.V4, l));
        load(facts, IpFamily.V6, Probe.IP6TABLES, ignored).ifPresent(l -> loaded.put(IpFamily.V6, l));
        return running(facts, loaded, NftTables.read(facts, ignored), ignored);
    }

    private static Map<IpFamily, Table> running(
            HostFacts facts, Map<IpFamily, Loaded> loaded, Optional<NftTables.Native> nft, List<Finding> out) {
        Map<IpFamily, Table> running = new EnumMap<>(IpFamily.class);
        Set<Finding> said = new java.util.HashSet<>(out);
        for (IpFamily family : IpFamily.values()) {
            Loaded l = loaded.get(family);
            if (nft.isEmpty()) {
                if (l != null) {
                    running.put(family, l.filter());
                }
                continue;
            }
            ProbeOutput ipt = facts.output(family == IpFamily.V4 ? Probe.IPTABLES : Probe.IP6TABLES);
            if (l == null && ipt.status() != ProbeOutput.Status.MISSING) {
                continue; // the iptables layer is unknown: the finding about its fact says so
            }
            Optional<Table> iptables = l == null || l.empty() ? Optional.empty() : Optional.of(l.filter());
            NftablesToRulesets.Converted c = NftTables.layered(nft.get(), family, iptables);
            for (dev.stockade.report.Diagnostic d : c.warnings()) {
                Finding f = NftTables.unmodelled(facts.host(), d);
                if (said.add(f)) {
                    out.add(f);
                }
            }
            running.put(family, c.filter());
        }
        return running;
    }

    private static Optional<Loaded> load(HostFacts facts, IpFamily family, Probe probe, List<Finding> out) {
        ProbeOutput o = facts.output(probe);
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, family + " firewall checks"));
            return Optional.empty();
        }
        Optional<Table> filter = parse(o.source(), o.stdout(), family, facts.host(), out);
        if (filter.isEmpty()) {
            return Optional.empty();
        }
        boolean empty = !o.stdout().contains("*filter");
        return Optional.of(new Loaded(family, o, filter.get(), empty));
    }

    /** The filter table of iptables-save output; output without one (no rules loaded) is the empty ACCEPT table. */
    static Optional<Table> filterOf(String source, String text, IpFamily family) throws InputException {
        return Optional.of(IptablesSaveParser.filterOf(source, text, family));
    }

    private static Optional<Table> parse(String source, String text, IpFamily family, String host, List<Finding> out) {
        try {
            return filterOf(source, text, family);
        } catch (InputException e) {
            e.diagnostics()
                    .forEach(d -> out.add(new Finding(
                            "AUD-FACT",
                            Severity.WARNING,
                            host,
                            Optional.of(d.span()),
                            "the " + family + " rules do not parse (" + d.message() + "): the firewall checks for "
                                    + family + " are skipped",
                            "report the rule to Stockade's maintainers if iptables-save printed it")));
            return Optional.empty();
        }
    }

    /**
     * Whether anything drops what no rule accepts at the input hook: iptables' INPUT or one of the
     * native base input chains (a packet must pass them all, so one that drops by default is enough).
     */
    /** {@code AUD-RULES-UNSAVED} at the saved file {@code saved}: what a reboot loads is not what runs. */
    static Finding unsaved(HostFacts facts, ProbeOutput saved, String message, String hint) {
        return new Finding(
                "AUD-RULES-UNSAVED", Severity.WARNING, facts.host(), Optional.of(saved.file()), message, hint);
    }

    /** What loading the saved rules instead of the running ones would open and close, e.g. " opens tcp/80". */
    static String whatChanges(RulesetDiff d) {
        return (d.opened().accepted().isEmpty() ? "" : " opens " + d.opened().summary())
                + (d.closed().accepted().isEmpty()
                        ? ""
                        : " closes " + d.closed().summary());
    }

    private static void policy(
            HostFacts facts, IpFamily family, Optional<Loaded> l, Optional<NftTables.Native> nft, List<Finding> out) {
        Map<String, Boolean> layers = new java.util.LinkedHashMap<>();
        l.filter(x -> !x.empty())
                .ifPresent(x -> layers.put("iptables' INPUT", RulesetLints.defaultDrop(x.filter(), "INPUT")));
        nft.ifPresent(n -> layers.putAll(NftTables.inputChains(n, family)));
        if (layers.containsValue(true)) {
            return;
        }
        Optional<dev.stockade.report.SourceSpan> at = l.map(
                        x -> x.output().at(lineOf(x.output().stdout(), ":INPUT ")))
                .or(() -> nft.map(n -> n.output().file()));
        String tool = family == IpFamily.V4 ? "iptables" : "ip6tables";
        String message;
        if (layers.isEmpty()) {
            message = "no " + family + " firewall is loaded: every port that listens is open";
        } else if (nft.isEmpty() || layers.size() == 1 && layers.containsKey("iptables' INPUT")) {
            message = "the " + family + " INPUT chain accepts what no rule drops (policy ACCEPT, no final DROP)";
        } else {
            message = "nothing on the " + family + " input hook drops what its rules do not accept ("
                    + String.join(", ", layers.keySet()) + ": policy accept, no final drop)";
        }
        out.add(new Finding(
                "AUD-POLICY-ACCEPT",
                layers.isEmpty() ? Severity.ERROR : Severity.WARNING,
                facts.host(),
                at,
                message,
                nft.isPresent()
                        ? "give one input chain a drop policy (stockade build writes table inet stockade so)"
                        : "load rules with a DROP policy (stockade build writes them) and enable " + tool
                                + "-restore.service"));
    }

    /** Loaded rules against the saved ones the restore service loads at boot. */
    private static void saved(HostFacts facts, Loaded l, Probe probe, List<Finding> out) {
        ProbeOutput s = facts.output(probe);
        String path = l.family() == IpFamily.V4 ? NodePlanner.RULES_V4 : NodePlanner.RULES_V6;
        if (!s.ok()) {
            if (!l.empty() && s.status() == ProbeOutput.Status.FAILED) {
                out.add(new Finding(
                        "AUD-RULES-UNSAVED",
                        Severity.WARNING,
                        facts.host(),
                        Optional.of(l.output().file()),
                        "the loaded " + l.family() + " rules are not saved (" + path
                                + " cannot be read): a reboot loses them",
                        "save them: " + (l.family() == IpFamily.V4 ? "iptables" : "ip6tables") + "-save > " + path));
            }
            return;
        }
        Optional<Table> savedFilter = parse(s.source(), s.stdout(), l.family(), facts.host(), out);
        if (savedFilter.isEmpty()) {
            return;
        }
        List<String> changes = new ArrayList<>();
        try {
            for (String chain : List.of("INPUT", "FORWARD", "OUTPUT")) {
                RulesetDiff d = RulesetDiff.of(l.family(), l.filter(), savedFilter.get(), chain);
                if (!d.identical()) {
                    changes.add(chain + whatChanges(d));
                }
            }
        } catch (InputException e) {
            return; // a table the kernel would not load; the parser's findings say why
        }
        if (!changes.isEmpty()) {
            out.add(unsaved(
                    facts,
                    s,
                    "the loaded " + l.family() + " rules differ from " + path + ", which a reboot loads: "
                            + String.join("; ", changes),
                    "save the loaded rules if they are right (" + (l.family() == IpFamily.V4 ? "iptables" : "ip6tables")
                            + "-save > " + path + "), or load the saved ones"));
        }
    }

    /** Who can open a connection to each listening socket, per family. */
    private static void exposure(
            HostFacts facts, Map<IpFamily, Table> running, List<Finding> out, List<Reachability> reachable) {
        ProbeOutput sockets = facts.output(Probe.SOCKETS);
        if (!sockets.ok()) {
            out.add(Checks.notEvaluated(facts.host(), sockets, "the exposure of listening services"));
            return;
        }
        Listener.Parsed parsed = Listener.parse(sockets.stdout());
        Map<IpFamily, Exposure> exposures = new EnumMap<>(IpFamily.class);
        for (Map.Entry<IpFamily, Table> r : running.entrySet()) {
            try {
                exposures.put(r.getKey(), Exposure.of(FilterAnalysis.of(r.getKey(), r.getValue()), "INPUT"));
            } catch (InputException e) {
                // a jump loop: the parser's findings say why; no exposure for this family
            }
        }
        for (Listener s : parsed.listeners()) {
            if (s.loopbackOnly()) {
                continue;
            }
            Map<IpFamily, Reach> reach = new EnumMap<>(IpFamily.class);
            for (IpFamily f : s.families()) {
                Exposure e = exposures.get(f);
                if (e != null) {
                    reach.put(f, Reach.of(e, s.protocol(), s.port()));
                }
            }
            for (Map.Entry<IpFamily, Reach> r : reach.entrySet()) {
                exposed(facts.host(), sockets, s, r.getKey(), r.getValue(), out);
                reachable.add(new Reachability(
                        s.describe(),
                        r.getKey(),
                        r.getValue().closed() ? "nobody" : r.getValue().text().replaceFirst("^from ", ""),
                        !r.getValue().closed() && r.getValue().fromAnywhere(),
                        r.getValue().closed()));
            }
        }
        v6Open(facts.host(), sockets, parsed.listeners(), exposures, out);
    }

    private static void exposed(
            String host, ProbeOutput sockets, Listener s, IpFamily family, Reach r, List<Finding> out) {
        if (r.closed()) {
            return;
        }
        boolean anywhere = r.fromAnywhere();
        Severity severity =
                !anywhere ? Severity.NOTE : SENSITIVE.contains(s.port()) ? Severity.ERROR : Severity.WARNING;
        out.add(new Finding(
                "AUD-EXPOSED",
                severity,
                host,
                Optional.of(sockets.at(s.line())),
                s.describe() + " on " + (s.wildcard() ? "every " + family + " address" : s.address())
                        + " can be reached over " + family + " " + r.text(),
                anywhere
                        ? "accept it only from the networks that need it, or bind it to loopback or a private address"
                        : ""));
    }

    /** A port closed on IPv4, or open only to some, but open wider on IPv6: rules written for one family only. */
    private static void v6Open(
            String host, ProbeOutput sockets, List<Listener> listeners, Map<IpFamily, Exposure> e, List<Finding> out) {
        if (!e.containsKey(IpFamily.V4) || !e.containsKey(IpFamily.V6)) {
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Listener s : listeners) {
            if (s.loopbackOnly() || !s.families().contains(IpFamily.V6) || !seen.add(s.protocol() + s.port())) {
                continue;
            }
            boolean v4Listens = listeners.stream()
                    .anyMatch(o -> !o.loopbackOnly()
                            && o.protocol().equals(s.protocol())
                            && o.port() == s.port()
                            && o.families().contains(IpFamily.V4));
            Reach v4 = Reach.of(e.get(IpFamily.V4), s.protocol(), s.port());
            Reach v6 = Reach.of(e.get(IpFamily.V6), s.protocol(), s.port());
            boolean wider = v4.closed() ? !v6.closed() : v6.fromAnywhere() && !v4.fromAnywhere();
            if (v4Listens && wider) {
                out.add(new Finding(
                        "AUD-V6-OPEN",
                        Severity.ERROR,
                        host,
                        Optional.of(sockets.at(s.line())),
                        s.describe() + " is " + (v4.closed() ? "closed on IPv4" : "open on IPv4 only " + v4.text())
                                + " but open on IPv6 " + v6.text(),
                        "give ip6tables the same policy as iptables (stockade build writes both)"));
            }
        }
    }

    /** The sources that can open a connection to one protocol and port. */
    record Reach(List<AddressSet> sure, List<String> interfaces, boolean anywhere, boolean conditional) {

        static Reach of(Exposure e, String protocol, int port) {
            List<AddressSet> sources = new ArrayList<>();
            List<String> interfaces = new ArrayList<>();
            boolean anywhere = false;
            for (Exposure.Entry x : e.accepted()) {
                if (x.protocol().equals(protocol)
                        && x.keys().stream().anyMatch(k -> k.contains(port))
                        && !onlyLoopback(x)) {
                    // every interface but loopback is every way in from outside the host
                    boolean any = x.interfaces().isEmpty()
                            || (x.interfacesNegated() && x.interfaces().equals(List.of("lo")));
                    sources.add(x.addresses());
                    anywhere |= any && x.addresses().isAll();
                    interfaces.add(any ? "any" : x.interfaceText());
                }
            }
            boolean conditional = e.conditional().stream()
                    .anyMatch(x -> x.protocol().equals(protocol)
                            && x.keys().stream().anyMatch(k -> k.contains(port))
                            && !onlyLoopback(x));
            return new Reach(sources, interfaces, anywhere, conditional);
        }

        /** Packets that arrive on loopback come from the host itself: no exposure. */
        private static boolean onlyLoopback(Exposure.Entry x) {
            return !x.interfacesNegated() && x.interfaces().equals(List.of("lo"));
        }

        boolean closed() {
            return sure.isEmpty() && !conditional;
        }

        boolean fromAnywhere() {
            return anywhere;
        }

        String text() {
            if (sure.isEmpty()) {
                return "only if unmodelled matches allow it";
            }
            if (fromAnywhere()) {
                return "from any address";
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < sure.size(); i++) {
                parts.add(
                        sure.get(i).toCidrText() + (interfaces.get(i).equals("any") ? "" : " on " + interfaces.get(i)));
            }
            return "from " + String.join("; ", parts) + (conditional ? " (and more if unmodelled matches allow)" : "");
        }
    }

    static int lineOf(String text, String start) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(start)) {
                return i + 1;
            }
        }
        return 1;
    }
}
