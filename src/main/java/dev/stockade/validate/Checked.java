package dev.stockade.validate;

import dev.stockade.report.Finding;
import java.util.List;
import java.util.Optional;

/**
 * A provisioning config's own findings and what it puts on the host; the host is empty when the
 * file could not be read as a config at all (syntax, header, version), so no check runs on it.
 */
record Checked(List<Finding> findings, Optional<HostConfig> host) {

    Checked {
        findings = List.copyOf(findings);
    }
}
