package dev.stockade.cli;

import dev.stockade.analysis.RulesetDiff;
import dev.stockade.json.JsonWriter;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw diff OLD NEW}: what a change opens and closes. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "What changing a ruleset from OLD to NEW newly accepts and newly refuses of new connections,",
            "per protocol, port, interface and source (exact: compared as sets of packets, not as text)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the rulesets accept the same packets",
            "1:they differ (the difference is printed)",
            "2:a file cannot be read or parsed, or the files are of different families"
        })
final class FwDiffCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "OLD")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW")
    Path after;

    @Option(
            names = "--chain",
            defaultValue = "INPUT",
            description = "INPUT, FORWARD or OUTPUT (default: ${DEFAULT-VALUE})")
    String chain;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        RulesetDiff d;
        Path current = before;
        try {
            RulesFile a = RulesFile.read(before, null, err);
            current = after;
            RulesFile b = RulesFile.read(after, null, err);
            if (a.family() != b.family()) {
                throw new InputException(Diagnostic.error(
                        "FW-FAMILY-MISMATCH",
                        SourceSpan.ofFile(after.toString()),
                        after + " is " + b.family() + " but " + before + " is " + a.family(),
                        "compare files of one family"));
            }
            current = before;
            a.requireBuiltin(chain);
            current = after;
            b.requireBuiltin(chain);
            d = RulesetDiff.of(a.family(), a.filter, b.filter, chain);
        } catch (InputException e) {
            return Diagnostics.inputError(err, e, current.toString());
        }
        if (format == BuildCommand.OutputFormat.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("old", before.toString());
            m.put("new", after.toString());
            m.put("chain", chain);
            m.put("identical", d.identical());
            m.put("opened", FwAnalyzeCommand.entries(d.opened().accepted()));
            m.put("openedConditional", FwAnalyzeCommand.entries(d.opened().conditional()));
            m.put("closed", FwAnalyzeCommand.entries(d.closed().accepted()));
            m.put("closedConditional", FwAnalyzeCommand.entries(d.closed().conditional()));
            out.print(JsonWriter.write(m));
        } else if (d.identical()) {
            out.println(before + " -> " + after + ": the same packets are accepted (" + d.family() + ", filter " + chain
                    + ")");
        } else {
            out.println(before + " -> " + after + " (" + d.family() + ", filter " + chain + ", new connections):");
            section(out, "newly accepted", d.opened());
            section(out, "newly refused", d.closed());
            if (d.opened().accepted().isEmpty()
                    && d.closed().accepted().isEmpty()
                    && d.opened().exact()
                    && d.closed().exact()) {
                out.println("  (new connections are unchanged; replies or other states differ: see fw query)");
            }
        }
        out.flush();
        return d.identical() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static void section(PrintWriter out, String title, dev.stockade.analysis.Exposure e) {
        if (e.accepted().isEmpty() && e.conditional().isEmpty()) {
            out.println("  " + title + ": nothing");
            return;
        }
        out.println("  " + title + ":");
        if (!e.accepted().isEmpty()) {
            FwAnalyzeCommand.table(out, e.accepted(), "in", "from");
        }
        if (!e.conditional().isEmpty()) {
            out.println("  " + title + " only if unmodelled conditions hold:");
            FwAnalyzeCommand.table(out, e.conditional(), "in", "from");
        }
    }
}
