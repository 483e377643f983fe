package dev.stockade.cli;

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
            CommandLine.HelpCommand.class
        })
final class PkiCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
