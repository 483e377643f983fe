package dev.stockade.audit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every probe's output for one host: the facts the checks read, whichever way they were
 * collected ({@link FactSource}). The parsed views live beside it ({@link Listener},
 * {@link UnitState}, {@link Settings}), each parsing only what its check needs.
 */
public final class HostFacts {

    private final String host;
    private final Map<Probe, ProbeOutput> outputs;

    HostFacts(String host, Map<Probe, ProbeOutput> outputs) {
        this.host = host;
        this.outputs = Collections.unmodifiableMap(new EnumMap<>(outputs));
    }

    /** Asks {@code source} for every probe ({@link FactSource#collectAll()}). */
    public static HostFacts collect(FactSource source) {
        return new HostFacts(source.host(), source.collectAll());
    }

    public String host() {
        return host;
    }

    public ProbeOutput output(Probe probe) {
        return outputs.get(probe);
    }

    /** How many probes gave their fact. */
    public long collected() {
        return outputs.values().stream().filter(ProbeOutput::ok).count();
    }
}
