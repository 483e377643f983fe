package dev.stockade.audit;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hardening of the host itself: sshd (read from {@code sshd -T}, so it holds under socket
 * activation, Flatcar's default), the {@code core} user's groups through NSS, the docker socket's
 * mode (as a bitmask), SELinux at run time and as configured, automatic updates, and the services
 * that load the saved firewall at boot.
 */
final class HostChecks {

    /** Groups whose members are as good as root. */
    static final Set<String> ROOT_GROUPS = Set.of("wheel", "sudo", "docker", "rkt", "root", "adm");

    private HostChecks() {}

    static void check(HostFacts facts, List<Finding> out) {
        Optional<Map<String, UnitState>> units = units(facts, out);
        sshd(facts, units, out);
        coreGroups(facts, out);
        dockerSocket(facts, out);
        selinux(facts, out);
        units.ifPresent(u -> {
            updates(facts, u, out);
            restore(facts, u, out);
        });
    }

    private static Optional<Map<String, UnitState>> units(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.UNITS);
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, "the sshd, update and firewall service checks"));
            return Optional.empty();
        }
        return Optional.of(UnitState.parse(o.stdout()));
    }

    private static void sshd(HostFacts facts, Optional<Map<String, UnitState>> units, List<Finding> out) {
        boolean off = units.map(u -> {
                    UnitState socket = u.get("sshd.socket");
                    UnitState service = u.get("sshd.service");
                    boolean socketOff = socket == null || socket.masked() || !socket.exists() || !socket.running();
                    boolean serviceOff = service == null || service.masked() || !service.exists() || !service.running();
                    return socketOff && serviceOff;
                })
                .orElse(false);
        if (off) {
            return; // nothing accepts SSH connections: the settings do not matter
        }
        ProbeOutput o = facts.output(Probe.SSHD);
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), o, "the sshd checks"));
            return;
        }
        Settings s = Settings.sshd(o.stdout());
        s.last("permitrootlogin").ifPresent(v -> {
            if (v.value().equals("yes")) {
                out.add(finding(
                        "AUD-SSH-ROOT",
                        Severity.ERROR,
                        facts,
                        o,
                        v.line(),
                        "sshd lets root log in with any method (PermitRootLogin yes)",
                        "set PermitRootLogin no and log in as core"));
            } else if (!v.value().equals("no")) {
                out.add(finding(
                        "AUD-SSH-ROOT",
                        Severity.NOTE,
                        facts,
                        o,
                        v.line(),
                        "sshd lets root log in with a key (PermitRootLogin " + v.value() + ")",
                        "set PermitRootLogin no unless root logins are needed"));
            }
        });
        for (String key : List.of("passwordauthentication", "kbdinteractiveauthentication")) {
            s.last(key).filter(v -> v.value().equals("yes")).ifPresent(v -> {
                boolean pam = s.last("usepam").map(p -> p.value().equals("yes")).orElse(false);
                if (key.equals("kbdinteractiveauthentication") && !pam) {
                    return; // keyboard-interactive without PAM offers no password prompt
                }
                out.add(finding(
                        "AUD-SSH-PASSWORD",
                        Severity.WARNING,
                        facts,
                        o,
                        v.line(),
                        "sshd accepts passwords (" + key + " yes): they can be guessed from wherever SSH is reachable",
                        "set PasswordAuthentication no and KbdInteractiveAuthentication no; log in with keys"));
            });
        }
    }

    /** Groups through NSS; a snapshot's group files are merged as Flatcar's nss-altfiles reads them. */
    private static void coreGroups(HostFacts facts, List<Finding> out) {
        ProbeOutput getent = facts.output(Probe.GROUPS);
        ProbeOutput files = facts.output(Probe.GROUP_FILES);
        ProbeOutput o = getent.ok() ? getent : files;
        if (!o.ok()) {
            out.add(Checks.notEvaluated(facts.host(), getent, "the core user's groups"));
            return;
        }
        Map<String, Integer> bad = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        String[] lines = o.stdout().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].strip().split(":", -1);
            if (f.length < 4 || lines[i].startsWith("#") || !seen.add(f[0])) {
                continue; // the first definition of a group wins, as NSS reads the files in order
            }
            if (ROOT_GROUPS.contains(f[0]) && List.of(f[3].split(",")).contains("core")) {
                bad.put(f[0], i + 1);
            }
        }
        if (!bad.isEmpty()) {
            out.add(finding(
                    "AUD-CORE-GROUPS",
                    Severity.WARNING,
                    facts,
                    o,
                    bad.values().iterator().next(),
                    "the core user is in " + String.join(", ", bad.keySet())
                            + ": membership is as good as root (docker and rkt run privileged containers)",
                    "remove core from them (gpasswd -d core GROUP); stockade build does it at boot"));
        }
    }

    /** The docker socket's mode, as bits: anyone who can write to it controls the host. */
    private static void dockerSocket(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.DOCKER_SOCKET);
        if (!o.ok()) {
            return; // no socket (or no docker): nothing to check
        }
        String[] f = o.stdout().strip().split("\\s+");
        if (f.length < 4 || !f[3].matches("[0-7]{1,4}")) {
            out.add(finding(
                    "AUD-FACT",
                    Severity.WARNING,
                    facts,
                    o,
                    1,
                    "the docker socket's owner and mode cannot be read from '"
                            + o.stdout().strip() + "'",
                    ""));
            return;
        }
        int mode = Integer.parseInt(f[3], 8);
        String owner = f[1];
        String group = f[2];
        if ((mode & 0002) != 0) {
            out.add(finding(
                    "AUD-DOCKER-SOCKET",
                    Severity.ERROR,
                    facts,
                    o,
                    1,
                    f[0] + " is writable by every user (mode 0" + Integer.toOctalString(mode)
                            + "): any local user or container that sees it is root",
                    "chmod 0660 " + f[0] + " (docker.socket's SocketMode=0660)"));
        } else if (!owner.equals("root")
                || ((mode & 0020) != 0 && !Set.of("docker", "root").contains(group))) {
            out.add(finding(
                    "AUD-DOCKER-SOCKET",
                    Severity.WARNING,
                    facts,
                    o,
                    1,
                    f[0] + " is owned by " + owner + ":" + group + " with mode 0" + Integer.toOctalString(mode)
                            + ": its writers control the host",
                    "keep it root:docker 0660, and the docker group empty"));
        }
    }

    private static void selinux(HostFacts facts, List<Finding> out) {
        ProbeOutput mode = facts.output(Probe.SELINUX_MODE);
        if (mode.ok()) {
            String m = mode.stdout().strip();
            if (!m.equals("Enforcing")) {
                out.add(finding(
                        "AUD-SELINUX",
                        Severity.WARNING,
                        facts,
                        mode,
                        1,
                        "SELinux is " + (m.isEmpty() ? "not reported" : m) + " at run time, not Enforcing:"
                                + " containers are not confined by it",
                        "setenforce 1, and SELINUX=enforcing in /etc/selinux/config"));
            }
        } else {
            out.add(Checks.notEvaluated(facts.host(), mode, "the SELinux run-time check"));
        }
        ProbeOutput config = facts.output(Probe.SELINUX_CONFIG);
        if (config.ok()) {
            Settings s = Settings.keyValues(config.stdout());
            Optional<Settings.Value> v = s.last("SELINUX");
            if (v.isEmpty() || !v.get().value().equals("enforcing")) {
                out.add(finding(
                        "AUD-SELINUX",
                        Severity.WARNING,
                        facts,
                        config,
                        v.map(Settings.Value::line).orElse(1),
                        "SELinux is configured as "
                                + v.map(Settings.Value::value).orElse("(not set)")
                                + ", not enforcing: the next boot starts without it",
                        "set SELINUX=enforcing in /etc/selinux/config"));
            }
        }
    }

    private static void updates(HostFacts facts, Map<String, UnitState> units, List<Finding> out) {
        ProbeOutput unitsOut = facts.output(Probe.UNITS);
        UnitState engine = units.get("update-engine.service");
        if (engine != null && engine.exists() && (engine.masked() || !engine.running())) {
            out.add(finding(
                    "AUD-UPDATES",
                    Severity.WARNING,
                    facts,
                    unitsOut,
                    engine.line(),
                    "update-engine.service is " + (engine.masked() ? "masked" : engine.active())
                            + ": the host gets no security updates",
                    "systemctl unmask --now update-engine.service"));
        }
        ProbeOutput conf = facts.output(Probe.UPDATE_CONF);
        if (conf.ok()) {
            Settings s = Settings.keyValues(conf.stdout());
            s.last("REBOOT_STRATEGY")
                    .filter(v -> v.value().equals("off"))
                    .ifPresent(v -> out.add(finding(
                            "AUD-UPDATES",
                            Severity.WARNING,
                            facts,
                            conf,
                            v.line(),
                            "REBOOT_STRATEGY=off: updates are downloaded but never take effect until someone reboots",
                            "use etcd-lock (or reboot) so updates are applied, one node at a time")));
        }
    }

    /** Saved rules are loaded at boot only by their restore service. */
    private static void restore(HostFacts facts, Map<String, UnitState> units, List<Finding> out) {
        ProbeOutput unitsOut = facts.output(Probe.UNITS);
        for (String[] r : List.of(
                new String[] {"iptables-restore.service", "rules-save-v4"},
                new String[] {"ip6tables-restore.service", "rules-save-v6"},
                new String[] {"stockade-nftables.service", "nftables-conf"})) {
            Probe saved = Probe.byFile(r[1]).orElseThrow();
            UnitState u = units.get(r[0]);
            ProbeOutput rules = facts.output(saved);
            if (rules.ok() && !rules.stdout().isBlank() && u != null && (!u.enabled() || u.masked())) {
                out.add(finding(
                        "AUD-RESTORE-DISABLED",
                        Severity.ERROR,
                        facts,
                        unitsOut,
                        u.line(),
                        r[0] + " is "
                                + (u.masked() ? "masked" : u.fileState().isEmpty() ? "not enabled" : u.fileState())
                                + ": the saved rules are not loaded at boot",
                        "systemctl enable " + r[0]));
            }
        }
    }

    static Finding finding(
            String id, Severity severity, HostFacts facts, ProbeOutput o, int line, String message, String hint) {
        return new Finding(id, severity, facts.host(), Optional.of(o.at(line)), message, hint);
    }
}
