package dev.stockade.iptables;

import dev.stockade.net.PortRange;
import java.util.List;
import java.util.Objects;

/**
 * A match module in a rule ({@code -m NAME ...}). Each record writes itself in the exact form
 * {@code iptables-save} prints, so a generated file compares equal to the kernel's dump.
 */
public sealed interface Match {

    /** Appends {@code -m ...} options, starting with a space. */
    void write(StringBuilder out);

    /** {@code -m tcp|udp [--sport P] [--dport P]}: at most one port or range each. */
    record Ports(String protocol, PortRange sport, PortRange dport) implements Match {
        public Ports {
            Objects.requireNonNull(protocol);
            if (sport == null && dport == null) {
                throw new IllegalArgumentException("a port match needs a source or destination port");
            }
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m ").append(protocol);
            if (sport != null) {
                out.append(" --sport ").append(sport.toIptables());
            }
            if (dport != null) {
                out.append(" --dport ").append(dport.toIptables());
            }
        }
    }

    /** {@code -m multiport --dports a,b:c}: up to 15 ports, where a range counts twice. */
    record Multiport(List<PortRange> dports) implements Match {
        public static final int MAX_SLOTS = 15;

        public Multiport {
            dports = List.copyOf(dports);
            if (dports.isEmpty() || slots(dports) > MAX_SLOTS) {
                throw new IllegalArgumentException("multiport takes 1 to 15 port slots");
            }
        }

        public static int slots(List<PortRange> ports) {
            return ports.stream().mapToInt(p -> p.isSingle() ? 1 : 2).sum();
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m multiport --dports ");
            for (int i = 0; i < dports.size(); i++) {
                out.append(i == 0 ? "" : ",").append(dports.get(i).toIptables());
            }
        }
    }

    /** {@code -m conntrack --ctstate A,B}, states in the order iptables-save prints them. */
    record Conntrack(List<String> states) implements Match {
        public Conntrack {
            states = List.copyOf(states);
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m conntrack --ctstate ").append(String.join(",", states));
        }
    }

    /** {@code -m icmp --icmp-type T[/C]} (IPv4); a negative code means any code. */
    record Icmp(int type, int code) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(" -m icmp --icmp-type ").append(type);
            if (code >= 0) {
                out.append('/').append(code);
            }
        }
    }

    /** {@code -m icmp6 --icmpv6-type T} (IPv6). */
    record Icmp6(int type) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(" -m icmp6 --icmpv6-type ").append(type);
        }
    }

    /** {@code -m hl --hl-eq N}: IPv6 hop limit, 255 proves a neighbour-discovery packet is on-link. */
    record HopLimit(int equals) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(" -m hl --hl-eq ").append(equals);
        }
    }

    /** {@code -m comment --comment "TEXT"}: iptables-save always double-quotes comments. */
    record Comment(String text) implements Match {
        public Comment {
            if (text.isEmpty() || text.length() > 255 || text.indexOf('\n') >= 0 || text.indexOf('"') >= 0) {
                throw new IllegalArgumentException("comment must be 1-255 characters without quotes or newlines");
            }
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m comment --comment \"").append(text).append('"');
        }
    }
}
