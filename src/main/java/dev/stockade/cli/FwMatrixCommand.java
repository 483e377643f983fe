package dev.stockade.cli;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Ipassmt;
import dev.stockade.analysis.PacketSet;
import dev.stockade.analysis.ServiceMatrix;
import dev.stockade.io.TextFiles;
import dev.stockade.net.IpFamily;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stockade fw matrix FILE... --port N...}: service matrices. */
@Command(
        name = "matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Compute service matrices: who may connect to whom.",
            "The address space is split into classes of addresses with identical access, and the matrix says"
                    + " which class may open a new TCP connection to which, on each --port. Text output has the"
                    + " form of the Iptables_Semantics tool (fffuu), after a line naming the file, its family and"
                    + " the chain; --mode fffuu also reproduces that tool's abstractions."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The matrices were printed.",
            "2:A file cannot be read or parsed (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class FwMatrixCommand implements Callable<Integer> {

    enum Bound {
        upper,
        lower
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    RulesInput input;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "A destination port; repeat the option for several (default: 22 and 80).")
    List<Integer> ports;

    @Option(
            names = "--sport",
            defaultValue = "10000",
            paramLabel = "PORT",
            description = "The source port of the connections (default: ${DEFAULT-VALUE}).")
    int sport;

    @Mixin
    ChainOption chain;

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            defaultValue = "filter",
            description = "The table to analyse (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(
            names = "--ipassmt",
            paramLabel = "FILE",
            description = "Which source addresses may arrive on each interface, in fffuu's format"
                    + " (eth0 = [10.0.0.0/8]).")
    Path ipassmt;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "exact",
            converter = ApproximationConverter.class,
            description = "exact: Stockade's own semantics; fffuu: the abstractions of the Iptables_Semantics"
                    + " tool (default: ${DEFAULT-VALUE}).")
    FilterAnalysis.Approximation mode;

    /** {@code exact} or {@code fffuu}, as the help writes them. */
    static final class ApproximationConverter
            implements picocli.CommandLine.ITypeConverter<FilterAnalysis.Approximation> {
        @Override
        public FilterAnalysis.Approximation convert(String value) {
            for (FilterAnalysis.Approximation a : FilterAnalysis.Approximation.values()) {
                if (a.name().equalsIgnoreCase(value)) {
                    return a;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not exact or fffuu");
        }
    }

    @Option(
            names = "--bound",
            paramLabel = "BOUND",
            defaultValue = "upper",
            description = "With unmodelled conditions, upper gives what may connect and lower what certainly"
                    + " can (default: ${DEFAULT-VALUE}).")
    Bound bound;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        List<Integer> wanted = ports == null || ports.isEmpty() ? List.of(22, 80) : ports;
        for (int p : wanted) {
            if (p < 0 || p > 65535) {
                throw new ParameterException(command.commandLine(), "--port " + p + " is not a port (0-65535)");
            }
        }
        Ipassmt assignment = ipassmt == null
                ? null
                : Ipassmt.parse(ipassmt.toString(), TextFiles.read(ipassmt, "IPASSMT", 1L << 20));
        List<JsonOutput.PerFile<List<ServiceMatrix>>> results = new ArrayList<>();
        for (RulesFile rf : input.read(table, command.commandLine().getErr())) {
            rf.requireBuiltin(chain.name());
            if (assignment != null && rf.family() != IpFamily.V4) {
                Diagnostics.print(
                        command.commandLine().getErr(),
                        List.of(Diagnostic.warning(
                                "IPASSMT-IGNORED",
                                SourceSpan.ofFile(ipassmt.toString()),
                                "the IP assignment holds IPv4 addresses; it does not apply to " + rf.path + " ("
                                        + rf.family() + ")",
                                "the matrix of " + rf.path + " lets any source arrive on any interface")));
            }
            results.add(new JsonOutput.PerFile<>(rf.path, matrices(rf, assignment, wanted)));
        }
        if (format.json()) {
            JsonOutput.matrices(
                    out,
                    new JsonOutput.MatrixSettings(
                            table, chain.name(), mode.name().toLowerCase(java.util.Locale.ROOT), bound.name(), sport),
                    results);
        } else {
            for (JsonOutput.PerFile<List<ServiceMatrix>> r : results) {
                out.println("# " + r.file() + ": " + r.value().get(0).family() + ", " + table + " " + chain.name()
                        + ", mode " + mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + bound + " bound"
                        + (r.value().get(0).loopbackLeftOut()
                                ? "; loopback (lo) left out: only the host sends there"
                                : ""));
                r.value().forEach(m -> out.print(m.toFffuuText(sport)));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private List<ServiceMatrix> matrices(RulesFile rf, Ipassmt assignment, List<Integer> wanted) throws InputException {
        FilterAnalysis a = FilterAnalysis.of(rf.family(), List.of(rf.filter), List.of(), mode, assignment);
        PacketSet assumption = mode == FilterAnalysis.Approximation.EXACT && assignment != null
                ? a.assume(assignment)
                : a.packets().all();
        List<ServiceMatrix> matrices = new ArrayList<>();
        for (int p : wanted) {
            matrices.add(ServiceMatrix.of(a, chain.name(), p, sport, bound == Bound.upper, assumption));
        }
        return matrices;
    }
}
