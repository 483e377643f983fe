package dev.stockade.audit;

/**
 * The POSIX shell script {@code stockade audit --print-collector} prints: run on a host (as root,
 * for the firewall and sshd facts), it writes every {@link Probe}'s output, error output and exit
 * status into a directory and packs it into a tar file, for {@code stockade audit --snapshot}. It
 * needs only sh, tar and the probes' own commands; a missing command is recorded (status 127), not
 * fatal, and each probe is limited to {@link #TIMEOUT_SECONDS} seconds where coreutils' timeout exists.
 */
public final class CollectorScript {

    static final int TIMEOUT_SECONDS = 30;

    private CollectorScript() {}

    public static String text(String version) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n")
                .append("# Stockade ")
                .append(version)
                .append(" fact collector. Run as root on the host to audit:\n")
                .append("#   sh collect.sh [DIR]      (default DIR: stockade-facts-HOSTNAME)\n")
                .append("# It writes DIR/NAME.out, NAME.err and NAME.rc per fact and DIR.tar, reads no\n")
                .append("# private key (key files are only stat'ed) and changes nothing on the host.\n")
                .append("# Then: stockade audit --snapshot DIR.tar\n")
                .append("set -u\n")
                .append("PATH=" + Probe.PATH + ":$PATH\n")
                .append("LC_ALL=C\n")
                .append("export PATH LC_ALL\n")
                .append("umask 077\n")
                .append("out=${1:-stockade-facts-$(hostname 2>/dev/null || echo host)}\n")
                .append("mkdir -p \"$out\" || exit 3\n")
                .append("limit=\n")
                .append("if command -v timeout >/dev/null 2>&1; then limit=\"timeout " + TIMEOUT_SECONDS + "\"; fi\n")
                .append("probe() {\n")
                .append("    $limit sh -c \"$2\" >\"$out/$1.out\" 2>\"$out/$1.err\" </dev/null\n")
                .append("    echo $? >\"$out/$1.rc\"\n")
                .append("}\n");
        for (Probe p : Probe.values()) {
            s.append("probe ")
                    .append(p.file())
                    .append(' ')
                    .append(quote(p.command()))
                    .append('\n');
        }
        // relative member names, whether DIR is relative or absolute
        s.append("tar -cf \"$out.tar\" -C \"$(dirname \"$out\")\" \"$(basename \"$out\")\" || exit 3\n")
                .append("echo \"facts in $out/ and $out.tar: stockade audit --snapshot $out.tar\"\n");
        return s.toString();
    }

    static String quote(String text) {
        return dev.stockade.ssh.SshSession.quote(text);
    }
}
