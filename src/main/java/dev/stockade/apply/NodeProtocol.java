package dev.stockade.apply;

import dev.stockade.ssh.SshSession;
import java.util.List;

/**
 * The commands {@code apply} runs on a node, as POSIX shell text (pure functions of their
 * arguments, so the protocol can be read and tested apart from SSH). Everything lives in one
 * directory per change, {@code /var/lib/stockade/apply/ID} (mode 0700):
 *
 * <pre>
 *   previous-v4, previous-v6   the rules loaded before the change (iptables-save), to go back to
 *   new-v4, new-v6             the rules to load
 *   rollback.sh                restores previous-* unless 'confirmed' exists; writes 'rolled-back'
 *   confirmed                  written by the confirming connection
 * </pre>
 *
 * A change that was never loaded is removed again ({@link #discard}); a loaded one keeps its
 * directory, for recovery by hand, until it is older than the {@link #KEEP} newest ({@link #prune}).
 *
 * Files delivered over SSH ({@code pki.deliver: ssh}: etcd's TLS files) are compared first
 * ({@link #inspect}), then each is written beside its target with its mode and owner already set
 * ({@link #stageFile}) and all are renamed into place together ({@link #install}).
 *
 * The rollback timer is armed before anything is loaded: a transient systemd timer where systemd
 * runs the host ({@code systemd-run --on-active}), else a detached shell ({@code setsid}, {@code
 * sleep}) that outlives the SSH session. Either way it fires on the node, whether or not Stockade
 * is still running.
 */
public final class NodeProtocol {

    /** The parent of every change's directory. */
    public static final String ROOT = "/var/lib/stockade/apply";

    static final String RULES_V4 = dev.stockade.provision.NodePlanner.RULES_V4;
    static final String RULES_V6 = dev.stockade.provision.NodePlanner.RULES_V6;

    /** The suffix of a file staged beside the one it replaces. */
    static final String NEW = ".stockade-new";

    private NodeProtocol() {}

    static String dir(String id) {
        if (!id.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("bad change id " + id);
        }
        return ROOT + "/" + id;
    }

    /** Where the operator's connection comes from and arrives: {@code CLIENT CPORT SERVER SPORT} and the interface. */
    static String whoAmI() {
        return "set -- $SSH_CONNECTION; echo \"$1 $2 $3 $4\"; ip -o addr show to \"$3\" | awk '{print $2; exit}'";
    }

    /** The rules loaded now, IPv4 then IPv6, separated by a line {@code --stockade-v6--}. */
    static String readLive() {
        return "iptables-save && echo --stockade-v6-- && ip6tables-save";
    }

    /**
     * Whether the node loads rules-save at boot: {@code UNIT STATE} per restore unit, as {@code
     * systemctl is-enabled} says (it reads the unit files, so it answers without a running systemd;
     * an empty state is a unit that does not exist), or {@code no-systemctl}.
     */
    static String restoreUnits() {
        StringBuilder sb = new StringBuilder("if command -v systemctl >/dev/null 2>&1; then for u in");
        for (String u : dev.stockade.provision.NodePlanner.RESTORE_UNITS) {
            sb.append(' ').append(unitName(u));
        }
        return sb.append(
                        "; do echo \"$u $(systemctl is-enabled \"$u\" 2>/dev/null)\"; done; else echo no-systemctl; fi")
                .toString();
    }

    /** Makes the change's directory and saves the live rules into it. */
    static String stage(String id) {
        String d = dir(id);
        return "umask 077 && mkdir -p " + ROOT + " && mkdir " + d + " && iptables-save > " + d + "/previous-v4"
                + " && ip6tables-save > " + d + "/previous-v6";
    }

    /** Writes standard input to {@code file} in the change's directory (mode 0600). */
    static String upload(String id, String file) {
        if (!file.matches("[a-z0-9.-]+")) {
            throw new IllegalArgumentException("bad file name " + file);
        }
        return "umask 077 && cat > " + dir(id) + "/" + file;
    }

    /** Checks the new rules as the kernel would load them, changing nothing. */
    static String test(String id) {
        String d = dir(id);
        return "iptables-restore --test < " + d + "/new-v4 && ip6tables-restore --test < " + d + "/new-v6";
    }

