package dev.stockade.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade pki ...}: the cluster's certificate authority. Its commands are listed in {@link CommandTree}. */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the cluster's certificate authority.",
            "A built-in CA for cluster TLS (etcd peers, servers and clients), compatible with cfssl. Files"
                    + " use cfssljson's names: NAME.pem, NAME-key.pem, NAME.csr. Keys are created with mode 0600"
                    + " and never replaced without --force; the old file is then kept as"
                    + " NAME-key.pem.bak-TIMESTAMP."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Findings at or above --fail-on (pki verify).",
            "2:Bad input or usage; the message names file:line:col.",
            "3:The PKI directory cannot be written.",
            "4:Internal error: a bug in Stockade (please report it)."
        })
final class PkiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }
}
