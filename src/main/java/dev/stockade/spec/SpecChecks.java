package dev.stockade.spec;

import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.pki.PkiSpec;
import dev.stockade.report.Suggestions;
import dev.stockade.spec.HardeningSpec.UpdateStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that need the whole spec: uniqueness, references, conflicts and risky choices. */
final class SpecChecks {

    private final ClusterSpec spec;
    private final YamlNodes y;

    private SpecChecks(ClusterSpec spec, YamlNodes y) {
        this.spec = spec;
        this.y = y;
    }

    static void run(ClusterSpec spec, YamlNodes y) {
        SpecChecks c = new SpecChecks(spec, y);
        c.uniqueNodes();
        c.references();
        c.services();
        c.ssh();
        c.etcd();
        c.clusterWithoutPrivateAddresses();
        c.certificateNames();
        c.proxy();
    }

    /**
     * The proxy: routes to serve, its ports its own (no service opens them behind its back), its
     * backends' ports closed (no service opens them on the node a route sends requests to), and the
     * certificate name {@code proxy} free when the cluster CA issues its certificate.
     */
    private void proxy() {
        if (spec.proxy().isEmpty()) {
            return;
        }
        ProxySpec p = spec.proxy().get();
        if (p.routes().isEmpty()) {
            y.error(
                    p.span(),
                    "SPEC-VALUE",
                    "the proxy has no routes",
                    "add routes: [{host: app.example.com, to: 127.0.0.1:8080}]");
        }
        List<ServiceSpec> own = p.services();
        for (ServiceSpec s : spec.services()) {
            if (own.contains(s)) {
                continue;
            }
            for (ServiceSpec mine : own) {
                int port = mine.ports().get(0).from();
                boolean shared = spec.nodes().stream().anyMatch(n -> s.runsOn(n.name()) && p.runsOn(n.name()));
                if (shared
                        && s.ports().stream().anyMatch(r -> r.contains(port))
                        && s.protocols().contains(dev.stockade.net.Protocol.TCP)) {
                    y.error(
                            s.span(),
                            "SPEC-PORT-CONFLICT",
                            "service '" + s.name() + "' opens tcp port " + port + ", which the proxy serves",
                            "route the service through the proxy (proxy.routes), or run it on other nodes");
                }
            }
            for (ProxySpec.Route r : p.routes()) {
                for (NodeSpec n : spec.nodes()) {
                    boolean local = n.addresses().stream()
                            .anyMatch(a -> a.address().equals(r.upstream().address()));
                    if (local
                            && s.runsOn(n.name())
                            && s.ports().stream()
                                    .anyMatch(x -> x.contains(r.upstream().port()))) {
                        y.error(
                                s.span(),
                                "SPEC-PORT-CONFLICT",
                                "service '" + s.name() + "' opens port "
                                        + r.upstream().port() + " on " + n.name()
                                        + ", the backend of route " + r.host() + r.path() + ": the backend would face"
                                        + " the network beside the proxy",
                                "remove the service; the proxy reaches the backend without it");
                    }
                }
            }
        }
        if (p.tls() instanceof ProxySpec.Internal) {
            boolean taken = spec.nodes().stream().anyMatch(n -> n.name().equals(ProxySpec.CERT_NAME))
                    || spec.pki().clients().contains(ProxySpec.CERT_NAME);
            if (taken) {
                y.error(
                        p.span(),
                        "SPEC-NAME",
                        "the name 'proxy' is taken by a node or a pki client, but proxy.tls: internal issues the"
                                + " certificate 'proxy'",
                        "rename the node or client");
            }
        }
    }

