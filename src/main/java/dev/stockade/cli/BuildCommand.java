package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.io.AtomicDirectory;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade build SPEC}: everything each node needs, written atomically. */
@Command(name = "build",
        mixinStandardHelpOptions = true,
        description = {"Compile a cluster spec into per-node firewalls (IPv4 and IPv6) and provisioning",
            "(Ignition and/or cloud-config), written to OUT/<cluster>/<node>/.",
            "Nothing is written unless the whole spec is valid; the previous output is replaced at once."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:built", "2:the spec has errors (file:line:col on stderr); nothing was written",
            "3:the output could not be written; the previous output is unchanged"})
final class BuildCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the cluster spec (YAML)")
    Path specFile;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out",
            description = "output directory (default: ${DEFAULT-VALUE}); the cluster goes to DIR/<cluster>/")
    Path out;

    @Option(names = "--dry-run", description = "check and compile, print the summary, write nothing")
    boolean dryRun;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "summary format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        LoadedSpec loaded;
        try {
            loaded = SpecLoader.load(specFile);
        } catch (InputException e) {
            Diagnostics.print(err, e.diagnostics());
            long errors = e.diagnostics().stream().filter(d -> d.severity() == dev.stockade.report.Severity.ERROR).count();
            err.println("stockade: " + errors + (errors == 1 ? " error" : " errors") + " in " + specFile + "; nothing was written");
            return ExitCodes.BAD_INPUT;
        }
        BuildResult result = ClusterBuilder.build(loaded);
        Path dir = this.out.resolve(result.spec().cluster());
        if (!dryRun) {
            try {
                dir = ClusterBuilder.write(result, this.out);
            } catch (AtomicDirectory.ForeignDirectoryException e) {
                err.println("stockade: error: " + e.getMessage());
                err.println("  hint: choose another --out directory, or remove it if it is yours to delete");
                return ExitCodes.BAD_INPUT;
            } catch (IOException e) {
                err.println("stockade: error: cannot write " + dir + ": " + e.getMessage());
                err.println("  hint: check free space and permissions; the previous output is unchanged");
                return ExitCodes.ENVIRONMENT;
            }
        }
        Diagnostics.print(err, result.warnings());
        if (format == OutputFormat.json) {
            out.print(BuildSummary.json(result, dir, dryRun));
        } else {
            out.print(BuildSummary.text(result, dir, dryRun));
        }
        out.flush();
        return ExitCodes.OK;
    }

    enum OutputFormat { text, json }

    /** Prints diagnostics compiler-style. */
    static final class Diagnostics {
        static void print(PrintWriter err, java.util.List<Diagnostic> diagnostics) {
            dev.stockade.report.DiagnosticFormatter f = new dev.stockade.report.DiagnosticFormatter();
            for (Diagnostic d : diagnostics) {
                err.print(f.format(d));
            }
            err.flush();
        }
    }
}
