package dev.stockade.iptables;

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
