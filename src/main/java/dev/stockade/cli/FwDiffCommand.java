package dev.stockade.cli;

import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.RulesetDiff;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw diff OLD NEW}: what a change opens and closes. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a change to a ruleset opens and closes.",
            "It lists what NEW newly accepts and newly refuses of new connections, per protocol, port, interface"
                    + " and source. The rulesets are compared exactly, as sets of packets, not as text. Both"
                    + " files must be of one family: IPv4 with IPv4, IPv6 with IPv6."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The rulesets accept the same packets.",
            "1:They differ (the difference is printed).",
            "2:A file cannot be read or parsed, or the files are of different families.",
            "4:Internal error (a bug in Stockade)."
        })
final class FwDiffCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(
            index = "0",
            paramLabel = "OLD",
            description = "The ruleset before the change (iptables-save output or an nftables ruleset).")
    Path before;

    @Parameters(
            index = "1",
            paramLabel = "NEW",
            description = "The ruleset after the change (iptables-save output or an nftables ruleset).")
    Path after;

    @Mixin
    RulesReading reading;

    @Mixin
    ChainOption chain;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        List<List<RulesFile>> files = Diagnostics.forEach(
                List.of(before, after),
                p -> RulesFile.readEach(
                        p, reading, "filter", command.commandLine().getErr()));
        // an nftables ruleset holds both families: compare each family both files hold
        List<RulesFile[]> pairs = new ArrayList<>();
        for (RulesFile a : files.get(0)) {
            for (RulesFile b : files.get(1)) {
                if (a.family() == b.family()) {
                    pairs.add(new RulesFile[] {a, b});
                }
            }
        }
        if (pairs.isEmpty()) {
            RulesFile a = files.get(0).get(0);
            RulesFile b = files.get(1).get(0);
            throw new InputException(Diagnostic.error(
                    "FW-FAMILY-MISMATCH",
                    SourceSpan.ofFile(after.toString()),
                    "cannot compare " + before + " (" + a.family() + ") with " + after + " (" + b.family()
                            + "): a ruleset filters only its own family",
                    "compare iptables-save output with iptables-save output, ip6tables-save with ip6tables-save"));
        }
        Diagnostics.forEach(pairs, f -> {
            f[0].requireBuiltin(chain.name());
            f[1].requireBuiltin(chain.name());
            return f;
        });
        if (format.json() && pairs.size() > 1) {
            throw new picocli.CommandLine.ParameterException(
                    command.commandLine(),
                    "both files hold IPv4 and IPv6 rules (nftables); --format json compares one family: give -4 or -6");
        }
        boolean identical = true;
        for (RulesFile[] pair : pairs) {
            RulesetDiff d = RulesetDiff.of(pair[0].family(), pair[0].filter, pair[1].filter, chain.name());
            identical &= d.identical();
            if (format.json()) {
                JsonOutput.diff(out, before, after, d);
            } else {
                text(out, d);
            }
        }
        out.flush();
        return identical ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private void text(PrintWriter out, RulesetDiff d) {
        String what = d.family() + ", filter " + d.chain();
        if (d.identical()) {
            out.println(before + " -> " + after + ": the same packets are accepted (" + what + ")");
            return;
        }
        out.println(before + " -> " + after + " (" + what + ", new connections):");
        section(out, "newly accepted", d.opened());
        section(out, "newly refused", d.closed());
        if (d.opened().accepted().isEmpty()
                && d.closed().accepted().isEmpty()
                && d.opened().exact()
                && d.closed().exact()) {
            out.println("  (new connections are unchanged; replies or other states differ: see fw query)");
        }
    }

    private static void section(PrintWriter out, String title, Exposure e) {
        if (e.accepted().isEmpty() && e.conditional().isEmpty()) {
            out.println("  " + title + ": nothing");
            return;
        }
        if (!e.accepted().isEmpty()) {
            out.println("  " + title + ":");
            FwAnalyzeCommand.table(out, e.accepted(), "in", "from");
        }
        if (!e.conditional().isEmpty()) {
            out.println("  " + title + " only if unmodelled conditions hold:");
            FwAnalyzeCommand.table(out, e.conditional(), "in", "from");
        }
    }
}
