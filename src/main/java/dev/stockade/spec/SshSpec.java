package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;

/**
 * Administrative SSH access. An empty {@code from} closes SSH everywhere and masks sshd.
 *
 * @param keys authorized keys for the {@code core} user
 */
public record SshSpec(List<SourceRef> from, List<String> keys, int port, SourceSpan span) {

    public SshSpec {
        from = List.copyOf(from);
        keys = List.copyOf(keys);
    }

    public boolean isOpen() {
        return !from.isEmpty();
    }
}
