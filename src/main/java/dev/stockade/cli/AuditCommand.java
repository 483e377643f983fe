package dev.stockade.cli;

import dev.stockade.audit.Checks;
import dev.stockade.audit.CollectorScript;
import dev.stockade.audit.FactSource;
import dev.stockade.audit.HostFacts;
import dev.stockade.audit.LocalFacts;
import dev.stockade.audit.SnapshotFacts;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade audit}: what a live host really exposes, and how it is hardened. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Audit a live host: real exposure, hardening, etcd TLS.",
            "Collects facts (the loaded iptables and ip6tables rules, native nftables tables, listening sockets,"
                    + " groups, systemd units, sshd -T, SELinux, the docker socket, the running etcd, the update"
                    + " strategy) on this machine (--local) or from snapshots the collector script wrote on hosts"
                    + " that cannot be reached (--snapshot; --print-collector prints the script). Every listening"
                    + " socket is crossed with the exact packet sets of the loaded rules: a finding says which"
                    + " service can be reached, over which family, from whom. Nothing on the host is changed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A snapshot cannot be read, or a bad option.",
            "3:Nothing could be evaluated on a host (no fact collected).",
            "4:Internal error (a bug in Stockade)."
        })
final class AuditCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    /** Where the facts come from: exactly one. */
    static final class Source {
        @Option(names = "--local", description = "Audit this machine (as root, for the firewall and sshd facts).")
        boolean local;

        @Option(
                names = "--snapshot",
                paramLabel = "DIR|FILE.tar",
                arity = "1..*",
                description = "Audit the facts the collector script wrote on a host (a directory or its tar file).")
        List<Path> snapshots;

        @Option(
                names = "--print-collector",
                description = "Print the POSIX shell script that gathers a host's facts for --snapshot, and exit.")
        boolean printCollector;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Time limit per fact-gathering command with --local (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    ReportFormatOption format;

    @Mixin
    FailOnOption failOn;

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PrintWriter out = command.commandLine().getOut();
        if (source.printCollector) {
            out.print(CollectorScript.text(new Main.Version().getVersion()[0]));
            out.flush();
            return ExitCodes.OK;
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new picocli.CommandLine.ParameterException(
                    command.commandLine(), "--timeout must be 1 to 3600 seconds, not " + timeoutSeconds);
        }
        List<FactSource> sources = new ArrayList<>();
        if (source.local) {
            sources.add(new LocalFacts(localName(), Duration.ofSeconds(timeoutSeconds)));
        } else {
            for (Path p : source.snapshots) {
                sources.add(SnapshotFacts.read(p));
            }
        }
        List<Checks.HostAudit> audits = new ArrayList<>();
        for (FactSource s : sources) {
            audits.add(Checks.audit(HostFacts.collect(s)));
        }
        List<Finding> findings = new ArrayList<>();
        audits.forEach(a -> findings.addAll(a.findings()));
        switch (format.format) {
            case json ->
                JsonOutput.print(out, g -> {
                    g.writeArrayFieldStart("hosts");
                    for (Checks.HostAudit a : audits) {
                        g.writeStartObject();
                        g.writeStringField("host", a.host());
                        g.writeNumberField("factsCollected", a.factsCollected());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    JsonOutput.findings(g, findings);
                });
            case sarif -> SarifReport.print(out, "stockade/audit/", findings);
            case text -> {
                for (Checks.HostAudit a : audits) {
                    out.println("Audited " + a.host() + " (" + a.factsCollected() + " facts collected).");
                    FindingsReport.printWithSummary(out, bySeverity(a.findings()), "No findings.");
                }
            }
        }
        out.flush();
        if (audits.stream().anyMatch(Checks.HostAudit::nothingEvaluated)) {
            return ExitCodes.ENVIRONMENT;
        }
        return failOn.exitCode(findings);
    }

    /** Errors first, then warnings, then notes; the order of the checks within each. */
    private static List<Finding> bySeverity(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparing((Finding f) -> f.severity()).reversed());
        return sorted;
    }

    private static String localName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