    /**
     * A node without a private address that is not an etcd member (members are warned about in
     * {@link #etcd}) still matters wherever {@code cluster} is a source: the rules that name the
     * cluster cannot include the address it will talk from.
     */
    private void clusterWithoutPrivateAddresses() {
        List<String> uses = new java.util.ArrayList<>();
        if (spec.ssh().from().stream().anyMatch(SourceRef::isCluster)) {
            uses.add("admin.ssh.from");
        }
        if (spec.icmp().pingFrom().stream().anyMatch(SourceRef::isCluster)) {
            uses.add("icmp.ping");
        }
        spec.etcd()
                .filter(e -> e.clientsFrom().stream().anyMatch(SourceRef::isCluster))
                .ifPresent(e -> uses.add("etcd.clients_from"));
        for (ServiceSpec s : spec.services()) {
            if (s.from().stream().anyMatch(SourceRef::isCluster)) {
                uses.add("services." + s.name());
            }
        }
        if (uses.isEmpty()) {
            return;
        }
        for (NodeSpec n : spec.nodes()) {
            boolean member = spec.etcd().map(e -> e.isMember(n.name())).orElse(false);
            if (n.privateV4().isEmpty() && !member) {
                y.warning(
                        n.span(),
                        "SPEC-PROVISIONAL",
                        "node '" + n.name() + "' has no private address yet: 'cluster' in " + String.join(", ", uses)
                                + " cannot include it, so those rules are provisional",
                        "set nodes[].private once known and build again");
            }
        }
    }

    /**
     * Certificates are files named after the node or client ({@code NAME.pem}) beside the CA's
     * {@code ca.pem}: a node called {@code ca}, or a client named like a node, would overwrite
     * another certificate (the CA's, when {@code pki renew} re-issues it).
     */
    private void certificateNames() {
        for (NodeSpec n : spec.nodes()) {
            if (n.name().equals(SpecLoader.CA_NAME)) {
                y.error(
                        n.span(),
                        "SPEC-NAME",
                        "node name 'ca' is reserved for the cluster CA: the node's certificate files (ca.pem,"
                                + " ca-key.pem) would replace the CA's",
                        "rename the node; its host name can stay: hostname: ca");
            }
            if (n.name().equals(dev.stockade.pki.PkiStore.CRL)) {
                y.error(
                        n.span(),
                        "SPEC-NAME",
                        "node name 'crl' is reserved for the CA's revocation list: the node's certificate"
                                + " would be written to crl.pem",
                        "rename the node; its host name can stay: hostname: crl");
            }
            if (spec.pki().clients().contains(n.name())) {
                y.error(
                        n.span(),
                        "SPEC-DUPLICATE",
                        "node '" + n.name() + "' has the name of a pki client; their certificate files would collide",
                        "rename the node, or name the clients with pki.clients (default: "
                                + String.join(", ", PkiSpec.DEFAULT.clients()) + ")");
            }
        }
    }

    private void uniqueNodes() {
        Map<String, NodeSpec> names = new HashMap<>();
        Map<Prefix, NodeSpec> addresses = new HashMap<>();
        for (NodeSpec n : spec.nodes()) {
            NodeSpec first = names.putIfAbsent(n.name(), n);
            if (first != null) {
                y.error(
                        n.span(),
                        "SPEC-DUPLICATE-NODE",
                        "node name '" + n.name() + "' is used twice (first at line "
                                + first.span().line() + ")",
                        "give every node its own name");
            }
            for (Prefix a : n.addresses()) {
                NodeSpec owner = addresses.putIfAbsent(a, n);
                if (owner != null) {
                    y.error(
                            n.span(),
                            "SPEC-DUPLICATE-ADDRESS",
                            "address " + a + " of node '" + n.name() + "' is also used by node '" + owner.name()
                                    + "' (line " + owner.span().line() + ")",
                            "every address belongs to exactly one node");
                }
            }
        }
    }

    private void references() {
        List<SourceRef> all = new ArrayList<>(spec.ssh().from());
        spec.etcd().ifPresent(e -> all.addAll(e.clientsFrom()));
        spec.services().forEach(s -> all.addAll(s.from()));
        spec.proxy().ifPresent(p -> p.routes().forEach(r -> all.addAll(r.from())));
        all.addAll(spec.icmp().pingFrom());
        List<String> known = new ArrayList<>(spec.sources().keySet());
        known.add(SourceRef.ANY);
        known.add(SourceRef.CLUSTER);
        for (SourceRef r : all) {
            if (r.isGroup() && !spec.sources().containsKey(r.text())) {
                y.error(
                        r.span(),
                        "SPEC-REFERENCE",
                        "unknown source '" + r.text() + "'",
                        Suggestions.hint(
                                r.text(),
                                known,
                                "use any, cluster, an address/CIDR, or a group defined under 'sources:'"));
            }
        }
    }

