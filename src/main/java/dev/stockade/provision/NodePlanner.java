package dev.stockade.provision;

import dev.stockade.etcd.FirstStart;
import dev.stockade.firewall.NodeFirewall;
import dev.stockade.pki.PkiSpec;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.EtcdSpec;
import dev.stockade.spec.HardeningSpec;
import dev.stockade.spec.HardeningSpec.UpdateStrategy;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.ProxySpec;
import dev.stockade.spec.Target;
import dev.stockade.spec.WorkloadSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what goes on a node: firewall files and their restore units, SSH keys or a masked
 * sshd, SELinux mode, the core user's groups, the docker socket, etcd and the update strategy.
 * Target differences (units Flatcar ships but Fedora CoreOS lacks, config file names) live here.
 */
public final class NodePlanner {

    public static final String RULES_V4 = "/var/lib/iptables/rules-save";
    public static final String RULES_V6 = "/var/lib/ip6tables/rules-save";
    /** The units that load {@link #RULES_V4} and {@link #RULES_V6} at boot (shipped by Flatcar, defined here on Fedora CoreOS). */
    public static final List<String> RESTORE_UNITS = List.of("iptables-restore.service", "ip6tables-restore.service");
    /** The nftables ruleset, with {@code firewall: nftables}: Stockade's table for both families. */
    public static final String NFTABLES_CONF = "/etc/stockade/nftables.conf";
    /** The unit that loads {@link #NFTABLES_CONF} at boot (defined here on every target). */
    public static final String NFTABLES_UNIT = "stockade-nftables.service";

    static final String CORE_GROUPS_SCRIPT = "/etc/stockade/core-groups.sh";
    /** etcd's environment: the member's first-start values, which only the build state knows. */
    public static final String ETCD_ENV = "/etc/stockade/etcd.env";

    /** The unit that runs the node's etcd member (Flatcar's shipped one, or Stockade's podman unit on Fedora CoreOS). */
    public static final String MEMBER_UNIT = "etcd-member.service";
    /** Starts the member once its key is delivered ({@code pki.deliver: ssh}). */
    static final String KEY_PATH_UNIT = "stockade-etcd-tls.path";
    /** The unit that runs the proxy. */
    public static final String PROXY_UNIT = "stockade-proxy.service";
    /** Starts the proxy once its key is delivered ({@code pki.deliver: ssh}, {@code proxy.tls: internal}). */
    static final String PROXY_PATH_UNIT = "stockade-proxy-tls.path";
    /** The proxy's configuration on the node (mounted as the container's nginx.conf). */
    public static final String PROXY_CONF = "/etc/stockade/proxy/nginx.conf";
    /** Where the proxy's certificate from the cluster CA is placed. */
    public static final String PROXY_TLS_DIR = "/etc/ssl/proxy";

    public static final String PROXY_CERT = PROXY_TLS_DIR + "/proxy.pem";
    public static final String PROXY_KEY = PROXY_TLS_DIR + "/proxy-key.pem";

    private final ClusterSpec spec;
    private final NodeSpec node;
    private final List<ProvisionedFile> files = new ArrayList<>();
    private final List<ProvisionedFile> overSsh = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();
    private final List<String> provisional = new ArrayList<>();
    /** The units that load the firewall, for the {@code After=} of the services it protects. */
    private String firewallUnits = "";
    /** Whether the PKI has a CRL to place beside the CA (then etcd checks it for clients and peers). */
    private boolean crl;

    private NodePlanner(ClusterSpec spec, NodeSpec node) {
        this.spec = spec;
        this.node = node;
    }

