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

    /** Asks {@code source} for every probe, in order. */
    public static HostFacts collect(FactSource source) {
        Map<Probe, ProbeOutput> out = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            out.put(p, source.collect(p));
        }
        return new HostFacts(source.host(), out);
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
