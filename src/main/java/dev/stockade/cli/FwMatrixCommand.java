package dev.stockade.cli;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Ipassmt;
import dev.stockade.analysis.ServiceMatrix;
import dev.stockade.io.TextFiles;
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

/** {@code stockade fw matrix FILE --port N...}: service matrices. */
@Command(
        name = "matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Service matrices: classes of addresses with identical access and which classes may open",
            "a new TCP connection (source port --sport) to which on each --port. Printed in the text form of the",
            "Iptables_Semantics tool (fffuu) or as JSON. --mode fffuu reproduces that tool's abstractions."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the matrices were printed", "2:a file cannot be read or parsed (file:line:col on stderr)"})
final class FwMatrixCommand implements Callable<Integer> {

    enum Mode {
        exact,
        fffuu
    }

    enum Bound {
        upper,
        lower
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "iptables-save output")
    Path file;

    @Option(names = "--port", paramLabel = "N", description = "destination port, repeatable (default: 22 and 80)")
    List<Integer> ports;

    @Option(
            names = "--sport",
            defaultValue = "10000",
            paramLabel = "N",
            description = "source port (default: ${DEFAULT-VALUE})")
    int sport;

    @Option(names = "--chain", defaultValue = "FORWARD", description = "builtin chain (default: ${DEFAULT-VALUE})")
    String chain;

    @Option(names = "--table", defaultValue = "filter", description = "table (default: ${DEFAULT-VALUE})")
    String table;

    @Option(
            names = "--ipassmt",
            paramLabel = "FILE",
            description = "which source addresses may arrive on each interface (fffuu's format: eth0 = [10.0.0.0/8])")
    Path ipassmt;

    @Option(
            names = "--mode",
            defaultValue = "exact",
            description =
                    "exact: Stockade's own semantics; fffuu: the abstractions of the Iptables_Semantics tool (default: ${DEFAULT-VALUE})")
    Mode mode;

    @Option(
            names = "--bound",
            defaultValue = "upper",
            description =
                    "with unmodelled conditions: upper = what may connect, lower = what certainly can (default: ${DEFAULT-VALUE})")
    Bound bound;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text (fffuu's form) or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        List<Integer> wanted = ports == null || ports.isEmpty() ? List.of(22, 80) : ports;
        for (int p : wanted) {
            if (p < 0 || p > 65535) {
                throw new picocli.CommandLine.ParameterException(
                        command.commandLine(), "--port " + p + " is not a port");
            }
        }
        List<ServiceMatrix> matrices = new ArrayList<>();
        try {
            Ipassmt assignment = ipassmt == null
                    ? null
                    : Ipassmt.parse(ipassmt.toString(), TextFiles.read(ipassmt, "IPASSMT", 1L << 20));
            RulesFile rf = RulesFile.read(file, null, table, err);
            rf.requireBuiltin(chain);
            FilterAnalysis a = FilterAnalysis.of(
                    rf.family(),
                    List.of(rf.filter),
                    List.of(),
                    mode == Mode.fffuu ? FilterAnalysis.Approximation.FFFUU : FilterAnalysis.Approximation.EXACT,
                    assignment);
            int assumption = mode == Mode.exact && assignment != null
                    ? a.assume(assignment)
                    : dev.stockade.analysis.bdd.Bdd.TRUE;
            for (int p : wanted) {
                matrices.add(ServiceMatrix.of(a, chain, p, sport, bound == Bound.upper, assumption));
            }
        } catch (InputException e) {
            return Diagnostics.inputError(err, e, ipassmt == null ? file.toString() : file + " or " + ipassmt);
        }
        if (format == BuildCommand.OutputFormat.json) {
            List<Object> list = new ArrayList<>();
            for (ServiceMatrix m : matrices) {
                Map<String, Object> jm = new LinkedHashMap<>();
                jm.put("protocol", "tcp");
                jm.put("sourcePort", sport);
                jm.put("port", m.port());
                List<Object> classes = new ArrayList<>();
                for (int i = 0; i < m.classes().size(); i++) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("name", ServiceMatrix.name(i));
                    List<Object> ranges = new ArrayList<>();
                    for (java.math.BigInteger[] r : m.classes().get(i).ranges()) {
                        ranges.add(Map.of(
                                "from",
                                m.classes().get(i).address(r[0]),
                                "to",
                                m.classes().get(i).address(r[1])));
                    }
                    c.put("ranges", ranges);
                    classes.add(c);
                }
                jm.put("classes", classes);
                List<Object> edges = new ArrayList<>();
                for (int[] e : m.edges()) {
                    edges.add(List.of(ServiceMatrix.name(e[0]), ServiceMatrix.name(e[1])));
                }
                jm.put("edges", edges);
                list.add(jm);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("file", file.toString());
            root.put("table", table);
            root.put("chain", chain);
            root.put("mode", mode.name());
            root.put("bound", bound.name());
            root.put("matrices", list);
            out.print(JsonWriter.write(root));
        } else {
            for (ServiceMatrix m : matrices) {
                out.print(m.toFffuuText(sport));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