    /**
     * @param rules the node's firewall as written
     * @param tls the node's etcd certificate material; empty when the PKI has none yet (a dry run before the first build)
     * @param etcdStart how the node's etcd member first starts; empty when it runs none, or when etcd
     *     cannot be configured yet (a member's private address is unknown)
     */
    public static NodePlan plan(
            ClusterSpec spec,
            NodeSpec node,
            NodeFirewall firewall,
            FirewallFiles rules,
            Optional<NodeTls> tls,
            Optional<FirstStart> etcdStart) {
        NodePlanner p = new NodePlanner(spec, node);
        p.provisional.addAll(firewall.provisional());
        p.files.add(new ProvisionedFile("/etc/hostname", 0644, "root", node.hostname() + "\n"));
        p.firewall(rules);
        p.ssh();
        p.hardening(spec.hardening());
        spec.etcd().ifPresent(e -> {
            p.crl = tls.flatMap(NodeTls::crlPem).isPresent();
            p.etcd(e, etcdStart);
            p.tls(tls);
        });
        p.updates(spec.hardening().updates());
        spec.proxy().filter(x -> x.runsOn(node.name())).ifPresent(x -> p.proxy(x, tls));
        spec.workloads().stream().filter(w -> w.runsOn(node.name())).forEach(p::workload);
        // a closed SSH installs no keys: nothing should let a later unmasked sshd in
        List<String> keys = spec.ssh().isOpen() ? spec.ssh().keys() : List.of();
        return new NodePlan(node.name(), node.hostname(), keys, p.files, p.units, p.provisional, p.overSsh);
    }

    private void firewall(FirewallFiles rules) {
        if (rules instanceof FirewallFiles.Nftables) {
            files.add(new ProvisionedFile(NFTABLES_CONF, 0644, "root", ((FirewallFiles.Nftables) rules).ruleset()));
            units.add(Unit.define(NFTABLES_UNIT, nftablesUnit()));
            firewallUnits = NFTABLES_UNIT;
            return;
        }
        FirewallFiles.Iptables ipt = (FirewallFiles.Iptables) rules;
        files.add(new ProvisionedFile(RULES_V4, 0644, "root", ipt.v4()));
        files.add(new ProvisionedFile(RULES_V6, 0644, "root", ipt.v6()));
        firewallUnits = String.join(" ", RESTORE_UNITS);
        if (spec.target() == Target.FCOS) {
            units.add(Unit.define(RESTORE_UNITS.get(0), restoreUnit("iptables-restore", RULES_V4, "IPv4")));
            units.add(Unit.define(RESTORE_UNITS.get(1), restoreUnit("ip6tables-restore", RULES_V6, "IPv6")));
        } else {
            RESTORE_UNITS.forEach(u -> units.add(Unit.enable(u)));
        }
    }

    /**
     * Loads {@link #NFTABLES_CONF} before the network comes up. Stockade defines it on every target
     * rather than using a distribution's nftables.service: that unit is not on every release, and
     * its stop and reload flush the whole ruleset (every other tool's tables too), where this file
     * replaces only Stockade's table. Stopping the unit leaves the firewall in place.
     */
    private static String nftablesUnit() {
        return "[Unit]\n"
                + "Description=Load the nftables firewall (Stockade)\n"
                + "DefaultDependencies=no\n"
                + "Before=network-pre.target\n"
                + "Wants=network-pre.target\n"
                + "After=local-fs.target\n"
                + "ConditionFileNotEmpty=" + NFTABLES_CONF + "\n\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "RemainAfterExit=yes\n"
                + "ExecStart=/usr/sbin/nft -f " + NFTABLES_CONF + "\n"
                + "ExecReload=/usr/sbin/nft -f " + NFTABLES_CONF + "\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private static String restoreUnit(String tool, String file, String family) {
        return "[Unit]\n"
                + "Description=Restore " + family + " firewall rules (Stockade)\n"
                + "DefaultDependencies=no\n"
                + "Before=network-pre.target\n"
                + "Wants=network-pre.target\n"
                + "After=local-fs.target\n"
                + "ConditionFileNotEmpty=" + file + "\n\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "RemainAfterExit=yes\n"
                + "ExecStart=/usr/sbin/" + tool + " -w -- " + file + "\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private void ssh() {
        if (!spec.ssh().isOpen()) {
            units.add(Unit.mask("sshd.socket"));
            units.add(Unit.mask("sshd.service"));
            return;
        }
        int port = spec.ssh().port();
        if (port == 22) {
            return;
        }
        if (spec.target() == Target.FCOS) {
            files.add(new ProvisionedFile(
                    "/etc/ssh/sshd_config.d/20-stockade-port.conf", 0600, "root", "Port " + port + "\n"));
        } else {
            // sshd.socket is already listening when coreos-cloudinit runs: restart it so the port changes now
            units.add(Unit.restartWith(
                    "sshd.socket",
                    new Unit.Dropin("20-stockade-port.conf", "[Socket]\nListenStream=\nListenStream=" + port + "\n")));
        }
    }

