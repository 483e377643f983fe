package dev.stockade.audit;

/**
 * Where an audit's facts come from: this machine ({@link LocalFacts}), a snapshot the collector
 * script wrote ({@link SnapshotFacts}), or a host over SSH. Each probe is asked for once.
 */
public interface FactSource {

    /** The host the facts are about, as the user named it. */
    String host();

    /** Runs or reads one probe; a problem becomes the output's status, never an exception. */
    ProbeOutput collect(Probe probe);

    /** Every probe, in order; a source that gathers them in one go (one SSH command) overrides it. */
    default java.util.Map<Probe, ProbeOutput> collectAll() {
        java.util.Map<Probe, ProbeOutput> out = new java.util.EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            out.put(p, collect(p));
        }
        return out;
    }
}
