package dev.stockade.iptables;

import dev.stockade.net.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * One {@code -A CHAIN ...} line. The generic parts (source, input interface, protocol) are fields;
 * everything behind {@code -m} is a {@link Match}; {@code target} is the {@code -j} argument.
 */
public record Rule(String chain, Optional<Prefix> source, Optional<String> inInterface, Optional<String> protocol,
        List<Match> matches, String target) {

    public Rule {
        matches = List.copyOf(matches);
    }

    /** The rule as iptables-save prints it, without a newline. */
    public String toSaveLine() {
        StringBuilder sb = new StringBuilder(96).append("-A ").append(chain);
        source.ifPresent(s -> sb.append(" -s ").append(s.toCidr()));
        inInterface.ifPresent(i -> sb.append(" -i ").append(i));
        protocol.ifPresent(p -> sb.append(" -p ").append(p));
        for (Match m : matches) {
            m.write(sb);
        }
        return sb.append(" -j ").append(target).toString();
    }

    @Override
    public String toString() {
        return toSaveLine();
    }
}