    private void hardening(HardeningSpec h) {
        if (h.selinux() != HardeningSpec.SelinuxMode.UNCHANGED) {
            String type = spec.target() == Target.FCOS ? "targeted" : "mcs";
            files.add(new ProvisionedFile(
                    "/etc/selinux/config",
                    0644,
                    "root",
                    "SELINUX=" + h.selinux().keyword() + "\nSELINUXTYPE=" + type + "\n"));
        }
        if (!h.coreGroups().isEmpty()) {
            files.add(new ProvisionedFile(CORE_GROUPS_SCRIPT, 0755, "root", resource("core-groups.sh")));
            units.add(Unit.define(
                    "stockade-core-groups.service",
                    "[Unit]\n"
                            + "Description=Remove the core user from privileged groups (Stockade)\n"
                            + "After=local-fs.target\n"
                            + "Before=docker.socket sshd.socket sshd.service\n\n"
                            + "[Service]\n"
                            + "Type=oneshot\n"
                            + "RemainAfterExit=yes\n"
                            + "ExecStart=/bin/bash " + CORE_GROUPS_SCRIPT + " " + String.join(" ", h.coreGroups())
                            + "\n\n"
                            + "[Install]\n"
                            + "WantedBy=multi-user.target\n"));
        }
        if (h.dockerSocketRootOnly()) {
            units.add(Unit.dropin(
                    "docker.socket",
                    false,
                    new Unit.Dropin(
                            "20-stockade-root-only.conf",
                            "[Socket]\nSocketUser=root\nSocketGroup=root\nSocketMode=0600\n")));
        }
    }

    private void etcd(EtcdSpec e, Optional<FirstStart> start) {
        if (!e.isMember(node.name())) {
            return;
        }
        List<String> unknown = spec.etcdMembers().stream()
                .filter(n -> n.privateV4().isEmpty())
                .map(NodeSpec::name)
                .toList();
        if (!unknown.isEmpty()) {
            provisional.add("etcd is not configured on this node: private addresses of " + String.join(", ", unknown)
                    + " are unknown (set nodes[].private and build again)");
            return;
        }
        // an environment file, not Environment= lines: ETCD_INITIAL_CLUSTER outgrows systemd's 2048-byte unit lines
        StringBuilder file = new StringBuilder();
        etcdEnvironment(e, start.orElseThrow())
                .forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
        files.add(new ProvisionedFile(ETCD_ENV, 0644, "root", file.toString()));
        // with the TLS files delivered over SSH, etcd starts when its key arrives, not before
        String condition = deliveredOverSsh() ? "ConditionPathExists=" + EtcdPaths.KEY + "\n" : "";
        if (spec.target() == Target.FCOS) {
            units.add(Unit.define(
                    MEMBER_UNIT, podmanEtcdUnit(condition, e.image().orElse(EtcdSpec.FCOS_IMAGE), firewallUnits)));
        } else {
            // the shipped etcd-member.service mounts $ETCD_SSL_DIR (default /etc/ssl/certs) into etcd's container
            units.add(Unit.dropin(
                    MEMBER_UNIT,
                    true,
                    new Unit.Dropin(
                            "20-stockade-etcd.conf",
                            (condition.isEmpty() ? "" : "[Unit]\n" + condition + "\n")
                                    + "[Service]\nEnvironment=ETCD_SSL_DIR=" + EtcdPaths.DIR + "\nEnvironmentFile="
                                    + ETCD_ENV + "\n")));
        }
        if (deliveredOverSsh()) {
            units.add(Unit.define(KEY_PATH_UNIT, pathUnit("etcd", EtcdPaths.KEY, MEMBER_UNIT)));
        }
    }