    /** The script the timer runs: back to the previous rules unless the change was confirmed. */
    static String rollbackScript(String id) {
        String d = dir(id);
        return "#!/bin/sh\n"
                + "# Stockade apply " + id + ": restore the rules loaded before the change, unless it was confirmed\n"
                + "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
                + "[ -e " + d + "/confirmed ] && exit 0\n"
                + "iptables-restore < " + d + "/previous-v4\n"
                + "v4=$?\n"
                + "ip6tables-restore < " + d + "/previous-v6\n"
                + "v6=$?\n"
                + "echo \"$(date -u +%Y-%m-%dT%H:%M:%SZ) v4=$v4 v6=$v6\" > " + d + "/rolled-back\n";
    }

    /**
     * Arms the rollback: a transient systemd timer when systemd runs the host, else a detached
     * shell. Prints {@code systemd} or {@code shell}.
     */
    static String arm(String id, long seconds) {
        String d = dir(id);
        return "chmod 0700 " + d + "/rollback.sh && "
                + "if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then "
                + "systemd-run --quiet --unit=" + unit(id) + " --on-active=" + seconds + "s"
                + " --timer-property=AccuracySec=1s /bin/sh " + d + "/rollback.sh && echo systemd; "
                + "else setsid sh -c 'sleep " + seconds + "; exec sh " + d + "/rollback.sh'"
                + " </dev/null >/dev/null 2>&1 & echo shell; fi";
    }

    static String unit(String id) {
        return "stockade-rollback-" + id;
    }

    /**
     * Loads the new rules, IPv4 then IPv6, each table atomically (iptables-restore); when IPv6
     * fails after IPv4 loaded, IPv4 goes back at once, so the rules are never half changed. Exit
     * status 0 loaded, 10 IPv4 refused, 11 IPv6 refused (IPv4 restored).
     */
    static String load(String id) {
        String d = dir(id);
        return "iptables-restore < " + d + "/new-v4 || exit 10; " + "ip6tables-restore < " + d
                + "/new-v6 || { iptables-restore < " + d + "/previous-v4; exit 11; }";
    }

    /**
     * Confirms, from the new connection: marks the change confirmed (the timer then does nothing),
     * stops the timer, and prints {@code rolled-back} if the rollback ran first.
     */
    static String confirm(String id) {
        String d = dir(id);
        return "touch " + d + "/confirmed && { systemctl stop " + unit(id) + ".timer >/dev/null 2>&1; true; } && "
                + "if [ -e " + d + "/rolled-back ]; then echo rolled-back; else echo confirmed; fi";
    }

    /**
     * Makes the confirmed rules the ones loaded at boot: each rules-save replaced atomically
     * (written beside it, then renamed), the one before kept as {@code rules-save.previous}.
     */
    static String persist(String id) {
        String d = dir(id);
        return persistOne(d + "/new-v4", RULES_V4) + " && " + persistOne(d + "/new-v6", RULES_V6);
    }

    private static String persistOne(String from, String to) {
        String dir = to.substring(0, to.lastIndexOf('/'));
        return "mkdir -p " + dir + " && { [ ! -e " + to + " ] || cp -p " + to + " " + to + ".previous; } && cp " + from
                + " " + to + ".stockade-new && chmod 0644 " + to + ".stockade-new && sync " + to + ".stockade-new"
                + " 2>/dev/null; mv -f " + to + ".stockade-new " + to;
    }

    /**
     * One line per file, as {@code MODE OWNER SHA256 PATH} ({@code stat} and {@code sha256sum}),
     * or {@code missing PATH}; then {@code member active} or {@code member inactive}.
     */
    static String inspect(List<String> paths, String memberUnit) {
        StringBuilder files = new StringBuilder();
        for (String p : paths) {
            files.append(' ').append(SshSession.quote(path(p)));
        }
        return "for f in" + files + "; do if [ -f \"$f\" ]; then"
                + " echo \"$(stat -c '%a %U' \"$f\") $(sha256sum < \"$f\" | cut -d' ' -f1) $f\";"
                + " else echo \"missing $f\"; fi; done; "
                + "if systemctl is-active --quiet " + unitName(memberUnit) + " 2>/dev/null;"
                + " then echo member active; else echo member inactive; fi";
    }

