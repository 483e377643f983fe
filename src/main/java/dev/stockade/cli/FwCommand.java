package dev.stockade.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade fw ...}: iptables rulesets. Its commands are listed in {@link CommandTree}. */
@Command(
        name = "fw",
        mixinStandardHelpOptions = true,
        description = {
            "Analyse and check iptables rulesets.",
            "The commands read iptables-save or ip6tables-save output (or iptables-restore input) and compute"
                    + " with sets of packets, exactly. Each file is read as the family it says; -4 or -6 on any"
                    + " command sets it. Every command follows the INPUT chain unless --chain says otherwise."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Findings at or above --fail-on (fw lint), or the rulesets differ (fw diff).",
            "2:Bad input or usage; the message names file:line:col.",
            "4:Internal error: a bug in Stockade (please report it)."
        })
final class FwCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }
}
