package dev.stockade.spec;

import dev.stockade.report.Diagnostic;
import java.util.List;

/** A spec that loaded without errors, with the warnings found on the way. */
public record LoadedSpec(ClusterSpec spec, List<Diagnostic> warnings) {

    public LoadedSpec {
        warnings = List.copyOf(warnings);
    }
}
