package dev.stockade.audit;

import dev.stockade.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A listening socket as {@code ss -H -tulpn} prints it: protocol, local address and port, the
 * interface it is bound to ({@code %eth0}), and the process. {@code *} is a dual-stack socket
 * (IPv4 and IPv6), {@code 0.0.0.0} IPv4 only, {@code [::]} IPv6 only.
 *
 * @param address the address as printed, without brackets and interface
 * @param line the line of the ss output, for findings
 */
public record Listener(String protocol, String address, int port, Optional<String> device, String process, int line) {

    private static final Pattern LOCAL = Pattern.compile("^(\\[[^\\]]*\\]|[^%\\s]*?)(?:%([^:\\s]+))?:(\\d+|\\*)$");
    private static final Pattern PROCESS = Pattern.compile("\\(\\(\"([^\"]*)\",pid=(\\d+)");

    /** The families the socket accepts connections of. */
    public Set<IpFamily> families() {
        if (address.equals("*")) {
            return Set.of(IpFamily.V4, IpFamily.V6);
        }
        return address.contains(":") ? Set.of(IpFamily.V6) : Set.of(IpFamily.V4);
    }

    /** Bound to all addresses of its families (not one address). */
    public boolean wildcard() {
        return address.equals("*") || address.equals("0.0.0.0") || address.equals("::");
    }

    /** Reachable only from this host: a loopback address, or bound to {@code lo}. */
    public boolean loopbackOnly() {
        return address.startsWith("127.")
                || address.equals("::1")
                || address.startsWith("::ffff:127.")
                || device.filter("lo"::equals).isPresent();
    }

    /** {@code tcp/22 (sshd)}. */
    public String describe() {
        return protocol + "/" + port + (process.isEmpty() ? "" : " (" + process + ")");
    }

    /** The listening sockets of {@code ss -H -tulpn} output; lines that do not parse are skipped and counted. */
    static Parsed parse(String text) {
        List<Listener> out = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length < 6 || !(f[0].equals("tcp") || f[0].equals("udp"))) {
                if (!(f.length > 0 && (f[0].equals("Netid") || f[0].startsWith("raw") || f[0].startsWith("u_")))) {
                    bad.add(i + 1);
                }
                continue;
            }
            if (f[0].equals("tcp") && !f[1].equals("LISTEN")) {
                continue;
            }
            Matcher m = LOCAL.matcher(f[4]);
            if (!m.matches() || m.group(3).equals("*")) {
                bad.add(i + 1);
                continue;
            }
            String addr = m.group(1);
            if (addr.startsWith("[")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            Matcher p = PROCESS.matcher(l);
            out.add(new Listener(
                    f[0],
                    addr,
                    Integer.parseInt(m.group(3)),
                    Optional.ofNullable(m.group(2)),
                    p.find() ? p.group(1) : "",
                    i + 1));
        }
        return new Parsed(List.copyOf(out), List.copyOf(bad));
    }

    /** Listeners, and the lines that were not understood. */
    record Parsed(List<Listener> listeners, List<Integer> unreadLines) {}
}
