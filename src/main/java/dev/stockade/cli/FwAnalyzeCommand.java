package dev.stockade.cli;

import dev.stockade.analysis.Doubt;
import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.json.JsonWriter;
import dev.stockade.report.InputException;
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

/** {@code stockade fw analyze FILE...}: what a ruleset lets in, exactly. */
@Command(
        name = "analyze",
        aliases = "analyse",
        mixinStandardHelpOptions = true,
        description = {
            "What a filter table accepts of new connections: per protocol and port (ICMP: type),",
            "which source addresses on which input interfaces. Computed exactly over all packets;",
            "conditions Stockade does not model make a 'conditional' section and are named."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the exposure was printed", "2:a file cannot be read or parsed (file:line:col on stderr)"})
final class FwAnalyzeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "iptables-save or ip6tables-save output")
    List<Path> files;

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
        List<Object> json = new ArrayList<>();
        for (Path f : files) {
            Exposure e;
            try {
                RulesFile rf = RulesFile.read(f, null, err);
                rf.requireBuiltin(chain);
                e = Exposure.of(FilterAnalysis.of(rf.family(), rf.filter), chain);
            } catch (InputException ex) {
                return Diagnostics.inputError(err, ex, f.toString());
            }
            if (format == BuildCommand.OutputFormat.json) {
                json.add(json(f, e));
            } else {
                text(out, f, e);
            }
        }
        if (format == BuildCommand.OutputFormat.json) {
            out.print(JsonWriter.write(Map.of("analyses", json)));
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

    static Map<String, Object> json(Path f, Exposure e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.toString());
        m.put("family", e.family() == dev.stockade.net.IpFamily.V4 ? "ipv4" : "ipv6");
        m.put("chain", e.chain());
        m.put("exact", e.exact());
        m.put("loopbackOpen", e.loopbackOpen());
        m.put("accepted", entries(e.accepted()));
        m.put("conditional", entries(e.conditional()));
        List<Object> doubts = new ArrayList<>();
        for (Doubt d : e.doubts()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("location", d.location());
            dm.put("rule", d.rule().toSaveLine());
            dm.put("condition", d.condition());
            dm.put("reason", d.reason());
            doubts.add(dm);
        }
        m.put("doubts", doubts);
        return m;
    }

    static List<Object> entries(List<Exposure.Entry> entries) {
        List<Object> list = new ArrayList<>();
        for (Exposure.Entry x : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", x.protocol());
            List<Object> keys = new ArrayList<>();
            for (long[] k : x.keys()) {
                keys.add(Map.of("from", k[0], "to", k[1]));
            }
            m.put(x.protocol().contains("icmp") ? "types" : "ports", keys);
            m.put("interfaces", x.interfaces().isEmpty() ? List.of("any") : x.interfaces());
            m.put("interfacesNegated", x.interfacesNegated());
            List<Object> addrs = new ArrayList<>();
            x.addresses().prefixes().forEach(p -> addrs.add(p.toCidr()));
            m.put("addresses", addrs);
            list.add(m);
        }
        return list;
    }
}
