package dev.stockade.iptables;

import dev.stockade.net.HostsFile;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Problems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives host names in {@code -s}/{@code -d} their addresses from a hosts file, once the file's
 * family is known: iptables-restore resolves a name to the addresses of its own family only
 * (ip6tables-restore fails on a name that has none). Names left unresolved stay unknown to the
 * analysis; each gets one warning, at its first use.
 */
final class HostResolution {

    private HostResolution() {}

    static List<Table> resolve(
            List<Table> tables, IpFamily family, HostsFile hosts, List<RuleReader.HostUse> uses, Problems problems) {
        if (uses.isEmpty()) {
            return tables;
        }
        warn(family, hosts, uses, problems);
        List<Table> out = new ArrayList<>(tables.size());
        for (Table t : tables) {
            List<Rule> rules = new ArrayList<>(t.rules().size());
            for (Rule r : t.rules()) {
                rules.add(resolve(r, family, hosts));
            }
            out.add(new Table(t.name(), t.chains(), rules));
        }
        return out;
    }

    private static Rule resolve(Rule r, IpFamily family, HostsFile hosts) {
        if (r.matches().stream().noneMatch(m -> m instanceof Match.Host)) {
            return r;
        }
        List<Match> matches = new ArrayList<>(r.matches().size());
        for (Match m : r.matches()) {
            if (m instanceof Match.Host) {
                Match.Host h = (Match.Host) m;
                m = new Match.Host(h.source(), h.negated(), h.name(), hosts.addresses(h.name(), family));
            }
            matches.add(m);
        }
        return new Rule(r.chain(), matches, r.target(), r.counters(), r.span());
    }

    private static void warn(IpFamily family, HostsFile hosts, List<RuleReader.HostUse> uses, Problems problems) {
        Set<String> warned = new HashSet<>();
        Set<String> negatedWarned = new HashSet<>();
        for (RuleReader.HostUse u : uses) {
            List<Prefix> all = hosts.addresses(u.name());
            List<Prefix> mine = hosts.addresses(u.name(), family);
            if (mine.isEmpty() && warned.add(u.name())) {
                problems.warn(
                        u.where(),
                        "IPT-HOSTNAME",
                        all.isEmpty()
                                ? "'" + u.name() + "' is a host name, which iptables-restore resolves when it loads"
                                        + " the rules; unresolved here, so what its rules match is unknown"
                                : "'" + u.name() + "' has no " + family + " address in the hosts file; unresolved",
                        all.isEmpty()
                                ? "give its addresses in a hosts(5) file (--hosts FILE)"
                                : "the " + family + " tool fails on a name without an address of its family"
                                        + " ('host/network not found'); add one");
            }
            if (u.negated() && mine.size() > 1 && negatedWarned.add(u.name())) {
                problems.warn(
                        u.where(),
                        "IPT-HOSTNAME",
                        "'! " + u.name() + "': the name has " + mine.size() + " addresses, and iptables-restore"
                                + " refuses '!' with several addresses; analysed as none of them",
                        "write the addresses as separate rules, or use an ipset");
            }
        }
    }
}
