package dev.stockade.cli;

import dev.stockade.analysis.Doubt;
import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code stockade fw analyze FILE...}: what a ruleset lets in, exactly. */
@Command(
        name = "analyze",
        aliases = "analyse",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a filter table accepts of new connections.",
            "Per protocol and port (ICMP: type), it lists which source addresses may connect on which input"
                    + " interfaces, computed exactly over all packets. Conditions Stockade does not model make"
                    + " a separate 'conditional' section, and the rules that hold them are named."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The exposure was printed.",
            "2:A file cannot be read or parsed (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class FwAnalyzeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    RulesInput input;

    @Mixin
    ChainOption chain;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        List<JsonOutput.PerFile<Exposure>> results = new ArrayList<>();
        for (RulesFile rf : input.read("filter", command.commandLine().getErr())) {
            rf.requireBuiltin(chain.name());
            results.add(new JsonOutput.PerFile<>(
                    rf.path, Exposure.of(FilterAnalysis.of(rf.family(), rf.filter), chain.name())));
        }
        if (format.json()) {
            JsonOutput.analyses(out, results);
        } else {
            results.forEach(r -> text(out, r.file(), r.value()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void text(PrintWriter out, Path f, Exposure e) {
        out.println(f + ": " + e.family() + ", filter " + e.chain() + ", new connections"
                + (e.exact() ? " (exact)" : " (bounds: " + e.doubts().size() + " unmodelled conditions)"));
        String addr = e.chain().equals("OUTPUT") ? "to" : "from";
        String iface = e.chain().equals("OUTPUT") ? "out" : "in";
        if (e.loopbackOpen()) {
            out.println("  loopback (" + iface + " lo): everything accepted; not listed below");
        }
        if (e.accepted().isEmpty()) {
            out.println("  accepts no new connections");
        } else {
            table(out, e.accepted(), iface, addr);
        }
        if (!e.exact()) {
            out.println("  accepted only if unmodelled conditions hold:");
            table(out, e.conditional(), iface, addr);
            out.println("  unmodelled conditions:");
            for (Doubt d : e.doubts()) {
                out.println("    " + d.location() + "  " + d.condition() + "  (" + d.reason() + ")");
            }
        }
        out.println();
    }

    static void table(PrintWriter out, List<Exposure.Entry> entries, String iface, String addr) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"proto", "port/type", iface, addr});
        for (Exposure.Entry x : entries) {
            rows.add(new String[] {
                x.protocol(),
                x.keys().isEmpty() ? "-" : x.keyText(),
                x.interfaceText(),
                x.addresses().toCidrText()
            });
        }
        int[] w = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            out.println("  " + pad(r[0], w[0]) + "  " + pad(r[1], w[1]) + "  " + pad(r[2], w[2]) + "  " + r[3]);
        }
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
