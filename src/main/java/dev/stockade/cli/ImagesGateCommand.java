package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.scan.Gate;
import dev.stockade.scan.GateResult;
import dev.stockade.scan.IgnoreEntry;
import dev.stockade.scan.IgnoreFile;
import dev.stockade.scan.ScanReport;
import dev.stockade.scan.ScanReports;
import dev.stockade.scan.ScanSeverity;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade images gate REPORT...}: fail a pipeline on the vulnerabilities scan reports list. */
@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        description = {
            "Fail a pipeline on vulnerabilities a scanner found.",
            "Reads Trivy JSON reports (trivy image --format json) and Clair v4 vulnerability reports, told apart"
                    + " by their keys. Every vulnerability at or above --severity that no ignore entry covers is"
                    + " listed with its place in the report and what to do; those below are counted in the"
                    + " summary. '-' reads standard input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No vulnerability at or above --severity, after --ignore and --ignore-unfixed.",
            "1:Vulnerabilities at or above --severity.",
            "2:A report or the ignore file cannot be read or is malformed, or a bad option.",
            "4:Internal error (a bug in Stockade)."
        })
final class ImagesGateCommand implements Callable<Integer> {

    static final long MAX_BYTES = 64L << 20;

    /** The levels of {@code --severity}, as typed. */
    enum Level {
        unknown,
        low,
        medium,
        high,
        critical;

        ScanSeverity severity() {
            return ScanSeverity.valueOf(name().toUpperCase(Locale.ROOT));
        }
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(
            paramLabel = "REPORT",
            arity = "1..*",
            description = "Scan reports to read: Trivy JSON or Clair v4 ('-' for standard input).")
    List<String> reports;

    @Option(
            names = "--severity",
            paramLabel = "LEVEL",
            defaultValue = "high",
            description = "Fail on vulnerabilities at this level or worse: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}).")
    Level severity;

    @Option(names = "--ignore-unfixed", description = "Do not fail on vulnerabilities that have no fixed version yet.")
    boolean ignoreUnfixed;

    @Option(
            names = "--ignore",
            paramLabel = "FILE",
            description = "Ignore file (YAML): vulnerabilities accepted until a date, each with a reason.")
    Path ignoreFile;

    @Mixin
    ReportFormatOption format;

    InputStream stdin = System.in;

    /** Today's date comes from here (tests set a fixed clock). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException {
        InputTexts input = InputTexts.readEach(reports, stdin, "GATE", MAX_BYTES, command.commandLine());
        List<Diagnostic> problems = new ArrayList<>(input.unreadable());
        List<ScanReport> read = new ArrayList<>();
        for (int i = 0; i < input.names().size(); i++) {
            try {
                read.add(ScanReports.parse(input.names().get(i), input.texts().get(i)));
            } catch (InputException e) {
                problems.addAll(e.diagnostics());
            }
        }
        List<IgnoreEntry> ignores = List.of();
        if (ignoreFile != null) {
            try {
                ignores = IgnoreFile.parse(ignoreFile.toString(), TextFiles.read(ignoreFile, "GATE", MAX_BYTES));
            } catch (InputException e) {
                problems.addAll(e.diagnostics());
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        GateResult result =
                Gate.evaluate(read, ignores, new Gate.Policy(severity.severity(), ignoreUnfixed), LocalDate.now(clock));
        print(read, result);
        return result.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private void print(List<ScanReport> read, GateResult result) {
        PrintWriter out = command.commandLine().getOut();
        Optional<String> ignore = Optional.ofNullable(ignoreFile).map(Path::toString);
        switch (format.format) {
            case json -> JsonOutput.imagesGate(out, read, ignore, result);
            case sarif -> SarifReport.print(out, "stockade/images-gate/", result.findings());
            case junit -> JunitReport.print(out, "images gate", sections(read, ignore, result), Severity.ERROR);
            case html ->
                HtmlReport.print(
                        out,
                        "Stockade images gate: " + read.size() + (read.size() == 1 ? " report" : " reports"),
                        new Main.Version().getVersion()[0] + "; " + summary(result),
                        sections(read, ignore, result));
            case text -> {
                out.println("Checked "
                        + String.join(
                                ", ",
                                read.stream()
                                        .map(r -> r.file() + " (" + about(r) + ")")
                                        .toList())
                        + ".");
                FindingsReport.print(out, result.findings());
                out.println(summary(result));
            }
        }
        out.flush();
    }

    /** "trivy report of alpine:3.19, 14 vulnerabilities". */
    static String about(ScanReport r) {
        int n = r.vulnerabilities().size();
        return r.format().name().toLowerCase(Locale.ROOT) + " report of "
                + (r.image().isEmpty() ? "an unnamed image" : r.image()) + ", " + n
                + (n == 1 ? " vulnerability" : " vulnerabilities");
    }

    /**
     * "Failed: 2 vulnerabilities at or above high (1 critical, 1 high); 1 ignored, 9 below high." or
     * "Passed: no vulnerability at or above high; 9 below high."
     */
    static String summary(GateResult r) {
        String level = r.policy().threshold().label();
        long failing = r.count(GateResult.Status.FAILING);
        StringBuilder sb = new StringBuilder();
        if (failing == 0) {
            sb.append("Passed: no vulnerability at or above ").append(level);
        } else {
            sb.append("Failed: ")
                    .append(failing)
                    .append(failing == 1 ? " vulnerability" : " vulnerabilities")
                    .append(" at or above ")
                    .append(level);
            List<String> parts = new ArrayList<>();
            for (int i = ScanSeverity.values().length - 1; i >= 0; i--) {
                ScanSeverity s = ScanSeverity.values()[i];
                long n = r.failing(s);
                if (n > 0) {
                    parts.add(n + " " + s.label());
                }
            }
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        List<String> rest = new ArrayList<>();
        long ignored = r.count(GateResult.Status.IGNORED);
        long unfixed = r.count(GateResult.Status.UNFIXED);
        long below = r.count(GateResult.Status.BELOW);
        if (ignored > 0) {
            rest.add(ignored + " ignored");
        }
        if (unfixed > 0) {
            rest.add(unfixed + " without a fix skipped");
        }
        if (below > 0) {
            rest.add(below + " below " + level);
        }
        if (!rest.isEmpty()) {
            sb.append("; ").append(String.join(", ", rest));
        }
        return sb.append('.').toString();
    }

    /** One section per report, and one for the ignore file when one was given. */
    private static List<ReportSection> sections(List<ScanReport> read, Optional<String> ignore, GateResult result) {
        List<ReportSection> out = new ArrayList<>();
        for (ScanReport r : read) {
            out.add(new ReportSection(
                    r.file(),
                    about(r),
                    result.findings().stream()
                            .filter(f -> f.subject().equals(r.file()))
                            .toList(),
                    List.of()));
        }
        ignore.ifPresent(file -> out.add(new ReportSection(
                file,
                "ignore file",
                result.findings().stream().filter(f -> f.subject().equals(file)).toList(),
                List.of())));
        return out;
    }
}
