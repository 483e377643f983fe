package dev.stockade.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade pki ...}: the cluster's certificate authority. */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = {
            "A built-in CA for cluster TLS (etcd peers, servers and clients), cfssl-compatible.",
            "Files use cfssljson's names: NAME.pem, NAME-key.pem, NAME.csr; keys are created 0600 and",
            "never replaced without --force (the old file is then kept as NAME-key.pem.bak-TIMESTAMP)."
        },
        subcommands = {
            PkiInitCommand.class,
            PkiIssueCommand.class,
            PkiInspectCommand.class,
            PkiVerifyCommand.class,
            PkiRenewCommand.class,
            HelpCommand.class
        })
final class PkiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }
}
