package dev.stockade.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade images ...}: container image references and vulnerability scan reports. Its commands are listed in {@link CommandTree}. */
@Command(
        name = "images",
        mixinStandardHelpOptions = true,
        description = {
            "Pin container images and gate on scan reports.",
            "Image tags are mutable: what runs is only known when an image is pulled by digest. These commands"
                    + " find references that are not pinned, pin them against the registry, and fail a pipeline on"
                    + " the vulnerabilities a scanner reported."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success: nothing at or above --fail-on (check) or --severity (gate).",
            "1:Findings at or above --fail-on (check), or vulnerabilities at or above --severity (gate).",
            "2:Bad input or usage; the message names file:line:col.",
            "3:The registry cannot be reached or refuses (check --resolve).",
            "4:Internal error: a bug in Stockade (please report it)."
        })
final class ImagesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }
}
