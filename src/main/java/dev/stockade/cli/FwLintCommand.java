package dev.stockade.cli;

import dev.stockade.analysis.RulesetLints;
import dev.stockade.io.TextFiles;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.json.JsonWriter;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw lint FILE...}: structural problems of rulesets. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Find structural problems in iptables-save files: jumps to undefined chains, unreachable chains,",
            "jump loops, rules after a catch-all, ACCEPT policies, missing ESTABLISHED/RELATED or loopback rules,",
            "SSH closed to everyone, IPv6 left open while IPv4 is closed (give both files)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no findings at or above --fail-on", "1:findings at or above --fail-on",
            "2:a file cannot be read or parsed (file:line:col on stderr)"})
final class FwLintCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "iptables-save or ip6tables-save output")
    List<Path> files;

    @Option(names = "--fail-on", defaultValue = "error", description = "warning or error (default: ${DEFAULT-VALUE})")
    String failOn;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    @Override
    public Integer call() {
        if (!failOn.equals("warning") && !failOn.equals("error")) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--fail-on takes warning or error");
        }
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        List<RulesetLints.Source> sources = new ArrayList<>();
        for (Path f : files) {
            try {
                ParsedRuleset p = IptablesSaveParser.parse(f.toString(), TextFiles.read(f, "IPT", 64L << 20), null);
                Diagnostics.print(err, p.warnings());
                sources.add(new RulesetLints.Source(f.toString(), p.ruleset()));
            } catch (InputException e) {
                return Diagnostics.inputError(err, e, f.toString());
            }
        }
        List<Finding> findings = RulesetLints.lint(sources);
        if (format == BuildCommand.OutputFormat.json) {
            List<Object> list = new ArrayList<>();
            for (Finding f : findings) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id());
                m.put("severity", f.severity().label());
                m.put("location", f.subject());
                m.put("message", f.message());
                m.put("hint", f.hint());
                list.add(m);
            }
            out.print(JsonWriter.write(Map.of("findings", list)));
        } else if (findings.isEmpty()) {
            out.println("No findings.");
        } else {
            Diagnostics.findings(out, findings);
        }
        out.flush();
        Severity threshold = failOn.equals("warning") ? Severity.WARNING : Severity.ERROR;
        return findings.stream().anyMatch(f -> f.severity().compareTo(threshold) >= 0) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
