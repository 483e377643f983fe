package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.json.JsonWriter;
import dev.stockade.pki.Inspection;
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

/** {@code stockade pki inspect FILE...}: what is in certificates, keys and CSRs. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Show what PEM files hold: certificates (subject, SANs, usages, validity), keys (type only), CSRs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:a file is missing or not readable PEM"})
final class PkiInspectCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        List<Object> all = new ArrayList<>();
        for (Path f : files) {
            try {
                for (Map<String, Object> item : Inspection.inspect(f.toString(), TextFiles.read(f, "PKI", 1 << 20))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", f.toString());
                    m.putAll(item);
                    all.add(m);
                }
            } catch (InputException e) {
                return Diagnostics.inputError(command.commandLine().getErr(), e, f.toString());
            }
        }
        if (format == BuildCommand.OutputFormat.json) {
            out.print(JsonWriter.write(all));
        } else {
            for (Object o : all) {
                text(out, castMap(o));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static void text(PrintWriter out, Map<String, Object> m) {
        out.println(m.get("file") + ": " + m.get("type"));
        m.forEach((k, v) -> {
            if (!k.equals("file") && !k.equals("type")) {
                String value = v instanceof List
                        ? String.join(
                                ", ",
                                ((List<?>) v).stream().map(Object::toString).toList())
                        : String.valueOf(v);
                out.printf("  %-19s %s%n", k.replace('_', ' '), value.isEmpty() ? "-" : value);
            }
        });
    }
}
