package dev.stockade.it;

import dev.stockade.it.DiffFamily.Far;
import dev.stockade.it.Shot.Kind;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/** Random packets for the differential test: which kinds, to where, with which fields. */
final class RandomShots {

    /** Ports with a TCP and a UDP listener on the server and the far host; most packets go to one of them. */
    static final int[] PORTS = {22, 25, 53, 80, 123, 443, 1000, 1023, 1024, 3306, 5000, 8080, 8443, 40000, 65535};

    /** Percent of packets sent through the server (FORWARD) rather than to it (INPUT). */
    private static final int FORWARD_PERCENT = 35;

    private static final int[] SYN_FLAGS = {
        Shot.SYN,
        Shot.SYN,
        Shot.SYN,
        Shot.SYN,
        Shot.SYN,
        Shot.SYN | Shot.ECE | Shot.CWR,
        Shot.SYN | Shot.PSH,
        Shot.SYN | Shot.URG
    };
    private static final int[] OTHER_FLAGS = {
        Shot.SYN | Shot.ACK,
        Shot.ACK,
        Shot.ACK,
        Shot.FIN,
        Shot.RST,
        Shot.FIN | Shot.ACK,
        Shot.SYN | Shot.FIN,
        0,
        Shot.PSH | Shot.ACK,
        Shot.RST | Shot.ACK,
        Shot.ACK | Shot.URG,
        Shot.FIN | Shot.PSH | Shot.URG,
        0xFF,
        Shot.SYN | Shot.RST,
        Shot.ACK | Shot.ECE | Shot.CWR,
        Shot.FIN | Shot.ACK | Shot.URG,
        Shot.PSH,
        Shot.SYN | Shot.ACK | Shot.ECE,
        0x3F,
        Shot.ECE | Shot.CWR
    };
    /** {type, code} of ICMP messages other than echo requests: errors, replies, requests that open no flow... */
    private static final int[][] ICMP_OTHER = {
        {0, 0}, {3, 0}, {3, 1}, {3, 3}, {3, 3}, {3, 4}, {3, 10}, {3, 13}, {4, 0}, {5, 1}, {11, 0}, {11, 1}, {12, 0},
        {13, 0}, {14, 0}, {15, 0}, {17, 0}, {18, 0}, {9, 0}, {42, 0}
    };

    private static final int[][] ICMP6_OTHER = {
        {129, 0}, {1, 0}, {1, 1}, {1, 3}, {1, 4}, {1, 4}, {2, 0}, {3, 0}, {3, 1}, {4, 0}, {4, 1}, {139, 0}, {140, 0},
        {200, 0}, {100, 0}
    };
    private static final int[] ND_MLD = {130, 131, 132, 133, 134, 135, 135, 136, 137, 143};

    private RandomShots() {}

    /** A random packet from source port (identifier) {@code sport}. */
    static Shot next(Random r, DiffFamily fam, int sport) {
        String src = fam.sourceAddresses().get(r.nextInt(fam.sources().size()));
        boolean forward = r.nextInt(100) < FORWARD_PERCENT;
        String dst;
        Optional<String> oface = Optional.empty();
        if (forward) {
            int f = r.nextInt(10);
            Far far = fam.farAddresses().get(f < 5 ? 0 : f < 7 ? 1 : 2);
            dst = far.address();
            oface = Optional.of(far.oface());
        } else {
            int d = r.nextInt(10);
            dst = fam.serverAddresses().get(d < 6 ? 0 : d < 8 ? 1 : 2);
        }
        Kind kind = kind(r, fam.v6());
        String chain = forward ? "FORWARD" : "INPUT";
        int ttl = ttl(r, forward);
        int port = PORTS[r.nextInt(PORTS.length)];
        return switch (kind) {
            case TCP_SYN -> tcp(kind, chain, src, dst, oface, sport, port(r, 7), ttl, pick(r, SYN_FLAGS));
            case TCP_FLAGS -> tcp(kind, chain, src, dst, oface, sport, port(r, 5), ttl, pick(r, OTHER_FLAGS));
            case UDP -> new Shot(kind, chain, "udp", src, dst, oface, sport, port(r, 7), ttl, 0, -1, -1);
            case ICMP_ECHO -> icmp(kind, chain, src, dst, oface, sport, 0, ttl, fam.echoType(), echoCode(r));
            case ICMP_OTHER -> {
                int[] tc = fam.v6()
                        ? ICMP6_OTHER[r.nextInt(ICMP6_OTHER.length)]
                        : ICMP_OTHER[r.nextInt(ICMP_OTHER.length)];
                yield icmp(kind, chain, src, dst, oface, sport, port, ttl, tc[0], tc[1]);
            }
            case ND_MLD -> {
                int type = ND_MLD[r.nextInt(ND_MLD.length)];
                // neighbour discovery travels with hop limit 255, MLD with 1 (which no router forwards)
                int hops = type >= 133 && type <= 137 || forward ? 255 : 1;
                yield icmp(kind, chain, src, dst, oface, sport, 0, hops, type, 0);
            }
            case ESTABLISHED -> established(r, fam, chain, src, dst, oface, sport, port, ttl);
            case RELATED -> {
                int[][] errors = fam.v6()
                        ? new int[][] {{1, 4}, {1, 4}, {1, 1}, {1, 3}, {3, 0}, {2, 0}}
                        : new int[][] {{3, 3}, {3, 3}, {3, 1}, {3, 13}, {11, 0}, {12, 0}};
                int[] tc = errors[r.nextInt(errors.length)];
                yield icmp(kind, chain, src, dst, oface, sport, port, ttl, tc[0], tc[1]);
            }
        };
    }

