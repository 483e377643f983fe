package dev.stockade.cli;

import dev.stockade.analysis.RulesetLints;
import dev.stockade.analysis.SemanticLints;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code stockade fw lint FILE...}: structural problems of rulesets. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Find problems in rulesets.",
            "It reports shadowed rules (they never match), redundant rules (removing them changes nothing),"
                    + " jumps to undefined chains, unreachable chains, jump loops, rules after a catch-all,"
                    + " ACCEPT policies, missing ESTABLISHED/RELATED or loopback rules, and SSH closed to everyone or open to everyone."
                    + " Give the IPv4 and the IPv6 file together to learn whether IPv6 is left open while IPv4"
                    + " is closed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A file cannot be read or parsed, or has no filter table (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class FwLintCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    RulesInput input;

    @Mixin
    FormatOption format;

    @Mixin
    FailOnOption failOn;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        // a file without a filter table would pass with no findings although nothing in it was checked
        List<RulesFile> files = input.read("filter", command.commandLine().getErr());
        List<RulesetLints.Source> sources = new ArrayList<>();
        List<JsonOutput.PerFile<IpFamily>> families = new ArrayList<>();
        for (RulesFile f : files) {
            sources.add(new RulesetLints.Source(f.path.toString(), f.ruleset));
            families.add(new JsonOutput.PerFile<>(f.path, f.family()));
        }
        List<Finding> findings = new ArrayList<>(RulesetLints.lint(sources));
        for (RulesetLints.Source s : sources) {
            s.ruleset()
                    .table("filter")
                    .ifPresent(t -> findings.addAll(
                            SemanticLints.lint(s.file(), s.ruleset().family(), t)));
        }
        if (format.json()) {
            JsonOutput.lint(out, families, findings);
        } else {
            List<String> read = new ArrayList<>();
            families.forEach(f -> read.add(f.file() + " (" + f.value() + ")"));
            out.println("Checked " + String.join(", ", read) + ".");
            FindingsReport.printWithSummary(out, findings, "No findings.");
        }
        return failOn.exitCode(findings);
    }
}
