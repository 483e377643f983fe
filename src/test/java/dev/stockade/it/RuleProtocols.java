package dev.stockade.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The protocol part of a random rule: -p, ports and port lists, TCP flags, ICMP and ICMPv6 types and codes. */
final class RuleProtocols {

    /** The TCP flags iptables names in --tcp-flags (it has no names for ECE and CWR). */
    private static final List<String> FLAGS = List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG");

    private RuleProtocols() {}

    /** Appends a protocol match (and its port, flag or type matches); returns the positive protocol, if any. */
    static String protocol(StringBuilder sb, Random r, DiffFamily fam, Set<String> bugs) {
        int pick = r.nextInt(20);
        if (pick >= 15) {
            return null;
        }
        if (pick >= 13) {
            sb.append(" ! -p ").append(pick(r, "tcp", "udp", fam.icmpName()));
            return null;
        }
        if (pick == 12) {
            sb.append(pick(r, " -p all", fam.v6() ? " -p icmp" : " -p ipv6-icmp")); // all, or the other family's ICMP
            return null;
        }
        String proto = pick < 5 ? "tcp" : pick < 9 ? "udp" : "icmp";
        boolean numeric = r.nextInt(5) == 0;
        switch (proto) {
            case "tcp" -> sb.append(" -p ").append(numeric ? "6" : "tcp");
            case "udp" -> sb.append(" -p ").append(numeric ? "17" : "udp");
            default -> sb.append(" -p ").append(fam.v6() ? pick(r, "ipv6-icmp", "icmpv6", "58") : pick(r, "icmp", "1"));
        }
        if (proto.equals("icmp")) {
            if (r.nextInt(10) < 7) {
                sb.append(fam.v6() ? " -m icmp6" : " -m icmp")
                        .append(r.nextInt(5) == 0 ? " !" : "")
                        .append(fam.v6() ? " --icmpv6-type " : " --icmp-type ")
                        .append(icmpType(r, fam, bugs));
            }
            return proto;
        }
        // whether tcp options may follow: after the tcp module's options, or (-p tcp, or -p 6 where
        // Stockade once refused it) implicitly
        boolean follow = (!numeric || bugs.contains("numeric-proto")) && r.nextBoolean();
        if (r.nextInt(10) < 6) {
            follow = ports(sb, r, proto, numeric, bugs);
        }
        if (proto.equals("tcp") && r.nextInt(3) == 0) {
            sb.append(follow ? "" : " -m tcp");
            sb.append(r.nextInt(5) == 0 ? " !" : "");
            if (r.nextInt(3) == 0) {
                sb.append(" --syn");
            } else {
                sb.append(" --tcp-flags ").append(tcpFlags(r, bugs));
            }
        }
        return proto;
    }

    /** Port matches; returns whether more options of the tcp/udp module may follow (not after multiport). */
    private static boolean ports(StringBuilder sb, Random r, String proto, boolean numeric, Set<String> bugs) {
        String not = r.nextInt(5) == 0 ? " !" : "";
        switch (r.nextInt(7)) {
            case 0 ->
                sb.append(" -m ").append(proto).append(not).append(" --dport ").append(ports(r, proto, !not.isEmpty()));
            // implicit -m tcp/udp; the parser once only knew it after a protocol name, not "-p 6"
            case 1 -> {
                boolean explicit = numeric && !bugs.contains("numeric-proto");
                sb.append(explicit ? " -m " + proto : "")
                        .append(not)
                        .append(" --dport ")
                        .append(ports(r, proto, !not.isEmpty()));
            }
            case 2, 3 -> {
                sb.append(" -m multiport").append(not).append(" --dports ").append(portList(r));
                return false;
            }
            case 4 ->
                sb.append(" -m ").append(proto).append(not).append(" --sport ").append(sourcePorts(r));
            case 5 -> {
                sb.append(" -m multiport")
                        .append(not)
                        .append(r.nextBoolean() ? " --sports " : " --ports ")
                        .append(r.nextBoolean() ? portList(r) : sourcePorts(r));
                return false;
            }
            default ->
                sb.append(" -m ")
                        .append(proto)
                        .append(" --sport ")
                        .append(sourcePorts(r))
                        .append(not)
                        .append(" --dport ")
                        .append(ports(r, proto, !not.isEmpty()));
        }
        return true;
    }

