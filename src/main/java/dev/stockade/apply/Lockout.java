package dev.stockade.apply;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.analysis.Verdict;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.util.Optional;

/**
 * The lockout proof: would the planned rules still accept the connection Stockade is using right
 * now? The connection is what the node itself reports ({@code $SSH_CONNECTION}: the operator's
 * address as the node sees it, the node's address and SSH port) and the interface that address is
 * on; the question is asked of the planned INPUT chain with the packet a new connection from
 * there starts with (a TCP SYN, conntrack state derived as the kernel does), exactly, through the
 * same semantics as {@code fw query}.
 */
public final class Lockout {

    /** The operator's SSH connection as the node sees it. */
    public record Connection(
            String client, int clientPort, String server, int serverPort, Optional<String> inInterface) {

        /** Parses {@code CLIENT CPORT SERVER SPORT} and, on the next line, the interface; empty when it is not that. */
        public static Optional<Connection> parse(String text) {
            String[] lines = text.strip().split("\n");
            String[] f = lines[0].strip().split(" ");
            if (f.length != 4 || !f[1].matches("[0-9]{1,5}") || !f[3].matches("[0-9]{1,5}")) {
                return Optional.empty();
            }
            try {
                Prefix.parse(f[0]);
                Prefix.parse(f[2]);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            Optional<String> iif = lines.length > 1 && lines[1].strip().matches("[A-Za-z0-9_.@:-]{1,15}")
                    ? Optional.of(lines[1].strip().replaceFirst("@.*", ""))
                    : Optional.empty();
            return Optional.of(new Connection(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), iif));
        }

        public IpFamily family() {
            return Prefix.parse(client).family();
        }

        @Override
        public String toString() {
            return client + " -> " + server + ":" + serverPort
                    + inInterface.map(i -> " on " + i).orElse("");
        }
    }

    /**
     * What the planned rules do with a new connection like the current one.
     *
     * @param decidedBy the rule that decides, as iptables-save prints it, or the chain policy
     */
    public record Answer(Verdict verdict, String decidedBy) {

        public boolean keepsAccess() {
            return verdict == Verdict.ACCEPT;
        }
    }

    private Lockout() {}

    /** Asks the planned filter table of the connection's family. */
    public static Answer check(Connection c, Table plannedFilter) throws InputException {
        FilterAnalysis a = FilterAnalysis.of(c.family(), plannedFilter);
        Packet p = Packet.of(Prefix.parse(c.client()), Prefix.parse(c.server()), 6)
                .withPorts(c.clientPort(), c.serverPort())
                .withInterfaces(c.inInterface(), Optional.empty());
        PacketQuery.Result r = PacketQuery.query(a, "INPUT", p, false);
        String by = r.path().isEmpty()
                ? "INPUT"
                : r.path()
                        .get(r.path().size() - 1)
                        .rule()
                        .map(x -> x.toSaveLine())
                        .orElse("the " + r.path().get(r.path().size() - 1).chain() + " policy");
        return new Answer(r.verdict(), r.undecided().map(u -> "undecided: " + u).orElse(by));
    }
}