    private static Kind kind(Random r, boolean v6) {
        // percent per kind, in the order of Kind
        int[] weights = v6 ? new int[] {22, 14, 16, 10, 12, 10, 12, 4} : new int[] {24, 16, 18, 12, 14, 0, 12, 4};
        int roll = r.nextInt(100);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < kinds.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return kinds[i];
            }
        }
        throw new AssertionError("weights do not add up to 100");
    }

    private static Shot established(
            Random r,
            DiffFamily fam,
            String chain,
            String src,
            String dst,
            Optional<String> oface,
            int sport,
            int port,
            int ttl) {
        int p = r.nextInt(10);
        if (p < 5) {
            int flags = pick(r, new int[] {Shot.ACK, Shot.ACK, Shot.PSH | Shot.ACK, Shot.FIN | Shot.ACK});
            return tcp(Kind.ESTABLISHED, chain, src, dst, oface, sport, port, ttl, flags);
        }
        if (p < 8) {
            return new Shot(Kind.ESTABLISHED, chain, "udp", src, dst, oface, sport, port, ttl, 0, -1, -1);
        }
        return icmp(Kind.ESTABLISHED, chain, src, dst, oface, sport, 0, ttl, fam.echoType(), 0);
    }

    private static Shot tcp(
            Kind kind,
            String chain,
            String src,
            String dst,
            Optional<String> oface,
            int sport,
            int dport,
            int ttl,
            int flags) {
        return new Shot(kind, chain, "tcp", src, dst, oface, sport, dport, ttl, flags, -1, -1);
    }

    private static Shot icmp(
            Kind kind,
            String chain,
            String src,
            String dst,
            Optional<String> oface,
            int sport,
            int dport,
            int ttl,
            int type,
            int code) {
        return new Shot(kind, chain, "icmp", src, dst, oface, sport, dport, ttl, 0, type, code);
    }

    private static int echoCode(Random r) {
        return r.nextInt(5) == 0 ? 1 + r.nextInt(255) : 0;
    }

    /** A listened port, or now and then (one in {@code oneIn}) a closed one. */
    private static int port(Random r, int oneIn) {
        int port = PORTS[r.nextInt(PORTS.length)];
        if (r.nextInt(oneIn) == 0) {
            for (int i = 0; i < 100 && listened(port); i++) {
                port = 1 + r.nextInt(65535); // a closed port: an accepted packet gets RST or port-unreachable
            }
        }
        return port;
    }

    static boolean listened(int port) {
        return Arrays.stream(PORTS).anyMatch(p -> p == port);
    }

    /**
     * A TTL (hop limit) to send with: mostly common ones, never the client's own (its kernel's packets
     * are dropped on the way out), nor the one of set-up packets, nor one the server cannot forward.
     */
    static int ttl(Random r, boolean forward) {
        int[] common = {64, 64, 64, 64, 64, 63, 65, 128, 255, 254, 1, 2, 30, 100};
        for (int i = 0; i < 100; i++) {
            int t = r.nextInt(4) == 0 ? 1 + r.nextInt(255) : common[r.nextInt(common.length)];
            boolean reserved = t == QueryDifferentialIT.CLIENT_TTL
                    || (forward
                            ? t <= 1 || t == QueryDifferentialIT.SETUP_TTL + 1
                            : t == QueryDifferentialIT.SETUP_TTL);
            if (!reserved) {
                return t;
            }
        }
        return 64;
    }

    private static int pick(Random r, int[] options) {
        return options[r.nextInt(options.length)];
    }
}
