package dev.stockade.audit;

import java.util.Optional;

/**
 * One fact an audit gathers from a host: a POSIX shell command that needs only what Flatcar,
 * Fedora CoreOS and Container Linux ship, and the file its output has in a snapshot. The same
 * command text runs locally, over SSH, and in the collector script ({@link CollectorScript}), so
 * the three ways of collecting cannot drift apart.
 *
 * <p>No probe reads a secret: private keys are looked at with {@code stat} only, and of a running
 * etcd only the {@code ETCD_*} environment and the command line are read.
 */
public enum Probe {
    HOSTNAME("hostname", "hostname"),
    OS_RELEASE("os-release", "cat /etc/os-release"),
    IPTABLES("iptables-save", "iptables-save"),
    IP6TABLES("ip6tables-save", "ip6tables-save"),
    RULES_SAVE_V4("rules-save-v4", "cat /var/lib/iptables/rules-save"),
    RULES_SAVE_V6("rules-save-v6", "cat /var/lib/ip6tables/rules-save"),
    NFT("nft-ruleset", "nft -j list ruleset"),
    /** The nftables ruleset {@code stockade-nftables.service} loads at boot; empty output when there is none. */
    NFT_CONF(
            "nftables-conf",
            "if [ -e " + dev.stockade.provision.NodePlanner.NFTABLES_CONF + " ]; then cat "
                    + dev.stockade.provision.NodePlanner.NFTABLES_CONF + "; fi"),
    SOCKETS("listening", "ss -H -tulpn"),
    ADDRESSES("addresses", "ip -o addr show"),
    GROUPS("groups", "getent group"),
    GROUP_FILES(
            "group-files",
            "for f in /etc/group /usr/share/baselayout/group /usr/lib/group; do"
                    + " if [ -r \"$f\" ]; then echo \"# $f\"; cat \"$f\"; fi; done"),
    UNITS("units", "systemctl show --property=Id,LoadState,ActiveState,UnitFileState " + Units.AUDITED),
    SSHD("sshd-config", "sshd -T"),
    SELINUX_MODE("selinux-mode", "getenforce"),
    SELINUX_CONFIG("selinux-config", "cat /etc/selinux/config"),
    DOCKER_SOCKET("docker-socket", "stat -L -c '%n %U %G %a' /run/docker.sock"),
    ETCD_PROCESS(
            "etcd-process",
            "for p in $(pidof etcd); do echo \"# pid $p\";"
                    + " tr '\\000' '\\n' < /proc/$p/cmdline | sed 's/^/arg /';"
                    + " tr '\\000' '\\n' < /proc/$p/environ | grep '^ETCD_' | sed 's/^/env /'; done"),
    ETCD_KEYS(
            "etcd-keys",
            "for p in $(pidof etcd); do tr '\\000' '\\n' < /proc/$p/environ; tr '\\000' '\\n' < /proc/$p/cmdline; done"
                    + " | sed -n 's/^ETCD_\\(PEER_\\)*KEY_FILE=//p; s/^--\\(peer-\\)*key-file=//p' | sort -u"
                    + " | while read -r f; do stat -L -c '%n %U %G %a' \"$f\"; done"),
    ETCD_CERTS(
            "etcd-certs",
            "for p in $(pidof etcd); do tr '\\000' '\\n' < /proc/$p/environ; tr '\\000' '\\n' < /proc/$p/cmdline; done"
                    + " | grep -E '^(ETCD_(PEER_)?(CERT|TRUSTED_CA)_FILE=|--(peer-)?(cert|trusted-ca)-file=)' | sort -u"
                    + " | while IFS='=' read -r k f; do echo \"# $k $f\"; cat \"$f\"; done"),
    /**
     * The update settings: only the strategy, group, locksmith endpoint and certificate paths are
     * kept, since the same files may hold locksmith's etcd password.
     */
    UPDATE_CONF(
            "update-conf",
            "for f in /usr/share/flatcar/update.conf /etc/coreos/update.conf /etc/flatcar/update.conf; do"
                    + " if [ -r \"$f\" ]; then echo \"# $f\"; grep -E '" + Locksmith.LINES
                    + "' \"$f\"; fi; done; true"),
    /** locksmithd's endpoint and certificate paths from its unit's environment (nothing else of it). */
    LOCKSMITH(
            "locksmith",
            "env=$(systemctl show --property=Environment locksmithd.service) || exit $?;"
                    + " printf '%s\\n' \"$env\" | grep -oE '" + Locksmith.ASSIGNMENTS + "'; true"),
    /**
     * Owner, mode and SHA-256 of each file {@code stockade build} may place on a node (one line:
     * {@code PATH OWNER MODE SHA256}, or {@code PATH -} when it is not there); the firewall files
     * are compared by meaning instead, and etcd's key material is never read.
     */
    PROVISIONED(
            "provisioned",
            "for f in " + Provisioned.PATHS + " /etc/systemd/system/*.d/20-stockade-*.conf; do"
                    + " if [ -f \"$f\" ]; then echo \"$(stat -L -c '%n %U %a' \"$f\") $(sha256sum < \"$f\" | cut -c1-64)\";"
                    + " else case \"$f\" in *'*'*) ;; *) echo \"$f -\";; esac; fi; done");

