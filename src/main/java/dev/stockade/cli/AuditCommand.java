package dev.stockade.cli;

import dev.stockade.audit.Checks;
import dev.stockade.audit.CollectorScript;
import dev.stockade.audit.FactSource;
import dev.stockade.audit.HostFacts;
import dev.stockade.audit.LocalFacts;
import dev.stockade.audit.SnapshotFacts;
import dev.stockade.audit.SshFacts;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import dev.stockade.ssh.SshException;
import dev.stockade.ssh.SshOptions;
import dev.stockade.ssh.SshSession;
import dev.stockade.ssh.SshTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
                    + " strategy) on this machine (--local), over SSH (--ssh), or from snapshots the collector script"
                    + " wrote on hosts that cannot be reached (--snapshot; --print-collector prints the script). Every listening"
                    + " socket is crossed with the exact packet sets of the loaded rules: a finding says which"
                    + " service can be reached, over which family, from whom. Nothing on the host is changed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A snapshot cannot be read, or a bad option.",
            "3:Nothing could be evaluated on a host (unreachable, or no fact collected).",
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
                names = "--ssh",
                paramLabel = "USER@HOST[:PORT]",
                arity = "1..*",
                description = "Audit hosts over SSH (host keys checked strictly against --known-hosts; several hosts"
                        + " are audited concurrently).")
        List<String> ssh;

        @Option(
                names = "--print-collector",
                description = "Print the POSIX shell script that gathers a host's facts for --snapshot, and exit.")
        boolean printCollector;
    }

    @ArgGroup(multiplicity = "0..1")
    Source source;

    @Option(
            names = "--spec",
            paramLabel = "FILE",
            description = "The cluster spec the hosts should follow: adds drift and unintended-exposure checks; without"
                    + " --local, --ssh or --snapshot, every node of the spec is audited over SSH.")
    Path specFile;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "8",
            description = "Hosts audited at once over SSH (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Mixin
    SshConnectionOptions ssh;

    @Mixin
    ReportFormatOption format;

    @Mixin
    FailOnOption failOn;

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PrintWriter out = command.commandLine().getOut();
        if (source != null && source.printCollector) {
            out.print(CollectorScript.text(new Main.Version().getVersion()[0]));
            out.flush();
            return ExitCodes.OK;
        }
        if (source == null && specFile == null) {
            throw new picocli.CommandLine.ParameterException(
                    command.commandLine(), "give --local, --ssh USER@HOST, --snapshot DIR|FILE.tar or --spec FILE");
        }
        Optional<ClusterSpec> spec = specFile == null
                ? Optional.empty()
                : Optional.of(SpecLoader.load(specFile).spec());
        List<Checks.HostAudit> audits;
        if (source == null) {
            audits = overSsh(ssh.targets(spec.get(), spec.get().nodes()), spec);
        } else if (source.local) {
            audits = List.of(Checks.audit(HostFacts.collect(new LocalFacts(localName(), ssh.commandTimeout())), spec));
        } else if (source.snapshots != null) {
            List<FactSource> sources = new ArrayList<>();
            for (Path p : source.snapshots) {
                sources.add(SnapshotFacts.read(p));
            }
            audits = sources.stream()
                    .map(s -> Checks.audit(HostFacts.collect(s), spec))
                    .toList();
        } else {
            List<SshTarget> targets = new ArrayList<>();
            for (String t : source.ssh) {
                targets.add(ssh.parse(t, "--ssh"));
            }
            audits = overSsh(targets, spec);
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
                        g.writeArrayFieldStart("reach");
                        for (dev.stockade.audit.Reachability r : a.reach()) {
                            g.writeStartObject();
                            g.writeStringField("service", r.service());
                            JsonOutput.family(g, r.family());
                            g.writeStringField("sources", r.sources());
                            g.writeBooleanField("anywhere", r.anywhere());
                            g.writeBooleanField("closed", r.closed());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    JsonOutput.findings(g, findings);
                });
            case sarif -> SarifReport.print(out, "stockade/audit/", findings);
            case junit -> JunitReport.print(out, "audit", sections(audits), failOn.threshold());
            case html ->
                HtmlReport.print(
                        out,
                        "Stockade audit: "
                                + String.join(
                                        ", ",
                                        audits.stream()
                                                .map(Checks.HostAudit::host)
                                                .toList()),
                        new Main.Version().getVersion()[0] + ", "
                                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        sections(audits));
            case text -> {
                for (Checks.HostAudit a : audits) {
                    out.println("Audited " + a.host() + " (" + a.factsCollected() + " facts collected).");
                    FindingsReport.printWithSummary(out, bySeverity(a.findings()), "No findings.");
                }
                if (audits.size() > 1) {
                    out.println();
                    summaryTable(audits, failOn.threshold()).forEach(out::println);
                }
            }
        }
        out.flush();
        if (audits.stream().anyMatch(Checks.HostAudit::nothingEvaluated)) {
            return ExitCodes.ENVIRONMENT;
        }
        return failOn.exitCode(findings);
    }

    /** Each host over its own SSH connection, {@link #parallel} at a time; the report keeps the order given. */
    private List<Checks.HostAudit> overSsh(List<SshTarget> targets, Optional<ClusterSpec> spec) {
        if (parallel < 1 || parallel > 256) {
            throw new picocli.CommandLine.ParameterException(
                    command.commandLine(), "--parallel must be 1 to 256, not " + parallel);
        }
        SshOptions options = ssh.options();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(Math.min(parallel, targets.size()));
        try {
            Progress progress = new Progress(command.commandLine().getErr(), targets.size(), Terminal.interactive());
            List<java.util.concurrent.Future<Checks.HostAudit>> futures = new ArrayList<>();
            for (SshTarget t : targets) {
                futures.add(pool.submit(() -> {
                    Checks.HostAudit a = auditOverSsh(t, options, spec);
                    if (targets.size() > 1) {
                        progress.done(a.host(), outcome(a));
                    }
                    return a;
                }));
            }
            List<Checks.HostAudit> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(
                            "auditing " + targets.get(i) + " failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            progress.finish();
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Checks.HostAudit auditOverSsh(SshTarget target, SshOptions options, Optional<ClusterSpec> spec) {
        try (SshSession session = SshSession.open(target, options)) {
            return Checks.audit(HostFacts.collect(new SshFacts(session, ssh.sudo, options.commandTimeout())), spec);
        } catch (SshException e) {
            return Checks.unreachable(target.host(), e.getMessage(), e.hint());
        }
    }

    /** How a host's audit ended, in a few words: its finding count, or why nothing was evaluated. */
    static String outcome(Checks.HostAudit a) {
        if (a.nothingEvaluated()) {
            return a.findings().stream().anyMatch(f -> f.id().equals("AUD-UNREACHABLE"))
                    ? "unreachable"
                    : "nothing collected";
        }
        return a.findings().isEmpty() ? "no findings" : FindingsReport.count(a.findings());
    }

    /**
     * One row per host, in the order audited: facts collected, findings by severity, and the
     * verdict against {@code threshold} ({@code pass}, {@code FAIL}, or why nothing was evaluated).
     */
    static List<String> summaryTable(List<Checks.HostAudit> audits, Severity threshold) {
        int width = Math.max(
                4, audits.stream().mapToInt(a -> a.host().length()).max().orElse(0));
        String format = "%-" + width + "s  %5s  %6s  %8s  %5s  %s";
        List<String> rows = new ArrayList<>();
        rows.add(String.format(format, "HOST", "FACTS", "ERRORS", "WARNINGS", "NOTES", "RESULT")
                .stripTrailing());
        int failed = 0;
        for (Checks.HostAudit a : audits) {
            boolean fails = a.findings().stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0);
            failed += fails || a.nothingEvaluated() ? 1 : 0;
            rows.add(String.format(
                    format,
                    a.host(),
                    a.factsCollected(),
                    count(a, Severity.ERROR),
                    count(a, Severity.WARNING),
                    count(a, Severity.NOTE),
                    a.nothingEvaluated() ? outcome(a) : fails ? "FAIL" : "pass"));
        }
        rows.add(audits.size() + " hosts: " + (audits.size() - failed) + " pass, " + failed + " not.");
        return rows;
    }

    private static long count(Checks.HostAudit a, Severity s) {
        return a.findings().stream().filter(f -> f.severity() == s).count();
    }

    private static List<ReportSection> sections(List<Checks.HostAudit> audits) {
        return audits.stream()
                .map(a -> new ReportSection(
                        a.host(),
                        a.nothingEvaluated() ? "nothing collected" : a.factsCollected() + " facts collected",
                        a.findings(),
                        a.reach()))
                .toList();
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
