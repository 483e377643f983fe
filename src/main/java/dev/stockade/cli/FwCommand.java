package dev.stockade.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade fw ...}: iptables rulesets. */
@Command(
        name = "fw",
        mixinStandardHelpOptions = true,
        description = "Analyse and check iptables-save / iptables-restore files (IPv4 and IPv6) as sets of packets.",
        subcommands = {
            FwAnalyzeCommand.class,
            FwMatrixCommand.class,
            FwDiffCommand.class,
            FwLintCommand.class,
            FwQueryCommand.class,
            HelpCommand.class
        })
final class FwCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }
}
