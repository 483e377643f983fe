package dev.stockade.cli;

import dev.stockade.analysis.RulesetLints;
import dev.stockade.io.TextFiles;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw lint FILE...}: structural problems of rulesets. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Find problems in iptables-save files: shadowed rules (never match) and redundant rules",
            "(removing them changes nothing), jumps to undefined chains, unreachable chains,",
            "jump loops, rules after a catch-all, ACCEPT policies, missing ESTABLISHED/RELATED or loopback rules,",
            "SSH closed to everyone, IPv6 left open while IPv4 is closed (give both files)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no findings at or above --fail-on",
            "1:findings at or above --fail-on",
            "2:a file cannot be read or parsed (file:line:col on stderr)"
        })
final class FwLintCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "iptables-save or ip6tables-save output")
    List<Path> files;

    @picocli.CommandLine.Mixin
    FindingsReport report;

    @Override
    public Integer call() {
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
        List<dev.stockade.report.Finding> findings = new ArrayList<>(RulesetLints.lint(sources));
        for (RulesetLints.Source s : sources) {
            s.ruleset()
                    .table("filter")
                    .ifPresent(t -> findings.addAll(dev.stockade.analysis.SemanticLints.lint(
                            s.file(), s.ruleset().family(), t)));
        }
        return report.print(out, findings, "No findings.");
    }
}
