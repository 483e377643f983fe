package dev.stockade.firewall;

import dev.stockade.net.IpFamily;
import dev.stockade.net.PortRange;
import java.util.List;
import java.util.Optional;

/**
 * One thing a node lets in, as the spec intends it: a protocol and ports (or an ICMP type), from
 * which sources, on which input interface. This is both what the compiler turns into rules and
 * what the build summary prints.
 *
 * @param label the spec entry it comes from, e.g. {@code services.https}; also the rule comment
 * @param protocol {@code tcp}, {@code udp} or {@code icmp} (ping)
 * @param sourcesName what the sources are called: the named group or {@code cluster} when the
 *     {@code from:} list is that one name, the label otherwise (nftables names its sets so)
 */
public record Opening(
        String label,
        String protocol,
        List<PortRange> ports,
        Optional<String> inInterface,
        Sources v4,
        Sources v6,
        String sourcesName) {

    public Opening {
        ports = List.copyOf(ports);
    }

    public Sources sources(IpFamily family) {
        return family == IpFamily.V4 ? v4 : v6;
    }

    public String portText() {
        if (ports.isEmpty()) {
            return protocol.equals("icmp") ? "echo" : "-";
        }
        return String.join(",", ports.stream().map(PortRange::toString).toList());
    }
}