    /** MASK COMP of --tcp-flags: the well-known pairs, or random subsets of the six flags iptables names. */
    private static String tcpFlags(Random r, Set<String> bugs) {
        if (bugs.contains("tcp-flags-all") && r.nextInt(3) == 0) {
            return pick(r, "ALL NONE", "ALL ALL", "ALL SYN", "ALL FIN,PSH,URG", "ALL ACK", "ALL SYN,ACK");
        }
        if (r.nextBoolean()) {
            List<String> known = new ArrayList<>(List.of(
                    "SYN,RST,ACK,FIN SYN",
                    "FIN,SYN,RST,ACK SYN",
                    "SYN,FIN SYN,FIN",
                    "SYN,RST SYN,RST",
                    "FIN,RST FIN,RST",
                    "ACK,FIN FIN",
                    "ACK,PSH PSH",
                    "ACK,URG URG",
                    "SYN,ACK SYN,ACK",
                    "FIN,SYN,RST,PSH,ACK,URG NONE",
                    "FIN,SYN,RST,PSH,ACK,URG FIN,PSH,URG",
                    "FIN,SYN,RST,ACK ACK",
                    "SYN,ACK ACK"));
            return known.get(r.nextInt(known.size()));
        }
        int mask = 1 + r.nextInt(63);
        int comp = mask & r.nextInt(64);
        return names(mask) + " " + names(comp);
    }

    private static String names(int bits) {
        if (bits == 0) {
            return "NONE";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAGS.size(); i++) {
            if ((bits & 1 << i) != 0) {
                names.add(FLAGS.get(i));
            }
        }
        return String.join(",", names);
    }

    private static String icmpType(Random r, DiffFamily fam, Set<String> bugs) {
        if (bugs.contains("icmp-code") && r.nextInt(4) == 0) {
            return fam.v6() ? pick(r, "128/1", "128/3") : pick(r, "8/1", "8/3"); // the code was once ignored
        }
        if (bugs.contains("icmpv6-names") && fam.v6() && r.nextInt(4) == 0) {
            return "echo-request"; // ICMPv6 type names were once read as ICMP ones (8, not 128)
        }
        return fam.v6()
                ? pick(
                        r,
                        "128",
                        "128",
                        "128/0",
                        "129",
                        "1",
                        "1/4",
                        "1/3",
                        "2",
                        "3",
                        "4",
                        "4/1",
                        "133",
                        "134",
                        "135",
                        "136",
                        "137",
                        "130",
                        "131",
                        "143",
                        "139",
                        "neighbour-solicitation",
                        "neighbor-advertisement",
                        "router-solicitation",
                        "redirect",
                        "echo-reply",
                        "packet-too-big",
                        "time-exceeded",
                        "port-unreachable")
                : pick(
                        r,
                        "8",
                        "8",
                        "echo-request",
                        "8/0",
                        "0",
                        "echo-reply",
                        "3",
                        "3/3",
                        "3/1",
                        "3/13",
                        "destination-unreachable",
                        "port-unreachable",
                        "host-unreachable",
                        "11",
                        "time-exceeded",
                        "13",
                        "timestamp-request",
                        "14",
                        "5",
                        "4",
                        "12",
                        "parameter-problem",
                        "17");
    }

    private static int port(Random r) {
        int p = RandomShots.PORTS[r.nextInt(RandomShots.PORTS.length)];
        return switch (r.nextInt(8)) {
            case 0 -> Math.max(1, p - 1);
            case 1 -> Math.min(65535, p + 1);
            case 2 -> 1 + r.nextInt(65535);
            default -> p;
        };
    }

    /**
     * A port or a range, now and then open-ended or (udp only: iptables refuses it for tcp) reversed,
     * which matches nothing. Negated, never every port: iptables-nft 1.8.9 loads {@code ! --dport :65535}
     * (which matches nothing) as no port match at all (which matches everything).
     */
    private static String ports(Random r, String proto, boolean negated) {
        if (r.nextInt(3) > 0) {
            return Integer.toString(port(r));
        }
        int a = port(r);
        int b = port(r);
        return switch (r.nextInt(12)) {
            case 0 -> ":" + (negated ? Math.min(b, 65534) : b);
            case 1 -> a + ":";
            case 2 ->
                proto.equals("udp") ? Math.max(a, b) + ":" + Math.min(a, b) : Math.min(a, b) + ":" + Math.max(a, b);
            default -> Math.min(a, b) + ":" + Math.max(a, b);
        };
    }

    /** Up to four ports or closed ranges (multiport takes no open ends). */
    private static String portList(Random r) {
        int items = 1 + r.nextInt(4);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            int a = port(r);
            int b = port(r);
            list.add(r.nextInt(3) == 0 && a != b ? Math.min(a, b) + ":" + Math.max(a, b) : Integer.toString(a));
        }
        return String.join(",", list);
    }

    private static String sourcePorts(Random r) {
        int a = 1 + r.nextInt(65535);
        int b = 1 + r.nextInt(65535);
        return switch (r.nextInt(5)) {
            case 0 -> "1024:65535";
            case 1 -> "1:1023";
            case 2 -> Integer.toString(a);
            default -> Math.min(a, b) + ":" + Math.max(a, b);
        };
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