    private void services() {
        Map<String, ServiceSpec> first = new HashMap<>();
        List<String> nodeNames = spec.nodes().stream().map(NodeSpec::name).toList();
        for (ServiceSpec s : spec.services()) {
            ServiceSpec earlier = first.putIfAbsent(s.name(), s);
            if (earlier != null) {
                y.error(
                        s.span(),
                        "SPEC-DUPLICATE-SERVICE",
                        "service name '" + s.name() + "' is used twice (first at line "
                                + earlier.span().line() + ")",
                        "give every service its own name");
            }
            for (String n : s.nodes()) {
                if (!nodeNames.contains(n)) {
                    y.error(
                            s.span(),
                            "SPEC-REFERENCE",
                            "service '" + s.name() + "' names unknown node '" + n + "'",
                            Suggestions.hint(n, nodeNames, "known nodes: " + String.join(", ", nodeNames)));
                }
            }
            s.on().ifPresent(role -> {
                if (spec.interfaces().name(role).isEmpty()) {
                    y.error(
                            s.span(),
                            "SPEC-MISSING",
                            "service '" + s.name() + "' is opened on the " + role.keyword()
                                    + " interface, but 'interfaces." + role.keyword() + "' is not set",
                            "add interfaces: {" + role.keyword() + ": eth0}");
                }
            });
            if (s.from().isEmpty()) {
                y.error(
                        s.span(),
                        "SPEC-VALUE",
                        "service '" + s.name() + "' is open to nobody ('from' is empty)",
                        "list who may connect, or 'from: any'");
            }
            reservedPorts(s);
        }
    }

    /** A service must not widen access to SSH or etcd behind the dedicated settings' back. */
    private void reservedPorts(ServiceSpec s) {
        Map<Integer, String> reserved = new HashMap<>();
        reserved.put(spec.ssh().port(), "admin.ssh");
        spec.etcd().ifPresent(e -> {
            reserved.put(e.clientPort(), "etcd.clients_from");
            reserved.put(e.peerPort(), "etcd (peers)");
        });
        for (PortRange r : s.ports()) {
            reserved.forEach((port, owner) -> {
                if (r.contains(port) && s.protocols().contains(dev.stockade.net.Protocol.TCP)) {
                    y.error(
                            s.span(),
                            "SPEC-PORT-CONFLICT",
                            "service '" + s.name() + "' opens tcp port " + port + ", which belongs to " + owner,
                            "control access to it through '" + owner + "' instead");
                }
            });
        }
    }

    private void ssh() {
        SshSpec ssh = spec.ssh();
        if (ssh.isOpen()
                && ssh.port() != 22
                && spec.target() == Target.FCOS
                && spec.hardening().selinux() == HardeningSpec.SelinuxMode.ENFORCING) {
            // FCOS runs sshd.service, which binds the port itself; its SELinux policy lets sshd bind
            // only ports labelled ssh_port_t, and FCOS ships no semanage to label another one
            y.error(
                    ssh.span(),
                    "SPEC-SSH-PORT",
                    "on Fedora CoreOS with SELinux enforcing, sshd cannot listen on port " + ssh.port()
                            + " (only ports labelled ssh_port_t, and FCOS has no semanage to add one):"
                            + " the node would boot without SSH",
                    "use admin.ssh.port 22 on fcos, or set hardening.selinux: permissive");
        }
        if (!ssh.isOpen()) {
            y.warning(
                    ssh.span(),
                    "SPEC-SSH-CLOSED",
                    "SSH is closed to everyone and sshd will be masked",
                    "intended for console-only clusters; add admin.ssh.from to allow operators in");
            return;
        }
        if (ssh.keys().isEmpty()) {
            y.warning(
                    ssh.span(),
                    "SPEC-SSH-NO-KEYS",
                    "SSH is open but no keys are given for the core user",
                    "add admin.ssh.keys, unless your provider injects keys");
        }
        for (SourceRef r : ssh.from()) {
            if (r.isAny() || r.prefix().filter(p -> p.length() == 0).isPresent()) {
                y.warning(
                        r.span(),
                        "SPEC-SSH-ANY",
                        "SSH is open to the whole internet",
                        "restrict admin.ssh.from to your operators' networks");
            }
        }
    }

