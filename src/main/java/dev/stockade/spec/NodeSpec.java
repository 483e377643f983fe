package dev.stockade.spec;

import dev.stockade.net.Prefix;
import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * One machine. Addresses are optional: providers often assign them after the first build, and
 * what depends on a missing address is reported as provisional.
 *
 * @param privateV4 address on the private interface (etcd peers talk here)
 * @param privateV6 optional IPv6 address on the private interface
 * @param publicAddresses public addresses, either family
 */
public record NodeSpec(
        String name,
        String hostname,
        Optional<Prefix> privateV4,
        Optional<Prefix> privateV6,
        List<Prefix> publicAddresses,
        SourceSpan span) {

    public NodeSpec {
        publicAddresses = List.copyOf(publicAddresses);
    }

    /** Every address this node is known to have, private first. */
    public List<Prefix> addresses() {
        java.util.ArrayList<Prefix> all = new java.util.ArrayList<>();
        privateV4.ifPresent(all::add);
        privateV6.ifPresent(all::add);
        all.addAll(publicAddresses);
        return all;
    }
}