    /**
     * Writes standard input beside {@code file}, as {@code file.stockade-new}, with its mode and
     * owner set before it holds anything another user could read (umask 077 while writing). The
     * directory is made readable to all (it holds the CA) if it is new.
     */
    static String stageFile(String file, int mode, String owner) {
        String f = path(file);
        if (!owner.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("bad owner " + owner);
        }
        String next = SshSession.quote(f + NEW);
        return "umask 077 && mkdir -p -m 0755 " + SshSession.quote(f.substring(0, f.lastIndexOf('/'))) + " && cat > "
                + next + " && chown " + owner + " " + next + " && chmod " + String.format("%04o", mode) + " " + next
                + " || { rm -f " + next + "; exit 1; }";
    }

    /**
     * Puts the staged files in place, each by a rename (atomic): flushed first, in the order given,
     * so the private key, named last, appears when everything it goes with is there.
     */
    static String install(List<String> files) {
        StringBuilder staged = new StringBuilder();
        StringBuilder moves = new StringBuilder();
        for (String file : files) {
            String f = path(file);
            staged.append(' ').append(SshSession.quote(f + NEW));
            moves.append(moves.length() == 0 ? "" : " && ")
                    .append("mv -f ")
                    .append(SshSession.quote(f + NEW))
                    .append(' ')
                    .append(SshSession.quote(f));
        }
        return "sync" + staged + " 2>/dev/null; " + moves;
    }

    /** Removes staged files that were never put in place. */
    static String unstage(List<String> files) {
        StringBuilder staged = new StringBuilder();
        for (String file : files) {
            staged.append(' ').append(SshSession.quote(path(file) + NEW));
        }
        return "rm -f" + staged;
    }

    /**
     * Brings the member up with its new files: restarted if it runs (waiting until systemd sees it
     * ready, so two members are never down together), started without waiting if it does not (a
     * new cluster's first member is ready only when the others are up). Prints what it did.
     */
    static String startMember(String memberUnit, boolean changed) {
        String u = unitName(memberUnit);
        return "if systemctl is-active --quiet " + u + "; then "
                + (changed ? "systemctl restart " + u + " && echo restarted; " : "echo running; ")
                + "else systemctl start --no-block " + u + " && echo started; fi";
    }

    /** Restarts {@code unit} if it runs; does nothing otherwise. */
    static String tryRestart(String unit) {
        return "systemctl try-restart " + unitName(unit);
    }

    private static String path(String p) {
        if (!p.matches("/[A-Za-z0-9._/-]+") || p.contains("..")) {
            throw new IllegalArgumentException("bad path " + p);
        }
        return p;
    }

    private static String unitName(String u) {
        if (!u.matches("[A-Za-z0-9@._-]+")) {
            throw new IllegalArgumentException("bad unit " + u);
        }
        return u;
    }

    /** How many change directories a node keeps, at least (the newest), for recovery by hand. */
    static final int KEEP = 10;

    /**
     * Removes finished changes (confirmed or rolled back) beyond the {@link #KEEP} newest; change
     * names begin with their UTC time, so their order is their age. A change neither confirmed nor
     * rolled back is never removed (its timer may be pending).
     */
    static String prune() {
        return prune(ROOT, KEEP);
    }

    static String prune(String root, int keep) {
        String r = SshSession.quote(path(root));
        return "cd " + r + " && n=$(ls | wc -l) && ls | head -n $((n > " + keep + " ? n - " + keep + " : 0))"
                + " | while read -r d; do if [ -e \"$d/confirmed\" ] || [ -e \"$d/rolled-back\" ]; then"
                + " rm -rf -- \"./$d\"; fi; done";
    }

    /**
     * Removes a change that was never loaded (a failed upload, rules the kernel refuses): its timer,
     * if armed, is stopped and its directory deleted (freeing the space a full disk needs); a
     * detached timer then finds no rollback script and does nothing.
     */
    static String discard(String id) {
        return "{ systemctl stop " + unit(id) + ".timer >/dev/null 2>&1; true; } && rm -rf " + dir(id);
    }
}