    private void etcd() {
        if (spec.target() == Target.FCOS && spec.hardening().updates() == UpdateStrategy.ETCD_LOCK) {
            y.error(
                    spec.hardening().updatesSpan(),
                    "SPEC-VALUE",
                    "Fedora CoreOS updates through Zincati, which has no " + "etcd-lock strategy",
                    "use hardening.updates: reboot (or off) for target fcos");
        }
        if (spec.etcd().isEmpty()) {
            if (spec.hardening().updates() == UpdateStrategy.ETCD_LOCK) {
                y.error(
                        spec.hardening().updatesSpan(),
                        "SPEC-MISSING",
                        "hardening.updates is etcd-lock but there is no etcd section",
                        "add 'etcd: {}' or choose updates: reboot");
            }
            return;
        }
        EtcdSpec e = spec.etcd().get();
        if (e.clientPort() == e.peerPort()) {
            y.error(
                    e.span(),
                    "SPEC-PORT-CONFLICT",
                    "etcd client and peer ports are both " + e.clientPort(),
                    "use 2379 and 2380");
        }
        if (spec.interfaces().privateName().isEmpty()) {
            y.error(
                    e.span(),
                    "SPEC-MISSING",
                    "etcd peers talk only on the private interface, but 'interfaces.private' is not set",
                    "add interfaces: {private: eth1} (the NIC that carries the nodes' private addresses)");
        }
        List<String> nodeNames = spec.nodes().stream().map(NodeSpec::name).toList();
        for (String m : e.members()) {
            if (!nodeNames.contains(m)) {
                y.error(
                        e.span(),
                        "SPEC-REFERENCE",
                        "etcd.members names unknown node '" + m + "'",
                        Suggestions.hint(m, nodeNames, "known nodes: " + String.join(", ", nodeNames)));
            }
        }
        int members = spec.etcdMembers().size();
        if (e.members().isEmpty() && members > 7) {
            y.warning(
                    e.span(),
                    "SPEC-ETCD-LARGE",
                    "etcd runs on all " + members + " nodes; more than 7 members only slow " + "it down",
                    "choose 3 or 5 members with etcd.members; the other nodes are clients");
        } else if (members % 2 == 0) {
            y.warning(
                    e.span(),
                    "SPEC-ETCD-EVEN",
                    "etcd with " + members + " members tolerates no more failures than with " + (members - 1),
                    "use an odd number of nodes (3 or 5)");
        }
        if (spec.target() != Target.FCOS && e.image().isPresent()) {
            y.warning(
                    e.span(),
                    "SPEC-VALUE",
                    "etcd.image has no effect on " + spec.target().keyword()
                            + ": the nodes run the etcd their OS ships",
                    "remove etcd.image, or use target: fcos");
        }
        if (spec.target() == Target.FCOS && e.image().isEmpty()) {
            y.warning(
                    e.span(),
                    "SPEC-ETCD-IMAGE",
                    "the etcd members run " + EtcdSpec.FCOS_IMAGE + " by tag: the registry can point it at other"
                            + " content",
                    "pin it with etcd.image: NAME@sha256:DIGEST ('stockade images check --resolve' prints the"
                            + " digest of a tag)");
        }
        if (spec.ssh().port() == e.clientPort() || spec.ssh().port() == e.peerPort()) {
            y.error(
                    e.span(),
                    "SPEC-PORT-CONFLICT",
                    "etcd uses the SSH port " + spec.ssh().port(),
                    "");
        }
        for (NodeSpec n : spec.etcdMembers()) {
            if (n.privateV4().isEmpty()) {
                y.warning(
                        n.span(),
                        "SPEC-PROVISIONAL",
                        "node '" + n.name() + "' has no private address yet: its etcd "
                                + "settings and its peers' firewalls are provisional",
                        "set nodes[].private once known and build again");
            }
        }
        checkFamily(e);
    }

    private void checkFamily(EtcdSpec e) {
        for (SourceRef r : e.clientsFrom()) {
            // a group is checked through its members: an IPv6 address in it is as unreachable
            boolean v6 = r.prefix().filter(p -> p.family() == IpFamily.V6).isPresent()
                    || (r.isGroup()
                            && spec.sources().getOrDefault(r.text(), List.of()).stream()
                                    .anyMatch(m -> m.prefix()
                                            .filter(p -> p.family() == IpFamily.V6)
                                            .isPresent()));
            if (v6) {
                y.warning(
                        r.span(),
                        "SPEC-ETCD-V6",
                        "etcd listens on the private IPv4 address only; IPv6 client " + "source " + r.text()
                                + " cannot reach it",
                        "remove it, or reach etcd over IPv4");
            }
        }
    }
}
