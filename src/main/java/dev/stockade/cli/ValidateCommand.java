package dev.stockade.cli;

import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.validate.ConfigKind;
import dev.stockade.validate.Validator;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade validate FILE...}: cloud-config, Ignition, rules files and specs, with exact locations. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check cloud-config, Ignition, rules files and specs.",
            "Find what is wrong before a machine boots with it. Each file's kind is detected (#cloud-config, an Ignition JSON object, iptables-save text, a"
                    + " 'stockade:' spec) unless --type says. Findings name file:line:col; Ignition findings also"
                    + " the JSON path. Rules files a config writes (/var/lib/iptables/rules-save,"
                    + " /var/lib/ip6tables/rules-save) are checked with the firewall engine, and security lints"
                    + " look at keys, endpoints, etcd TLS and firewall loading. '-' reads standard input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A file cannot be read or is not UTF-8 text, or a bad option.",
            "4:Internal error (a bug in Stockade)."
        })
final class ValidateCommand implements Callable<Integer> {

    static final long MAX_BYTES = 16L << 20;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to check ('-' for standard input).")
    List<String> files;

    @Option(
            names = "--type",
            paramLabel = "KIND",
            description = "Treat every file as KIND: cloud-config, ignition, rules or spec (default: detect).")
    String type;

    @Mixin
    ReportFormatOption format;

    @Mixin
    FailOnOption failOn;

    InputStream stdin = System.in;

    @Override
    public Integer call() throws InputException {
        Optional<ConfigKind> kind = Optional.empty();
        if (type != null) {
            kind = ConfigKind.parse(type).filter(k -> k != ConfigKind.SCRIPT).or(() -> {
                throw new ParameterException(
                        command.commandLine(),
                        "unknown --type '" + type + "'; one of: cloud-config, ignition, rules, spec");
            });
        }
        InputTexts input = InputTexts.read(files, stdin, "VAL", MAX_BYTES, command.commandLine());
        List<String> names = input.names();
        List<String> texts = input.texts();
        Optional<ConfigKind> forced = kind;
        List<Optional<ConfigKind>> kinds =
                texts.stream().map(t -> forced.or(() -> ConfigKind.detect(t))).toList();
        // files are independent: check them on all cores, report them in the order given
        Validator validator = new Validator();
        List<List<Finding>> perFile = IntStream.range(0, names.size())
                .parallel()
                .mapToObj(i -> validator.validate(names.get(i), texts.get(i), kinds.get(i)))
                .toList();
        List<Finding> findings = new ArrayList<>();
        perFile.forEach(findings::addAll);
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            checked.add(names.get(i)
                    + kinds.get(i).map(x -> " (" + x.keyword() + ")").orElse(""));
        }
        new FileFindingsReport(
                        "validate",
                        checked,
                        perFile,
                        g -> JsonOutput.strings(g, "files", checked),
                        "Checked " + String.join(", ", checked) + ".",
                        "No findings.")
                .print(command.commandLine().getOut(), format.format, failOn.threshold());
        return failOn.exitCode(findings);
    }
}