    /**
     * The proxy: its nginx.conf, its certificate (from the cluster CA, or the spec's paths), and a
     * unit running the pinned image with the host's network, read-only, with only the capabilities
     * nginx needs to bind its ports and drop to its user.
     */
    private void proxy(ProxySpec x, Optional<NodeTls> tls) {
        String cert = PROXY_CERT;
        String key = PROXY_KEY;
        List<String> mounts = new ArrayList<>(List.of(PROXY_CONF + ":/etc/nginx/nginx.conf:ro"));
        String condition = "";
        if (x.tls() instanceof ProxySpec.Files f) {
            cert = f.cert();
            key = f.key();
            mounts.add(cert + ":" + cert + ":ro");
            mounts.add(key + ":" + key + ":ro");
            condition = "ConditionPathExists=" + key + "\n";
        } else if (x.tls() instanceof ProxySpec.Internal) {
            mounts.add(PROXY_TLS_DIR + ":" + PROXY_TLS_DIR + ":ro");
            Optional<NodeTls.Pair> pair = tls.flatMap(NodeTls::proxy);
            if (pair.isEmpty()) {
                provisional.add(
                        "the proxy's certificate is not included: the PKI has none yet (a dry run issues none)");
            } else {
                List<ProvisionedFile> to = deliveredOverSsh() ? overSsh : files;
                to.add(new ProvisionedFile(PROXY_CERT, 0644, "root", pair.get().certPem()));
                to.add(new ProvisionedFile(PROXY_KEY, 0600, "root", pair.get().keyPem()));
                if (deliveredOverSsh()) {
                    condition = "ConditionPathExists=" + PROXY_KEY + "\n";
                    units.add(Unit.define(PROXY_PATH_UNIT, pathUnit("the proxy", PROXY_KEY, PROXY_UNIT)));
                }
            }
        }
        files.add(new ProvisionedFile(PROXY_CONF, 0644, "root", NginxConfig.render(spec, node, x, cert, key)));
        List<String> options = new ArrayList<>(List.of(
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp",
                "--tmpfs",
                "/var/cache/nginx",
                "--tmpfs",
                "/var/run",
                "--security-opt",
                "no-new-privileges",
                "--cap-drop",
                "ALL"));
        for (String c : List.of("CHOWN", "SETUID", "SETGID", "NET_BIND_SERVICE")) {
            options.add("--cap-add");
            options.add(c);
        }
        for (String m : mounts) {
            options.add("--volume");
            options.add(m + (spec.target() == Target.FCOS ? ",Z" : ""));
        }
        units.add(Unit.define(
                PROXY_UNIT,
                new ContainerUnit(
                                "stockade-proxy", "Reverse proxy (Stockade)", options, x.image(), List.of(), condition)
                        .render(spec.target(), firewallUnits)));
    }

    /**
     * A workload: its container on the host's network with no capability but those the spec
     * keeps and no privilege escalation; it opens no port (the firewall is the services' and the
     * proxy's).
     */
    private void workload(WorkloadSpec w) {
        List<String> options = new ArrayList<>(
                List.of("--network", "host", "--security-opt", "no-new-privileges", "--cap-drop", "ALL"));
        for (String c : w.capabilities()) {
            options.add("--cap-add");
            options.add(c);
        }
        w.env().forEach((k, v) -> {
            options.add("--env");
            options.add(k + "=" + v);
        });
        units.add(Unit.define(
                w.unit(),
                new ContainerUnit(
                                w.container(), "Workload " + w.name() + " (Stockade)", options, w.image(), w.args(), "")
                        .render(spec.target(), firewallUnits)));
    }

