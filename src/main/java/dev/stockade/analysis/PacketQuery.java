package dev.stockade.analysis;

import dev.stockade.iptables.Match;
import dev.stockade.iptables.Option;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a chain does with one concrete packet, and the exact path of rules that decided it: user
 * chains are entered with -j and -g, RETURN goes back, the builtin chain's policy applies at its end.
 * A match Stockade does not model makes the answer {@link Verdict#UNDETERMINED} (never a guess), and
 * names the rule responsible.
 */
public final class PacketQuery {

    public enum Verdict {
        ACCEPT,
        DROP,
        REJECT,
        UNDETERMINED
    }

    /** One step of the path: the rule that matched (or the chain whose policy applied). */
    public record Step(String chain, int index, Optional<Rule> rule, String action) {}

    public record Result(Verdict verdict, List<Step> path, Optional<String> doubt) {}

    private static final Map<String, Integer> PROTOCOLS = Map.of(
            "tcp",
            6,
            "udp",
            17,
            "icmp",
            1,
            "ipv6-icmp",
            58,
            "icmpv6",
            58,
            "esp",
            50,
            "ah",
            51,
            "gre",
            47,
            "sctp",
            132,
            "udplite",
            136);
    private static final Set<String> NEUTRAL_MODULES = Set.of("comment");
    private static final int MAX_DEPTH = 64;

    private final Table table;
    private final List<Step> path = new ArrayList<>();
    private String doubt;

    private PacketQuery(Table table) {
        this.table = table;
    }

    public static Result query(Table table, String chain, Packet p) {
        PacketQuery q = new PacketQuery(table);
        Verdict v = q.builtin(chain, p);
        return new Result(v, q.path, Optional.ofNullable(q.doubt));
    }

    private Verdict builtin(String chain, Packet p) {
        Outcome o = run(chain, p, 0);
        if (o.verdict != null) {
            return o.verdict;
        }
        String policy = table.chain(chain).flatMap(c -> c.policy()).orElse("ACCEPT");
        path.add(new Step(chain, -1, Optional.empty(), "policy " + policy));
        return policy.equals("DROP") ? Verdict.DROP : Verdict.ACCEPT;
    }

    /** verdict null: fell off the end or RETURNed. */
    private record Outcome(Verdict verdict) {}

    private Outcome run(String chain, Packet p, int depth) {
        if (depth > MAX_DEPTH) {
            doubt = "jumps nest deeper than " + MAX_DEPTH + " (a loop?)";
            return new Outcome(Verdict.UNDETERMINED);
        }
        List<Rule> rules = table.rules(chain);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            Boolean m = matches(r, p);
            if (m == null) {
                path.add(new Step(chain, i + 1, Optional.of(r), "cannot be decided"));
                return new Outcome(Verdict.UNDETERMINED);
            }
            if (!m || r.target().isEmpty()) {
                continue;
            }
            String target = r.target().get().name();
            switch (target) {
                case "ACCEPT":
                    path.add(new Step(chain, i + 1, Optional.of(r), "ACCEPT"));
                    return new Outcome(Verdict.ACCEPT);
                case "DROP":
                    path.add(new Step(chain, i + 1, Optional.of(r), "DROP"));
                    return new Outcome(Verdict.DROP);
                case "REJECT":
                    path.add(new Step(chain, i + 1, Optional.of(r), "REJECT"));
                    return new Outcome(Verdict.REJECT);
                case "RETURN":
                    path.add(new Step(chain, i + 1, Optional.of(r), "RETURN"));
                    return new Outcome(null);
                default:
                    if (table.chain(target).isEmpty()) {
                        continue; // LOG, MARK...: no verdict, on to the next rule
                    }
                    boolean isGoto = r.target().get().isGoto();
                    path.add(new Step(chain, i + 1, Optional.of(r), (isGoto ? "goto " : "jump ") + target));
                    Outcome o = run(target, p, depth + 1);
                    if (o.verdict != null || isGoto) {
                        return o;
                    }
            }
        }
        return new Outcome(null);
    }

    /** true/false, or null when the rule uses something the query cannot decide. */
    private Boolean matches(Rule r, Packet p) {
        for (Match m : r.matches()) {
            Boolean b = match(m, p);
            if (b == null) {
                doubt = "cannot decide " + describe(m) + " in "
                        + r.span().map(Object::toString).orElse(r.chain());
                return null;
            }
            if (!b) {
                return false;
            }
        }
        return true;
    }

    private Boolean match(Match m, Packet p) {
        if (m instanceof Match.Address) {
            Match.Address a = (Match.Address) m;
            Prefix addr = a.source() ? p.source() : p.destination();
            return a.negated() != a.prefix().contains(addr);
        }
        if (m instanceof Match.Interface) {
            Match.Interface i = (Match.Interface) m;
            Optional<String> name = i.input() ? p.inInterface() : p.outInterface();
            if (name.isEmpty()) {
                return null;
            }
            boolean hit = i.isWildcard()
                    ? name.get().startsWith(i.name().substring(0, i.name().length() - 1))
                    : name.get().equals(i.name());
            return i.negated() != hit;
        }
        if (m instanceof Match.Protocol) {
            Match.Protocol pr = (Match.Protocol) m;
            if (pr.name().equals("all") || pr.name().equals("0")) {
                return !pr.negated();
            }
            Integer n = pr.name().matches("[0-9]+") ? Integer.valueOf(pr.name()) : PROTOCOLS.get(pr.name());
            return n == null ? null : pr.negated() != (n == p.protocol());
        }
        if (m instanceof Match.Fragment) {
            return ((Match.Fragment) m).negated(); // a query packet is never a later fragment
        }
        return module((Match.Module) m, p);
    }

    private Boolean module(Match.Module m, Packet p) {
        if (NEUTRAL_MODULES.contains(m.name())) {
            return true;
        }
        for (Option o : m.options()) {
            Boolean b;
            try {
                b = option(m.name(), o, p);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                b = null; // service names and other forms not modelled yet
            }
            if (b == null) {
                return null;
            }
            if (b == o.negated()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the option's condition holds (before negation); null if not modelled. */
    private static Boolean option(String module, Option o, Packet p) {
        switch (module + "/" + o.name()) {
            case "tcp/dport":
            case "udp/dport":
            case "tcp/destination-port":
            case "udp/destination-port":
                return p.dport() >= 0 && inPorts(o.value(), p.dport());
            case "tcp/sport":
            case "udp/sport":
            case "tcp/source-port":
            case "udp/source-port":
                return p.sport() >= 0 && inPorts(o.value(), p.sport());
            case "multiport/dports":
            case "multiport/destination-ports":
                return p.dport() >= 0 && inPorts(o.value(), p.dport());
            case "multiport/sports":
            case "multiport/source-ports":
                return p.sport() >= 0 && inPorts(o.value(), p.sport());
            case "multiport/ports":
                return (p.dport() >= 0 && inPorts(o.value(), p.dport()))
                        || (p.sport() >= 0 && inPorts(o.value(), p.sport()));
            case "conntrack/ctstate":
            case "state/state":
                return List.of(o.value().toUpperCase(Locale.ROOT).split(",")).contains(p.state());
            case "icmp/icmp-type":
            case "icmp6/icmpv6-type": {
                // a query packet carries code 0
                Optional<int[]> t = Names.icmp(o.value(), module.equals("icmp6"));
                if (t.isEmpty()) {
                    return null;
                }
                int[] x = t.get();
                return p.icmpType() >= 0 && (x[0] < 0 || (x[0] == p.icmpType() && x[1] == 0));
            }
            default:
                return null;
        }
    }

    static boolean inPorts(String spec, int port) {
        for (String part : spec.split(",")) {
            String[] r = part.split(":", 2);
            int lo = r[0].isEmpty() ? 0 : Integer.parseInt(r[0]);
            int hi = r.length == 1 ? lo : r[1].isEmpty() ? 65535 : Integer.parseInt(r[1]);
            if (port >= lo && port <= hi) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Match m) {
        StringBuilder sb = new StringBuilder();
        m.write(sb);
        return "'" + sb.toString().trim() + "'";
    }
}