    private final String file;
    private final String command;

    Probe(String file, String command) {
        this.file = file;
        this.command = command;
    }

    /** The name of its output in a snapshot ({@code NAME.out}, with {@code NAME.rc} for the exit status). */
    public String file() {
        return file;
    }

    /** The shell command, run by {@code sh -c} with {@link #PATH}. */
    public String command() {
        return command;
    }

    /** The PATH every probe runs with: administration tools live in sbin, which a non-login SSH session may lack. */
    public static final String PATH = dev.stockade.ssh.SshSession.PATH;

    /** The probe whose snapshot file is {@code name}, if any. */
    public static Optional<Probe> byFile(String name) {
        for (Probe p : values()) {
            if (p.file.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The fixed paths {@link #PROVISIONED} looks at (drop-ins are found by their Stockade name). */
    static final class Provisioned {
        static final String PATHS = "/etc/hostname /etc/ssh/sshd_config.d/20-stockade-port.conf /etc/selinux/config"
                + " /etc/stockade/core-groups.sh /etc/zincati/config.d/90-stockade-updates.toml"
                + " /etc/flatcar/update.conf /etc/coreos/update.conf"
                + " /etc/systemd/system/iptables-restore.service /etc/systemd/system/ip6tables-restore.service"
                + " /etc/systemd/system/stockade-nftables.service"
                + " /etc/systemd/system/stockade-core-groups.service /etc/systemd/system/etcd-member.service";

        private Provisioned() {}
    }

    /** The update and locksmith settings the audit reads; a password beside them is never read. */
    static final class Locksmith {
        /** Lines of update.conf kept. */
        static final String LINES =
                "^ *(REBOOT_STRATEGY|GROUP|LOCKSMITHD_ENDPOINT|LOCKSMITHD_ETCD_(CAFILE|CERTFILE|KEYFILE))=";
        /** Assignments of a unit's {@code Environment=} kept (values end at a space or quote). */
        static final String ASSIGNMENTS = "LOCKSMITHD_(ENDPOINT|ETCD_(CAFILE|CERTFILE|KEYFILE))=[^ \"]*";

        private Locksmith() {}
    }

    /** The systemd units whose state the audit reads. */
    static final class Units {
        static final String AUDITED = "sshd.socket sshd.service docker.socket docker.service"
                + " iptables-restore.service ip6tables-restore.service stockade-nftables.service"
                + " etcd-member.service etcd.service"
                + " locksmithd.service update-engine.service";

        private Units() {}
    }
}
