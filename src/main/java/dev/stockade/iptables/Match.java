package dev.stockade.iptables;

import dev.stockade.net.HostsFile;
import dev.stockade.net.Prefix;
import java.util.List;
import java.util.Objects;

/**
 * One condition of a rule. The generic parts of iptables ({@code -s -d -i -o -p -f}) are records of
 * their own; everything behind {@code -m NAME} is a {@link Module} with its options as written, so
 * every module real rulesets use parses and writes back unchanged; what a module means is the
 * analysis's business. Each match writes itself in iptables-save's form.
 */
public sealed interface Match {

    /** Appends the match, starting with a space. */
    void write(StringBuilder out);

    /** {@code [!] -s PREFIX} or {@code [!] -d PREFIX}. */
    record Address(boolean source, boolean negated, Prefix prefix) implements Match {
        public Address {
            Objects.requireNonNull(prefix);
        }

        @Override
        public void write(StringBuilder out) {
            out.append(negated ? " ! " : " ").append(source ? "-s " : "-d ").append(prefix.toCidr());
        }
    }

    /**
     * {@code [!] -s NAME} or {@code [!] -d NAME} with a host name, which iptables-restore resolves
     * when it loads the rules. A name that resolves to several addresses becomes one rule per
     * address there; here it is the set of those addresses of the file's family ({@code addresses},
     * in the order given), which matches the same packets. An empty set means the name was not
     * resolved: what it matches is unknown.
     */
    record Host(boolean source, boolean negated, String name, List<Prefix> addresses) implements Match {
        public Host {
            if (!HostsFile.isHostName(name)) {
                throw new IllegalArgumentException("not a host name: '" + name + "'");
            }
            addresses = List.copyOf(addresses);
            if (addresses.stream().map(Prefix::family).distinct().count() > 1) {
                throw new IllegalArgumentException("addresses of both families for " + name);
            }
        }

        /** An unresolved name. */
        public static Host of(boolean source, boolean negated, String name) {
            return new Host(source, negated, name, List.of());
        }

        public boolean resolved() {
            return !addresses.isEmpty();
        }

        @Override
        public void write(StringBuilder out) {
            out.append(negated ? " ! " : " ").append(source ? "-s " : "-d ").append(name);
        }
    }

    /**
     * {@code -m set [!] --match-set NAME src|dst} with the set's members known: the addresses of
     * an nftables set (named, or anonymous with {@code name} its text) or of an ipset whose
     * contents were given. It matches exactly the union of {@code members}, all of one family; an
     * empty set matches nothing. (An ipset match whose contents are unknown stays a
     * {@link Module} named {@code set}, which the analysis cannot decide.)
     */
    record AddressSet(boolean source, boolean negated, String name, List<Prefix> members) implements Match {
        public AddressSet {
            Objects.requireNonNull(name);
            members = List.copyOf(members);
            if (members.stream().map(Prefix::family).distinct().count() > 1) {
                throw new IllegalArgumentException("addresses of both families in set " + name);
            }
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m set")
                    .append(negated ? " ! " : " ")
                    .append("--match-set ")
                    .append(name);
            out.append(source ? " src" : " dst");
        }
    }

    /** {@code [!] -i NAME} or {@code [!] -o NAME}; a trailing {@code +} matches every name with that prefix. */
    record Interface(boolean input, boolean negated, String name) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(negated ? " ! " : " ").append(input ? "-i " : "-o ").append(name);
        }

        public boolean isWildcard() {
            return name.endsWith("+");
        }
    }

    /** {@code [!] -p NAME} (lower case name or number, e.g. tcp, ipv6-icmp, 47). */
    record Protocol(boolean negated, String name) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(negated ? " ! " : " ").append("-p ").append(name);
        }
    }

    /** {@code [!] -f}: second and later fragments (IPv4). */
    record Fragment(boolean negated) implements Match {
        @Override
        public void write(StringBuilder out) {
            out.append(negated ? " ! -f" : " -f");
        }
    }

    /** {@code -m NAME [options]}. */
    record Module(String name, List<Option> options) implements Match {
        public Module {
            options = List.copyOf(options);
        }

        public static Module of(String name, Option... options) {
            return new Module(name, List.of(options));
        }

        @Override
        public void write(StringBuilder out) {
            out.append(" -m ").append(name);
            for (Option o : options) {
                o.write(out);
            }
        }
    }
}
