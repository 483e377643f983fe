package dev.stockade.cli;

import dev.stockade.audit.Reachability;
import dev.stockade.report.Finding;
import java.util.List;

/**
 * One part of a findings report: a host an audit looked at, or a file validate checked. The
 * JUnit and HTML writers print one suite or one section per part.
 *
 * @param name the host or file
 * @param about one line on what was looked at ("19 facts collected", "ignition")
 * @param reach who can reach the host's services (audits only; empty otherwise)
 */
record ReportSection(String name, String about, List<Finding> findings, List<Reachability> reach) {

    ReportSection {
        findings = List.copyOf(findings);
        reach = List.copyOf(reach);
    }
}