    private boolean deliveredOverSsh() {
        return spec.pki().deliver() == PkiSpec.Delivery.SSH;
    }

    /** Starts {@code unit} once {@code stockade apply} has delivered {@code key} (at boot the unit's condition skips it). */
    private static String pathUnit(String what, String key, String unit) {
        return "[Unit]\n"
                + "Description=Start " + what + " once its TLS key is delivered (Stockade)\n\n"
                + "[Path]\n"
                + "PathExists=" + key + "\n"
                + "Unit=" + unit + "\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * The etcd 3.x environment: https everywhere, and the variables etcd 3.x actually reads for
     * client-certificate checks ({@code ETCD_TRUSTED_CA_FILE} + {@code ETCD_CLIENT_CERT_AUTH}, and the
     * {@code ETCD_PEER_*} pair). The obsolete {@code ETCD_CA_FILE} is never written: etcd 3.4 ignores it
     * and then accepts clients without certificates.
     */
    private Map<String, String> etcdEnvironment(EtcdSpec e, FirstStart start) {
        String ip = node.privateV4().orElseThrow().address();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_NAME", node.name());
        env.put("ETCD_DATA_DIR", "/var/lib/etcd");
        env.put("ETCD_LISTEN_PEER_URLS", "https://" + ip + ":" + e.peerPort());
        env.put(
                "ETCD_LISTEN_CLIENT_URLS",
                "https://" + ip + ":" + e.clientPort() + ",https://127.0.0.1:" + e.clientPort());
        env.put("ETCD_INITIAL_ADVERTISE_PEER_URLS", "https://" + ip + ":" + e.peerPort());
        env.put("ETCD_ADVERTISE_CLIENT_URLS", "https://" + ip + ":" + e.clientPort());
        env.put("ETCD_INITIAL_CLUSTER", start.initialClusterText());
        env.put("ETCD_INITIAL_CLUSTER_STATE", start.state());
        env.put("ETCD_INITIAL_CLUSTER_TOKEN", spec.cluster());
        // etcd opens these in its container, where the files written to EtcdPaths.DIR are mounted
        String ca = EtcdPaths.seenByEtcd(spec.target(), EtcdPaths.CA);
        String cert = EtcdPaths.seenByEtcd(spec.target(), EtcdPaths.CERT);
        String key = EtcdPaths.seenByEtcd(spec.target(), EtcdPaths.KEY);
        env.put("ETCD_TRUSTED_CA_FILE", ca);
        env.put("ETCD_CERT_FILE", cert);
        env.put("ETCD_KEY_FILE", key);
        env.put("ETCD_CLIENT_CERT_AUTH", "true");
        env.put("ETCD_PEER_TRUSTED_CA_FILE", ca);
        env.put("ETCD_PEER_CERT_FILE", cert);
        env.put("ETCD_PEER_KEY_FILE", key);
        env.put("ETCD_PEER_CLIENT_CERT_AUTH", "true");
        if (crl) {
            // etcd 3.4 reads the CRL once, at start-up: a new CRL takes a restart of the member
            String crlFile = EtcdPaths.seenByEtcd(spec.target(), EtcdPaths.CRL);
            env.put("ETCD_CLIENT_CRL_FILE", crlFile);
            env.put("ETCD_PEER_CRL_FILE", crlFile);
        }
        return env;
    }

    /** Etcd's CA, certificate and key, owned by the user etcd runs as (Flatcar's etcd-member: etcd; podman: root). */
    private void tls(Optional<NodeTls> tls) {
        if (tls.isEmpty()) {
            provisional.add("etcd TLS files are not included: the PKI has no certificate for this node yet"
                    + " (a dry run issues none)");
            return;
        }
        String owner = spec.target() == Target.FCOS ? "root" : "etcd";
        List<ProvisionedFile> to = deliveredOverSsh() ? overSsh : files;
        to.add(new ProvisionedFile(EtcdPaths.CA, 0644, "root", tls.get().caPem()));
        to.add(new ProvisionedFile(EtcdPaths.CERT, 0644, owner, tls.get().certPem()));
        to.add(new ProvisionedFile(EtcdPaths.KEY, 0600, owner, tls.get().keyPem()));
        tls.get().crlPem().ifPresent(crlPem -> to.add(new ProvisionedFile(EtcdPaths.CRL, 0644, "root", crlPem)));
    }

    private static String podmanEtcdUnit(String condition, String image, String firewallUnits) {
        return "[Unit]\n"
                + "Description=etcd member (Stockade)\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target " + firewallUnits + "\n"
                + condition
                + "\n"
                + "[Service]\n"
                + "ExecStartPre=-/usr/bin/podman rm --force etcd-member\n"
                // podman never creates a missing bind-mount source, and Fedora CoreOS has no /var/lib/etcd
                + "ExecStartPre=/usr/bin/mkdir -p -m 0700 /var/lib/etcd\n"
                + "ExecStart=/usr/bin/podman run --name etcd-member --net=host --env-file=" + ETCD_ENV
                + " --volume=/var/lib/etcd:/var/lib/etcd:Z --volume=" + EtcdPaths.DIR + ":" + EtcdPaths.DIR + ":ro,Z "
                + image + "\n"
                + "ExecStop=/usr/bin/podman stop etcd-member\n"
                + "Restart=on-failure\n"
                + "RestartSec=5\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private void updates(UpdateStrategy u) {
        if (u == UpdateStrategy.UNCHANGED) {
            return;
        }
        if (spec.target() == Target.FCOS) {
            String toml =
                    u == UpdateStrategy.OFF ? "[updates]\nenabled = false\n" : "[updates]\nstrategy = \"immediate\"\n";
            files.add(new ProvisionedFile("/etc/zincati/config.d/90-stockade-updates.toml", 0644, "root", toml));
            return;
        }
        String dir = spec.target() == Target.FLATCAR ? "/etc/flatcar" : "/etc/coreos";
        files.add(new ProvisionedFile(dir + "/update.conf", 0644, "root", "REBOOT_STRATEGY=" + u.keyword() + "\n"));
        if (u == UpdateStrategy.ETCD_LOCK) {
            locksmith();
        }
    }

    private void locksmith() {
        Optional<EtcdSpec> e = spec.etcd();
        if (e.isEmpty() || node.privateV4().isEmpty()) {
            provisional.add("locksmith is not pointed at etcd: this node's private address is unknown");
            return;
        }
        int port = e.get().clientPort();
        String endpoint = e.get().isMember(node.name())
                ? "https://" + node.privateV4().get().address() + ":" + port
                : String.join(
                        ",",
                        spec.etcdMembers().stream()
                                .filter(m -> m.privateV4().isPresent())
                                .map(m -> "https://" + m.privateV4().get().address() + ":" + port)
                                .toList());
        units.add(Unit.dropin(
                "locksmithd.service",
                false,
                new Unit.Dropin(
                        "20-stockade-etcd.conf",
                        "[Service]\n"
                                + "Environment=\"LOCKSMITHD_ENDPOINT=" + endpoint + "\"\n"
                                + "Environment=\"LOCKSMITHD_ETCD_CAFILE=" + EtcdPaths.CA + "\"\n"
                                + "Environment=\"LOCKSMITHD_ETCD_CERTFILE=" + EtcdPaths.CERT + "\"\n"
                                + "Environment=\"LOCKSMITHD_ETCD_KEYFILE=" + EtcdPaths.KEY + "\"\n")));
    }

    static String resource(String name) {
        try (InputStream in = NodePlanner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
