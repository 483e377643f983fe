package dev.stockade.validate;

import dev.stockade.report.Finding;
import java.util.List;

/** A provisioning config's own findings and, as far as it could be read, what it puts on the host. */
record Checked(List<Finding> findings, HostConfig host) {

    Checked {
        findings = List.copyOf(findings);
    }
}
