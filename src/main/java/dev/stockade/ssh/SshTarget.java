package dev.stockade.ssh;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to connect: {@code user@host}, {@code user@host:port} or {@code user@[v6]:port}.
 *
 * @param host a name, an IPv4 address, or an IPv6 address without brackets
 */
public record SshTarget(String user, String host, int port) {

    private static final Pattern FORM =
            Pattern.compile("([a-z_][a-z0-9_.-]{0,31})@(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

    public SshTarget {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** Parses {@code user@host[:port]}; empty when the text is not of that form. */
    public static Optional<SshTarget> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String host =
                m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new SshTarget(m.group(1), host, port));
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return user + "@" + h + (port == 22 ? "" : ":" + port);
    }
}
