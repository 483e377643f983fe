package dev.stockade.spec;

import dev.stockade.net.AddressFormatException;
import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import dev.stockade.net.Prefix;
import dev.stockade.net.Protocol;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.PkiSpec;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import dev.stockade.report.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Loads a cluster spec: reads the file, composes YAML nodes (keeping positions), maps them onto
 * {@link ClusterSpec} and runs {@link SpecChecks}. All problems are collected and thrown together.
 */
public final class SpecLoader {

    /** The PKI file stem of the cluster CA ({@code ca.pem}), which no node or client may take. */
    static final String CA_NAME = "ca";

    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.+-]{1,15}");
    private static final Pattern GROUP = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern SSH_KEY = Pattern.compile(
            "(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)"
                    + " [A-Za-z0-9+/]+={0,3}( .*)?");
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private static final List<String> TOP = List.of(
            "stockade",
            "cluster",
            "target",
            "firewall",
            "interfaces",
            "nodes",
            "sources",
            "admin",
            "etcd",
            "services",
            "icmp",
            "hardening",
            "pki",
            "proxy",
            "workloads");
    private static final List<String> NODE = List.of("name", "hostname", "private", "private_ipv6", "public");
    private static final List<String> SERVICE = List.of("name", "port", "ports", "protocol", "from", "nodes", "on");

    private static final java.util.Comparator<Diagnostic> BY_POSITION = java.util.Comparator.comparingInt(
                    (Diagnostic d) -> d.span().line())
            .thenComparingInt(d -> d.span().column());

    private final String file;
    private final YamlNodes y;
    /** Where the spec says {@code pki.deliver}, for the check against {@code admin.ssh}. */
    private Node deliverAt;

    private SpecLoader(String file) {
        this.file = file;
        this.y = new YamlNodes(file);
    }

    /** Reads and checks a spec file. The path is shown in messages as given. */
    public static LoadedSpec load(Path path) throws InputException {
        String file = path.toString();
        return parse(file, read(path));
    }

    /** Checks spec text that came from {@code file} (used in messages only). */
    public static LoadedSpec parse(String file, String text) throws InputException {
        SpecLoader loader = new SpecLoader(file);
        Node root = loader.compose(text);
        ClusterSpec spec = loader.top(root);
        if (spec != null) {
            SpecChecks.run(spec, loader.y);
        }
        List<Diagnostic> problems =
                loader.y.problems().stream().sorted(BY_POSITION).toList();
        if (spec == null || loader.y.hasErrors()) {
            // warnings are dropped here: they are often consequences of the errors (a rejected address looks missing)
            throw new InputException(problems.stream()
                    .filter(d -> d.severity() == Severity.ERROR)
                    .toList());
        }
        return new LoadedSpec(spec, problems);
    }

    static String read(Path path) throws InputException {
        if (java.nio.file.Files.isDirectory(path)) {
            throw new InputException(Diagnostic.error(
                    "SPEC-READ",
                    SourceSpan.ofFile(path.toString()),
                    "is a directory, not a spec file",
                    "name the YAML file, e.g. " + path.resolve("cluster.yaml")));
        }
        return dev.stockade.io.TextFiles.read(path, "SPEC", MAX_BYTES);
    }

    private Node compose(String text) throws InputException {
        if (text.isBlank()
                || text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
            throw new InputException(Diagnostic.error(
                    "SPEC-EMPTY",
                    new SourceSpan(file, 1, 1),
                    "the spec is empty",
                    "start from examples/demo.yaml; a spec needs at least "
                            + "'stockade: 1', 'cluster:', 'target:' and 'nodes:'"));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(YamlEventChecks.MAX_COLLECTION_ALIASES + 1);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(YamlEventChecks.MAX_DEPTH + 1);
        options.setCodePointLimit((int) MAX_BYTES); // the file size limit comes first
        Node root;
        try {
            root = YamlEventChecks.compose(file, text, options);
        } catch (YamlEventChecks.Limit e) {
            throw new InputException(e.diagnostic());
        } catch (MarkedYAMLException e) {
            throw new InputException(syntaxError(e));
        } catch (ReaderException e) {
            throw new InputException(Diagnostic.error(
                    "SPEC-SYNTAX",
                    at(text, e.getCodePoint()),
                    String.format(Locale.ROOT, "the character U+%04X is not allowed in YAML", e.getCodePoint()),
                    "remove it; is this a binary file?"));
        } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
            // only SnakeYAML runs in this block: what it throws is its verdict on the text, without a position
            throw new InputException(Diagnostic.error(
                    "SPEC-SYNTAX",
                    new SourceSpan(file, 1, 1),
                    Diagnostic.oneLine("YAML error: " + e.getMessage()),
                    "check the YAML syntax; a spec needs only plain mappings, lists and values"));
        }
        if (root == null) {
            // a stream with no document: only a byte order mark, line breaks such as U+0085, or directives
            throw new InputException(Diagnostic.error(
                    "SPEC-EMPTY",
                    new SourceSpan(file, 1, 1),
                    "the spec holds no YAML document",
                    "start from examples/demo.yaml; a spec needs at least "
                            + "'stockade: 1', 'cluster:', 'target:' and 'nodes:'"));
        }
        return root;
    }

    private Diagnostic syntaxError(MarkedYAMLException e) {
        Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        SourceSpan at = m == null ? SourceSpan.ofFile(file) : new SourceSpan(file, m.getLine() + 1, m.getColumn() + 1);
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
        return Diagnostic.error(
                "SPEC-SYNTAX",
                at,
                Diagnostic.oneLine("YAML syntax error: " + problem + context),
                "check indentation (spaces, not tabs), colons and brackets near this point");
    }

    /** Where the first {@code codePoint} is in {@code text} (line breaks: '\n'). */
    private SourceSpan at(String text, int codePoint) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (c == codePoint) {
                return new SourceSpan(file, line, col);
            }
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SourceSpan(file, 1, 1);
    }

    private ClusterSpec top(Node root) {
        Map<String, Node> m = y.mapping(root, "the spec", TOP, List.of("stockade", "cluster", "target", "nodes"));
        if (m.isEmpty()) {
            return null;
        }
        Optional.ofNullable(m.get("stockade"))
                .flatMap(n -> y.text(n, "'stockade'"))
                .ifPresent(v -> {
                    if (!v.equals("1")) {
                        y.error(
                                m.get("stockade"),
                                "SPEC-VERSION",
                                "unsupported spec version '" + v + "'",
                                "this Stockade reads 'stockade: 1'");
                    }
                });
        String cluster = Optional.ofNullable(m.get("cluster"))
                .flatMap(n -> name(n, "cluster name"))
                .orElse("cluster");
        Target target =
                Optional.ofNullable(m.get("target")).flatMap(this::target).orElse(Target.FLATCAR);
        FirewallBackend firewall = Optional.ofNullable(m.get("firewall"))
                .flatMap(n -> firewall(n, target))
                .orElse(FirewallBackend.IPTABLES);
        Interfaces interfaces = m.containsKey("interfaces")
                ? interfaces(m.get("interfaces"))
                : new Interfaces(Optional.empty(), Optional.empty());
        List<NodeSpec> nodes = m.containsKey("nodes") ? nodes(m.get("nodes")) : List.of();
        Map<String, List<SourceRef>> sources = m.containsKey("sources") ? sources(m.get("sources")) : Map.of();
        SshSpec ssh =
                m.containsKey("admin") ? admin(m.get("admin")) : new SshSpec(List.of(), List.of(), 22, y.span(root));
        Optional<EtcdSpec> etcd = Optional.ofNullable(m.get("etcd")).map(this::etcd);
        List<ServiceSpec> services = new ArrayList<>();
        if (m.containsKey("services")) {
            for (Node s : y.list(m.get("services"), "services", false)) {
                service(s).ifPresent(services::add);
            }
        }
        IcmpSpec icmp = m.containsKey("icmp") ? icmp(m.get("icmp")) : new IcmpSpec(List.of(anyRef(root)));
        HardeningSpec hardening =
                m.containsKey("hardening") ? hardening(m.get("hardening"), target) : defaultHardening();
        PkiSpec pki = m.containsKey("pki") ? pki(m.get("pki")) : PkiSpec.DEFAULT;
        Optional<ProxySpec> proxy = Optional.ofNullable(m.get("proxy")).flatMap(this::proxy);
        proxy.ifPresent(p -> services.addAll(p.services()));
        if (pki.deliver() == PkiSpec.Delivery.SSH && etcd.isPresent() && !ssh.isOpen()) {
            y.error(
                    deliverAt,
                    "SPEC-VALUE",
                    "pki.deliver: ssh needs SSH to the nodes, but admin.ssh leaves sshd masked",
                    "open SSH to the operators (admin.ssh.from and keys), or deliver the TLS files in the user data"
                            + " (pki.deliver: userdata)");
        }
        List<WorkloadSpec> workloads = m.containsKey("workloads") ? workloads(m.get("workloads"), nodes) : List.of();
        return new ClusterSpec(
                file,
                cluster,
                target,
                firewall,
                interfaces,
                nodes,
                sources,
                ssh,
                etcd,
                services,
                icmp,
                hardening,
                pki,
                proxy,
                workloads);
    }

    private Optional<String> name(Node n, String what) {
        return y.text(n, what).filter(v -> {
            if (NAME.matcher(v).matches()) {
                return true;
            }
            y.error(
                    n,
                    "SPEC-NAME",
                    what + " '" + v + "' is not a valid name",
                    "use lower-case letters, digits and '-' (a DNS label, at most 63 characters)");
            return false;
        });
    }

    private Optional<Target> target(Node n) {
        return y.text(n, "target").flatMap(v -> {
            Optional<Target> t = Target.parse(v);
            if (t.isEmpty()) {
                List<String> all = java.util.Arrays.stream(Target.values())
                        .map(Target::keyword)
                        .toList();
                y.error(n, "SPEC-VALUE", "unknown target '" + v + "'", Suggestions.hint(v, all, "use one of " + all));
            }
            return t;
        });
    }

    private Optional<FirewallBackend> firewall(Node n, Target target) {
        return y.text(n, "firewall").flatMap(v -> {
            Optional<FirewallBackend> b = FirewallBackend.parse(v);
            if (b.isEmpty()) {
                List<String> all = java.util.Arrays.stream(FirewallBackend.values())
                        .map(FirewallBackend::keyword)
                        .toList();
                y.error(n, "SPEC-VALUE", "unknown firewall '" + v + "'", Suggestions.hint(v, all, "use one of " + all));
            } else if (b.get() == FirewallBackend.NFTABLES && target == Target.CONTAINER_LINUX) {
                y.error(
                        n,
                        "SPEC-VALUE",
                        "firewall: nftables needs nft on the nodes, which CoreOS Container Linux does not ship",
                        "use 'firewall: iptables' for container-linux, or target flatcar or fcos");
                return Optional.empty();
            }
            return b;
        });
    }

    private Interfaces interfaces(Node n) {
        Map<String, Node> m = y.mapping(n, "interfaces", List.of("public", "private"), List.of());
        return new Interfaces(iface(m.get("public")), iface(m.get("private")));
    }

    private Optional<String> iface(Node n) {
        if (n == null) {
            return Optional.empty();
        }
        return y.text(n, "interface name").filter(v -> {
            if (IFACE.matcher(v).matches()) {
                return true;
            }
            y.error(
                    n,
                    "SPEC-VALUE",
                    "'" + v + "' is not an interface name",
                    "e.g. eth0, ens3 or bond0 (at most 15 characters)");
            return false;
        });
    }

    private List<NodeSpec> nodes(Node n) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<Node> items = y.list(n, "nodes", false);
        if (items.isEmpty() && !y.hasErrors()) {
            y.error(n, "SPEC-MISSING", "the cluster has no nodes", "list at least one node under 'nodes:'");
        }
        for (Node item : items) {
            Map<String, Node> m = y.mapping(item, "a node", NODE, List.of("name"));
            Optional<String> name = Optional.ofNullable(m.get("name")).flatMap(v -> name(v, "node name"));
            // the rest is checked even when the name is invalid, so one run reports every problem
            Optional<String> givenHostname =
                    Optional.ofNullable(m.get("hostname")).flatMap(v -> hostname(v));
            Optional<Prefix> priv = Optional.ofNullable(m.get("private")).flatMap(v -> host(v, "private", IpFamily.V4));
            Optional<Prefix> priv6 =
                    Optional.ofNullable(m.get("private_ipv6")).flatMap(v -> host(v, "private_ipv6", IpFamily.V6));
            List<Prefix> pub = new ArrayList<>();
            if (m.containsKey("public")) {
                for (Node a : y.list(m.get("public"), "public", true)) {
                    host(a, "public", null).ifPresent(pub::add);
                }
            }
            if (name.isEmpty()) {
                continue;
            }
            nodes.add(new NodeSpec(name.get(), givenHostname.orElse(name.get()), priv, priv6, pub, y.span(item)));
        }
        return nodes;
    }

    private Optional<String> hostname(Node n) {
        return y.text(n, "hostname").filter(v -> {
            boolean ok = v.length() <= 253
                    && java.util.Arrays.stream(v.split("\\.", -1))
                            .allMatch(l -> NAME.matcher(l).matches());
            if (!ok) {
                y.error(
                        n,
                        "SPEC-NAME",
                        "'" + v + "' is not a valid hostname",
                        "use dot-separated DNS labels (a-z, 0-9, '-')");
            }
            return ok;
        });
    }

    /** A single address of the given family (null: either). */
    private Optional<Prefix> host(Node n, String field, IpFamily family) {
        return y.text(n, field).flatMap(v -> {
            if (v.contains("/")) {
                y.error(
                        n,
                        "SPEC-ADDRESS",
                        "'" + field + "' must be a single address, not '" + v + "'",
                        "write the node's own address without a /length, e.g. " + v.substring(0, v.indexOf('/')));
                return Optional.empty();
            }
            Optional<Prefix> p = prefix(n, v);
            if (p.isEmpty()) {
                return p;
            }
            if (family != null && p.get().family() != family) {
                y.error(
                        n,
                        "SPEC-FAMILY",
                        "'" + field + "' must be an " + family + " address, but '" + v + "' is "
                                + p.get().family(),
                        family == IpFamily.V4
                                ? "put IPv6 addresses in 'private_ipv6' (or 'public')"
                                : "put IPv4 addresses in 'private'");
                return Optional.empty();
            }
            return p;
        });
    }

    private Optional<Prefix> prefix(Node n, String v) {
        try {
            return Optional.of(Prefix.parse(v));
        } catch (AddressFormatException e) {
            y.error(
                    n,
                    "SPEC-ADDRESS",
                    e.getMessage(),
                    "write an address like 192.0.2.10 or 2001:db8::10, " + "or a network like 192.0.2.0/24");
            return Optional.empty();
        }
    }

    private Map<String, List<SourceRef>> sources(Node n) {
        Map<String, List<SourceRef>> groups = new LinkedHashMap<>();
        if (!(n instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
            y.mapping(n, "sources", List.of(), List.of());
            return groups;
        }
        for (org.yaml.snakeyaml.nodes.NodeTuple t : ((org.yaml.snakeyaml.nodes.MappingNode) n).getValue()) {
            Optional<String> key = y.text(t.getKeyNode(), "source group name");
            if (key.isEmpty()) {
                continue;
            }
            String name = key.get();
            if (!GROUP.matcher(name).matches() || name.equals(SourceRef.ANY) || name.equals(SourceRef.CLUSTER)) {
                y.error(
                        t.getKeyNode(),
                        "SPEC-NAME",
                        "'" + name + "' cannot name a source group",
                        "use lower-case letters, digits, '-' and '_'; 'any' and 'cluster' are reserved");
                continue;
            }
            if (groups.containsKey(name)) {
                y.error(
                        t.getKeyNode(),
                        "SPEC-DUPLICATE-KEY",
                        "source group '" + name + "' is defined twice",
                        "keep one");
                continue;
            }
            List<SourceRef> refs = new ArrayList<>();
            for (Node item : y.list(t.getValueNode(), "source group '" + name + "'", true)) {
                y.text(item, "address")
                        .ifPresent(v -> prefix(item, v)
                                .ifPresent(p -> refs.add(new SourceRef(v, Optional.of(p), y.span(item)))));
            }
            groups.put(name, refs);
        }
        return groups;
    }

    /** A {@code from:} value: {@code any}, or a list of any/cluster/group names/addresses. */
    private List<SourceRef> from(Node n, String what) {
        List<SourceRef> refs = new ArrayList<>();
        for (Node item : y.list(n, what, true)) {
            Optional<String> v = y.text(item, what + " entry");
            if (v.isEmpty()) {
                continue;
            }
            String text = v.get();
            boolean looksLikeAddress = text.indexOf(':') >= 0 || (!text.isEmpty() && Character.isDigit(text.charAt(0)));
            if (looksLikeAddress) {
                prefix(item, text).ifPresent(p -> refs.add(new SourceRef(text, Optional.of(p), y.span(item))));
            } else {
                refs.add(new SourceRef(text, Optional.empty(), y.span(item)));
            }
        }
        return refs;
    }

    private SshSpec admin(Node n) {
        Map<String, Node> m = y.mapping(n, "admin", List.of("ssh"), List.of());
        Node ssh = m.get("ssh");
        if (ssh == null) {
            return new SshSpec(List.of(), List.of(), 22, y.span(n));
        }
        Map<String, Node> s = y.mapping(ssh, "admin.ssh", List.of("from", "keys", "port"), List.of());
        List<SourceRef> from = s.containsKey("from") ? from(s.get("from"), "admin.ssh.from") : List.of();
        List<String> keys = new ArrayList<>();
        if (s.containsKey("keys")) {
            for (Node k : y.list(s.get("keys"), "admin.ssh.keys", true)) {
                y.text(k, "SSH key").ifPresent(v -> {
                    boolean shaped = SSH_KEY.matcher(v.strip()).matches();
                    Optional<String> problem = shaped ? SshKeys.problem(v) : Optional.empty();
                    if (problem.isPresent()) {
                        y.error(
                                k,
                                "SPEC-SSH-KEY",
                                problem.get(),
                                "paste the whole line of the .pub file (ssh-keygen -y -f KEY prints it)");
                    } else if (shaped) {
                        keys.add(v.strip());
                    } else {
                        y.error(
                                k,
                                "SPEC-SSH-KEY",
                                "not an OpenSSH public key",
                                "paste one line of a .pub file, " + "e.g. 'ssh-ed25519 AAAAC3Nz... ops@example'");
                    }
                });
            }
        }
        int port = Optional.ofNullable(s.get("port"))
                .flatMap(p -> port(p, "admin.ssh.port"))
                .orElse(22);
        return new SshSpec(from, keys, port, y.span(ssh));
    }

    private Optional<Integer> port(Node n, String what) {
        return y.text(n, what).flatMap(v -> {
            try {
                PortRange r = PortRange.parse(v);
                if (r.isSingle()) {
                    return Optional.of(r.from());
                }
                y.error(n, "SPEC-PORT", what + " must be one port, not a range", "");
            } catch (AddressFormatException e) {
                y.error(n, "SPEC-PORT", e.getMessage(), "use a port between 1 and 65535");
            }
            return Optional.empty();
        });
    }

    private EtcdSpec etcd(Node n) {
        Map<String, Node> m = y.mapping(
                n, "etcd", List.of("tls", "clients_from", "client_port", "peer_port", "members", "image"), List.of());
        Optional.ofNullable(m.get("tls"))
                .flatMap(t -> y.bool(t, "etcd.tls"))
                .filter(t -> !t)
                .ifPresent(t -> y.error(
                        m.get("tls"),
                        "SPEC-ETCD-PLAINTEXT",
                        "etcd without TLS is not supported",
                        "remove 'tls: false': Stockade always runs etcd with mutual TLS for peers and clients"));
        List<SourceRef> clients = m.containsKey("clients_from")
                ? from(m.get("clients_from"), "etcd.clients_from")
                : List.of(new SourceRef(SourceRef.CLUSTER, Optional.empty(), y.span(n)));
        int client = Optional.ofNullable(m.get("client_port"))
                .flatMap(p -> port(p, "etcd.client_port"))
                .orElse(EtcdSpec.DEFAULT_CLIENT_PORT);
        int peer = Optional.ofNullable(m.get("peer_port"))
                .flatMap(p -> port(p, "etcd.peer_port"))
                .orElse(EtcdSpec.DEFAULT_PEER_PORT);
        List<String> members = new ArrayList<>();
        if (m.containsKey("members")) {
            for (Node x : y.list(m.get("members"), "etcd.members", false)) {
                y.text(x, "member").ifPresent(v -> {
                    if (members.contains(v)) {
                        y.error(
                                x,
                                "SPEC-DUPLICATE",
                                "'" + v + "' is listed twice in etcd.members",
                                "remove the repeated name");
                    } else {
                        members.add(v);
                    }
                });
            }
            if (members.isEmpty()) {
                y.error(
                        m.get("members"),
                        "SPEC-VALUE",
                        "etcd.members is empty",
                        "name the nodes that run etcd, or remove the key");
            }
        }
        Optional<String> image = Optional.ofNullable(m.get("image")).flatMap(v -> pinnedImage(v, "etcd.image"));
        return new EtcdSpec(clients, client, peer, members, image, y.span(n));
    }

    private Optional<ServiceSpec> service(Node n) {
        Map<String, Node> m = y.mapping(n, "a service", SERVICE, List.of("name", "from"));
        Optional<String> name = Optional.ofNullable(m.get("name")).flatMap(v -> name(v, "service name"));
        List<PortRange> ports = new ArrayList<>();
        if (m.containsKey("port") && m.containsKey("ports")) {
            y.error(
                    m.get("ports"),
                    "SPEC-VALUE",
                    "a service has 'port' or 'ports', not both",
                    "merge them into 'ports: [...]'");
        } else if (!m.containsKey("port")
                && !m.containsKey("ports")
                && n instanceof org.yaml.snakeyaml.nodes.MappingNode) {
            y.error(
                    n,
                    "SPEC-NO-PORTS",
                    "service '" + name.orElse("?") + "' has no ports",
                    "add 'port: 443' or 'ports: [3000, 8000-8010]'");
        }
        Node portsNode = m.containsKey("port") ? m.get("port") : m.get("ports");
        if (portsNode != null) {
            for (Node p : y.list(portsNode, "ports", true)) {
                y.text(p, "port").ifPresent(v -> {
                    try {
                        ports.add(PortRange.parse(v));
                    } catch (AddressFormatException e) {
                        y.error(p, "SPEC-PORT", e.getMessage(), "use ports between 1 and 65535, ranges as 8000-8010");
                    }
                });
            }
        }
        Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
        if (m.containsKey("protocol")) {
            for (Node p : y.list(m.get("protocol"), "protocol", true)) {
                y.text(p, "protocol")
                        .ifPresent(v -> Protocol.parse(v)
                                .ifPresentOrElse(
                                        protocols::add,
                                        () -> y.error(
                                                p,
                                                "SPEC-VALUE",
                                                "unknown protocol '" + v + "'",
                                                "use tcp, udp or [tcp, udp]")));
            }
        } else {
            protocols.add(Protocol.TCP);
        }
        List<SourceRef> from = m.containsKey("from") ? from(m.get("from"), "from") : List.of();
        List<String> onNodes = new ArrayList<>();
        if (m.containsKey("nodes")) {
            for (Node x : y.list(m.get("nodes"), "nodes", true)) {
                y.text(x, "node name").ifPresent(onNodes::add);
            }
        }
        Optional<InterfaceRole> on = Optional.ofNullable(m.get("on")).flatMap(this::role);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceSpec(name.get(), protocols, ports, from, onNodes, on, y.span(n)));
    }

    private Optional<InterfaceRole> role(Node n) {
        return y.text(n, "on").flatMap(v -> {
            for (InterfaceRole r : InterfaceRole.values()) {
                if (r.keyword().equals(v)) {
                    return Optional.of(r);
                }
            }
            if (!v.equals("any")) {
                y.error(n, "SPEC-VALUE", "'on' must be public, private or any, not '" + v + "'", "");
            }
            return Optional.empty();
        });
    }

    private IcmpSpec icmp(Node n) {
        if (n instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            Optional<String> v = y.text(n, "icmp");
            if (v.isPresent() && v.get().equals("strict")) {
                return new IcmpSpec(List.of());
            }
            if (v.isPresent() && !v.get().equals("standard")) {
                y.error(
                        n,
                        "SPEC-VALUE",
                        "icmp must be 'standard', 'strict' or {ping: ...}, not '" + v.get() + "'",
                        "standard: errors, neighbour discovery and ping; strict: the same without ping");
            }
            return new IcmpSpec(List.of(anyRef(n)));
        }
        Map<String, Node> m = y.mapping(n, "icmp", List.of("ping"), List.of());
        Node ping = m.get("ping");
        if (ping == null) {
            return new IcmpSpec(List.of(anyRef(n)));
        }
        if (ping instanceof org.yaml.snakeyaml.nodes.ScalarNode
                && "none".equals(((org.yaml.snakeyaml.nodes.ScalarNode) ping).getValue())) {
            return new IcmpSpec(List.of());
        }
        return new IcmpSpec(from(ping, "icmp.ping"));
    }

    private SourceRef anyRef(Node at) {
        return new SourceRef(SourceRef.ANY, Optional.empty(), y.span(at));
    }

    private static HardeningSpec defaultHardening() {
        return new HardeningSpec(
                List.of(), HardeningSpec.SelinuxMode.ENFORCING, false, HardeningSpec.UpdateStrategy.UNCHANGED);
    }

    private HardeningSpec hardening(Node n, Target target) {
        Map<String, Node> m =
                y.mapping(n, "hardening", List.of("core_groups", "selinux", "docker_socket", "updates"), List.of());
        List<String> groups = new ArrayList<>();
        if (m.containsKey("core_groups")) {
            for (Node g : y.list(m.get("core_groups"), "core_groups", true)) {
                y.text(g, "group").ifPresent(v -> {
                    if (GROUP.matcher(v).matches() && !groups.contains(v)) {
                        groups.add(v);
                    } else if (!groups.contains(v)) {
                        y.error(g, "SPEC-NAME", "'" + v + "' is not a group name", "e.g. wheel, docker, rkt, sudo");
                    }
                });
            }
        }
        HardeningSpec.SelinuxMode selinux = choice(
                        m.get("selinux"),
                        "selinux",
                        HardeningSpec.SelinuxMode.values(),
                        HardeningSpec.SelinuxMode::keyword)
                .orElse(HardeningSpec.SelinuxMode.ENFORCING);
        boolean rootOnly = Optional.ofNullable(m.get("docker_socket"))
                .flatMap(d -> y.text(d, "docker_socket"))
                .map(v -> {
                    if (!v.equals("root-only") && !v.equals("unchanged")) {
                        y.error(
                                m.get("docker_socket"),
                                "SPEC-VALUE",
                                "docker_socket must be root-only or unchanged, not '" + v + "'",
                                "");
                    }
                    return v.equals("root-only");
                })
                .orElse(false);
        HardeningSpec.UpdateStrategy updates = choice(
                        m.get("updates"),
                        "updates",
                        HardeningSpec.UpdateStrategy.values(),
                        HardeningSpec.UpdateStrategy::keyword)
                .orElse(HardeningSpec.UpdateStrategy.UNCHANGED);
        SourceSpan updatesAt = m.containsKey("updates") ? y.span(m.get("updates")) : y.span(n);
        return new HardeningSpec(groups, selinux, rootOnly, updates, updatesAt);
    }

    private PkiSpec pki(Node n) {
        Map<String, Node> m = y.mapping(
                n, "pki", List.of("key", "ca_days", "cert_days", "crl_days", "clients", "deliver"), List.of());
        PkiSpec d = PkiSpec.DEFAULT;
        KeySpec key = choice(m.get("key"), "pki.key", KeySpec.values(), KeySpec::keyword)
                .orElse(d.key());
        int caDays = Optional.ofNullable(m.get("ca_days"))
                .flatMap(v -> days(v, "pki.ca_days"))
                .orElse(d.caDays());
        int certDays = Optional.ofNullable(m.get("cert_days"))
                .flatMap(v -> days(v, "pki.cert_days"))
                .orElse(d.certDays());
        int crlDays = Optional.ofNullable(m.get("crl_days"))
                .flatMap(v -> days(v, "pki.crl_days"))
                .orElse(d.crlDays());
        if (crlDays > PkiSpec.MAX_CRL_DAYS) {
            y.error(
                    m.get("crl_days"),
                    "SPEC-VALUE",
                    "pki.crl_days must be at most " + PkiSpec.MAX_CRL_DAYS + ", not " + crlDays,
                    "a CRL is signed again by 'stockade pki crl' before it expires; a short validity makes a"
                            + " stale list fail closed sooner");
        }
        List<String> clients = new ArrayList<>();
        if (m.containsKey("clients")) {
            for (Node c : y.list(m.get("clients"), "pki.clients", true)) {
                name(c, "client name").ifPresent(v -> {
                    if (clients.contains(v)) {
                        y.error(c, "SPEC-DUPLICATE", "client '" + v + "' is listed twice", "remove the repeated name");
                    } else if (v.equals(CA_NAME)) {
                        y.error(
                                c,
                                "SPEC-NAME",
                                "client name 'ca' is reserved for the cluster CA: the client's certificate files"
                                        + " (ca.pem, ca-key.pem) would replace the CA's",
                                "choose another client name");
                    } else if (v.equals(dev.stockade.pki.PkiStore.CRL)) {
                        y.error(
                                c,
                                "SPEC-NAME",
                                "client name 'crl' is reserved for the CA's revocation list: the client's"
                                        + " certificate would be written to crl.pem",
                                "choose another client name");
                    } else {
                        clients.add(v);
                    }
                });
            }
        } else {
            clients.addAll(d.clients());
        }
        if (certDays > caDays) {
            y.error(
                    m.getOrDefault("cert_days", n),
                    "SPEC-VALUE",
                    "certificates (" + certDays + " days) would outlive the CA (" + caDays + " days)",
                    "make pki.cert_days at most pki.ca_days");
        }
        if (certDays <= RENEWAL_WINDOW_DAYS && m.containsKey("cert_days")) {
            y.warning(
                    y.span(m.get("cert_days")),
                    "SPEC-VALUE",
                    "certificates of " + certDays + " days are always inside the " + RENEWAL_WINDOW_DAYS
                            + "-day renewal window: 'pki verify' warns about them from the day they are issued",
                    "make pki.cert_days longer than " + RENEWAL_WINDOW_DAYS + ", or pass a shorter --warn-days");
        }
        deliverAt = m.get("deliver");
        PkiSpec.Delivery deliver = choice(
                        m.get("deliver"), "pki.deliver", PkiSpec.Delivery.values(), PkiSpec.Delivery::keyword)
                .orElse(d.deliver());
        return new PkiSpec(key, caDays, certDays, clients, crlDays, deliver);
    }

    private static final java.util.regex.Pattern DIGEST_PINNED =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}");
    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Path prefixes NGINX takes literally: no spaces, quotes, braces, semicolons or variables. */
    private static final java.util.regex.Pattern ROUTE_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._~/%+-]*");

    private static final List<Prefix> PRIVATE = List.of(
            Prefix.parse("127.0.0.0/8"),
            Prefix.parse("10.0.0.0/8"),
            Prefix.parse("172.16.0.0/12"),
            Prefix.parse("192.168.0.0/16"),
            Prefix.parse("::1/128"),
            Prefix.parse("fc00::/7"));

    private static final java.util.regex.Pattern CAPABILITY = java.util.regex.Pattern.compile("[A-Z][A-Z_]{1,30}");
    private static final java.util.regex.Pattern ENV_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private List<WorkloadSpec> workloads(Node n, List<NodeSpec> nodes) {
        List<WorkloadSpec> out = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Node w : y.list(n, "workloads", false)) {
            Map<String, Node> m = y.mapping(
                    w,
                    "a workload",
                    List.of("name", "image", "nodes", "args", "env", "capabilities"),
                    List.of("name", "image"));
            Optional<String> name = Optional.ofNullable(m.get("name")).flatMap(v -> name(v, "workload name"));
            name.ifPresent(v -> {
                Integer first = seen.putIfAbsent(v, y.span(w).line());
                if (first != null) {
                    y.error(
                            m.get("name"),
                            "SPEC-DUPLICATE",
                            "workload '" + v + "' is defined twice (first at line " + first + ")",
                            "give each workload its own name");
                }
            });
            Optional<String> image = Optional.ofNullable(m.get("image")).flatMap(v -> pinnedImage(v, "workload image"));
            List<String> on = new ArrayList<>();
            if (m.containsKey("nodes")) {
                for (Node x : y.list(m.get("nodes"), "workload nodes", true)) {
                    y.text(x, "node name").ifPresent(v -> {
                        if (nodes.stream().noneMatch(ns -> ns.name().equals(v))) {
                            y.error(
                                    x,
                                    "SPEC-REF",
                                    "workload node '" + v + "' is not a node of the spec",
                                    Suggestions.hint(
                                            v,
                                            nodes.stream().map(NodeSpec::name).toList(),
                                            "name one of the spec's nodes"));
                        } else {
                            on.add(v);
                        }
                    });
                }
            }
            List<String> args = new ArrayList<>();
            if (m.containsKey("args")) {
                for (Node x : y.list(m.get("args"), "workload args", false)) {
                    y.text(x, "an argument")
                            .filter(v -> unitSafe(x, v, "an argument"))
                            .ifPresent(args::add);
                }
            }
            Map<String, String> env = new java.util.LinkedHashMap<>();
            if (m.get("env") instanceof org.yaml.snakeyaml.nodes.MappingNode em) {
                for (org.yaml.snakeyaml.nodes.NodeTuple t : em.getValue()) {
                    Optional<String> k = y.text(t.getKeyNode(), "an environment variable name");
                    Optional<String> v = y.text(t.getValueNode(), "an environment value");
                    if (k.isPresent() && !ENV_NAME.matcher(k.get()).matches()) {
                        y.error(
                                t.getKeyNode(),
                                "SPEC-VALUE",
                                "'" + k.get() + "' is not an environment variable name",
                                "use letters, digits and '_', not starting with a digit");
                    } else if (k.isPresent() && v.isPresent() && unitSafe(t.getValueNode(), v.get(), "a value")) {
                        env.put(k.get(), v.get());
                    }
                }
            } else if (m.containsKey("env")) {
                y.error(
                        m.get("env"),
                        "SPEC-TYPE",
                        "workload env must be a mapping of NAME: value",
                        "write env: {NAME: value}");
            }
            List<String> caps = new ArrayList<>();
            if (m.containsKey("capabilities")) {
                for (Node x : y.list(m.get("capabilities"), "workload capabilities", true)) {
                    y.text(x, "a capability").ifPresent(v -> {
                        String c = v.toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "");
                        if (!CAPABILITY.matcher(c).matches() || c.equals("ALL")) {
                            y.error(
                                    x,
                                    "SPEC-VALUE",
                                    "'" + v + "' is not a capability to keep",
                                    "name one capability, e.g. NET_BIND_SERVICE (all others are dropped)");
                        } else {
                            caps.add(c);
                        }
                    });
                }
            }
            if (name.isPresent() && image.isPresent()) {
                out.add(new WorkloadSpec(name.get(), image.get(), on, args, env, caps, y.span(w)));
            }
        }
        return out;
    }

    /**
     * Text that goes into a unit's command line: systemd would expand $ and %, and a line break or
     * control character would end or corrupt the line, so they are refused rather than escaped.
     */
    private boolean unitSafe(Node at, String v, String what) {
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '$' || c == '%' || c == '\\')) {
            y.error(
                    at,
                    "SPEC-VALUE",
                    what + " '" + v.replaceAll("\\p{Cntrl}", "?") + "' contains '$', '%', '\\' or a control character",
                    "systemd would expand or cut it in the unit: pass it another way (a file the container reads)");
            return false;
        }
        return true;
    }

    private Optional<String> pinnedImage(Node v, String what) {
        Optional<String> image = y.text(v, what);
        image.filter(i -> !DIGEST_PINNED.matcher(i).matches())
                .ifPresent(i -> y.error(
                        v,
                        "SPEC-IMAGE",
                        what + " '" + i + "' is not pinned by digest: a tag can point at other content tomorrow",
                        "write it as NAME@sha256:DIGEST ('stockade images check --resolve' prints the digest of a"
                                + " tag)"));
        return image.filter(i -> DIGEST_PINNED.matcher(i).matches());
    }

    private Optional<ProxySpec> proxy(Node n) {
        Map<String, Node> m = y.mapping(
                n, "proxy", List.of("image", "tls", "from", "nodes", "routes", "limits"), List.of("image", "routes"));
        Optional<String> image = Optional.ofNullable(m.get("image")).flatMap(v -> pinnedImage(v, "proxy.image"));
        ProxySpec.Tls tls = new ProxySpec.Off();
        Node tlsNode = m.get("tls");
        if (tlsNode instanceof org.yaml.snakeyaml.nodes.MappingNode) {
            Map<String, Node> t = y.mapping(tlsNode, "proxy.tls", List.of("cert", "key"), List.of("cert", "key"));
            Optional<String> cert = Optional.ofNullable(t.get("cert")).flatMap(v -> absolutePath(v, "proxy.tls.cert"));
            Optional<String> key = Optional.ofNullable(t.get("key")).flatMap(v -> absolutePath(v, "proxy.tls.key"));
            if (cert.isPresent() && key.isPresent()) {
                tls = new ProxySpec.Files(cert.get(), key.get());
            }
        } else if (tlsNode != null) {
            Optional<String> v = y.text(tlsNode, "proxy.tls");
            if (v.isPresent() && v.get().equals("internal")) {
                tls = new ProxySpec.Internal();
            } else if (v.isPresent() && !v.get().equals("off")) {
                y.error(
                        tlsNode,
                        "SPEC-VALUE",
                        "unknown proxy.tls '" + v.get() + "'",
                        "use off, internal (a certificate from the cluster CA), or {cert: PATH, key: PATH}");
            }
        }
        List<SourceRef> from = m.containsKey("from") ? from(m.get("from"), "proxy.from") : List.of(anyRef(n));
        List<String> onNodes = new ArrayList<>();
        if (m.containsKey("nodes")) {
            for (Node x : y.list(m.get("nodes"), "proxy.nodes", true)) {
                y.text(x, "node name").ifPresent(onNodes::add);
            }
        }
        List<ProxySpec.Route> routes = new ArrayList<>();
        Map<String, ProxySpec.Route> seen = new java.util.HashMap<>();
        if (m.containsKey("routes")) {
            for (Node r : y.list(m.get("routes"), "proxy.routes", true)) {
                route(r).ifPresent(route -> {
                    ProxySpec.Route earlier = seen.putIfAbsent(route.host() + route.path(), route);
                    if (earlier != null) {
                        y.error(
                                r,
                                "SPEC-DUPLICATE",
                                "route " + route.host() + route.path() + " is defined twice (first at line "
                                        + earlier.span().line() + ")",
                                "merge the two routes, or give one another host or path");
                    } else {
                        routes.add(route);
                    }
                });
            }
        }
        if (image.isEmpty()) {
            return Optional.empty();
        }
        ProxySpec.Limits limits = m.containsKey("limits") ? limits(m.get("limits")) : ProxySpec.Limits.DEFAULT;
        return Optional.of(new ProxySpec(image.get(), tls, from, onNodes, routes, limits, y.span(n)));
    }

    private static final java.util.regex.Pattern BODY_SIZE = java.util.regex.Pattern.compile("[1-9][0-9]{0,5}[kKmM]?");
    private static final java.util.regex.Pattern SECONDS = java.util.regex.Pattern.compile("([1-9][0-9]{0,3})s?");

    private ProxySpec.Limits limits(Node n) {
        Map<String, Node> m = y.mapping(n, "proxy.limits", List.of("body", "upstream_timeout"), List.of());
        String body = Optional.ofNullable(m.get("body"))
                .flatMap(v -> y.text(v, "proxy.limits.body").filter(b -> {
                    if (BODY_SIZE.matcher(b).matches()) {
                        return true;
                    }
                    y.error(
                            v,
                            "SPEC-VALUE",
                            "proxy.limits.body '" + b + "' is not a size",
                            "write bytes, or a number with k or m (e.g. 512k, 10m); at most 999999m");
                    return false;
                }))
                .orElse(ProxySpec.Limits.DEFAULT.body());
        int seconds = Optional.ofNullable(m.get("upstream_timeout"))
                .flatMap(v -> y.text(v, "proxy.limits.upstream_timeout").flatMap(t -> {
                    java.util.regex.Matcher sm = SECONDS.matcher(t);
                    if (sm.matches() && Integer.parseInt(sm.group(1)) <= 3600) {
                        return Optional.of(Integer.parseInt(sm.group(1)));
                    }
                    y.error(
                            v,
                            "SPEC-VALUE",
                            "proxy.limits.upstream_timeout '" + t + "' is not 1 to 3600 seconds",
                            "write seconds, e.g. 60 or 60s");
                    return Optional.empty();
                }))
                .orElse(ProxySpec.Limits.DEFAULT.upstreamSeconds());
        return new ProxySpec.Limits(body, seconds);
    }

    private Optional<ProxySpec.Route> route(Node n) {
        Map<String, Node> m =
                y.mapping(n, "a proxy route", List.of("host", "path", "to", "from"), List.of("host", "to"));
        Optional<String> host = Optional.ofNullable(m.get("host")).flatMap(v -> y.text(v, "route host"));
        host.filter(h -> !HOST_NAME.matcher(h).matches())
                .ifPresent(h -> y.error(
                        m.get("host"),
                        "SPEC-VALUE",
                        "route host '" + h + "' is not a DNS name",
                        "write a lower-case host name such as app.example.com"));
        String path = "/";
        boolean badPath = false;
        if (m.containsKey("path")) {
            Optional<String> p = y.text(m.get("path"), "route path");
            if (p.isPresent() && !ROUTE_PATH.matcher(p.get()).matches()) {
                y.error(
                        m.get("path"),
                        "SPEC-VALUE",
                        "route path '" + p.get()
                                + "' must begin with / and hold only letters, digits and . _ ~ / % + -",
                        "write a path prefix such as /api/");
                badPath = true;
            } else if (p.isPresent()) {
                path = p.get();
            }
        }
        Optional<ProxySpec.Upstream> to = Optional.ofNullable(m.get("to")).flatMap(this::upstream);
        List<SourceRef> from = m.containsKey("from") ? from(m.get("from"), "route from") : List.of();
        if (host.isEmpty() || to.isEmpty() || badPath) {
            return Optional.empty();
        }
        return Optional.of(new ProxySpec.Route(host.get(), path, to.get(), from, y.span(n)));
    }

    /** {@code ADDRESS:PORT} or {@code [IPv6]:PORT}, on the node's loopback or a private network. */
    private Optional<ProxySpec.Upstream> upstream(Node n) {
        Optional<String> text = y.text(n, "route to");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String v = text.get();
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile(
                        "(?:\\[([0-9a-fA-F:.]+)\\]|([0-9.]+)):([0-9]{1,5})")
                .matcher(v);
        Prefix address;
        int port;
        try {
            if (!mt.matches()) {
                throw new AddressFormatException("'" + v + "' is not ADDRESS:PORT");
            }
            address = Prefix.parse(mt.group(1) != null ? mt.group(1) : mt.group(2));
            port = Integer.parseInt(mt.group(3));
            if (port < 1 || port > 65535) {
                throw new AddressFormatException("port " + port + " is not between 1 and 65535");
            }
        } catch (IllegalArgumentException e) {
            y.error(
                    n,
                    "SPEC-VALUE",
                    "route to: " + e.getMessage(),
                    "write the upstream as 127.0.0.1:8080 or [::1]:8080");
            return Optional.empty();
        }
        if (PRIVATE.stream().noneMatch(p -> p.contains(address))) {
            y.error(
                    n,
                    "SPEC-VALUE",
                    "route to " + v + ": the upstream must be on the node's loopback or a private address, so the"
                            + " backend never faces the network",
                    "bind the backend to 127.0.0.1 (or a private address) and point the route there");
            return Optional.empty();
        }
        return Optional.of(new ProxySpec.Upstream(address.address(), port));
    }

    private Optional<String> absolutePath(Node n, String what) {
        return y.text(n, what).filter(v -> {
            if (v.matches("/[A-Za-z0-9._/-]+") && !v.contains("..")) {
                return true;
            }
            y.error(
                    n,
                    "SPEC-VALUE",
                    what + " '" + v + "' is not an absolute path",
                    "write a path such as /etc/ssl/proxy/app.pem");
            return false;
        });
    }

    /** The default warning window of {@code pki verify} and {@code pki renew} ({@code --warn-days}). */
    static final int RENEWAL_WINDOW_DAYS = 30;

    private Optional<Integer> days(Node n, String what) {
        return y.text(n, what).flatMap(v -> {
            if (v.matches("[1-9][0-9]{0,4}") && Integer.parseInt(v) <= 36500) {
                return Optional.of(Integer.parseInt(v));
            }
            y.error(n, "SPEC-VALUE", what + " must be a number of days between 1 and 36500, not '" + v + "'", "");
            return Optional.empty();
        });
    }

    private <E> Optional<E> choice(Node n, String what, E[] values, java.util.function.Function<E, String> keyword) {
        if (n == null) {
            return Optional.empty();
        }
        return y.text(n, what).flatMap(v -> {
            for (E e : values) {
                if (keyword.apply(e).equals(v)) {
                    return Optional.of(e);
                }
            }
            List<String> all = java.util.Arrays.stream(values).map(keyword).toList();
            y.error(n, "SPEC-VALUE", "unknown " + what + " '" + v + "'", Suggestions.hint(v, all, "use one of " + all));
            return Optional.empty();
        });
    }
}
