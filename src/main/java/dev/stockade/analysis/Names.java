package dev.stockade.analysis;

import dev.stockade.iptables.IcmpType;
import dev.stockade.iptables.IcmpTypes;
import dev.stockade.net.IpFamily;
import dev.stockade.net.IpProtocol;
import dev.stockade.net.Services;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Protocol, ICMP type and service names as the encoder reads them, from the model's tables
 * ({@link IpProtocol}, {@link IcmpTypes}, {@link Services}).
 */
final class Names {

    private Names() {}

    /** Protocol number for a name or number; -1 for "all"; empty when unknown. */
    static Optional<Integer> protocol(String name) {
        OptionalInt n = IpProtocol.number(name);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(n.getAsInt() == 0 ? -1 : n.getAsInt());
    }

    /**
     * {type, codeLo, codeHi} for "8", "3/4", "echo-request"; type -1 for "any"; empty when unknown.
     * Kept in this shape for PacketQuery; the encoder reads {@link IcmpTypes} directly.
     */
    static Optional<int[]> icmp(String text, boolean v6) {
        if (IcmpTypes.isAny(text)) {
            return Optional.of(new int[] {-1, 0, 255});
        }
        Optional<IcmpType> t = IcmpTypes.lookup(text, v6 ? IpFamily.V6 : IpFamily.V4);
        return t.map(x -> new int[] {x.type(), x.codeLo(), x.codeHi()});
    }

    /** A port number or service name; -1 when unknown. */
    static int port(String text) {
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(text);
            return n <= 65535 ? n : -1;
        }
        return Services.port(text).orElse(-1);
    }
}
