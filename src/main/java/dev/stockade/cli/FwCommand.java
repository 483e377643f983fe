package dev.stockade.cli;

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
            CommandLine.HelpCommand.class
        })
final class FwCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
