package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the CA key's passphrase comes from: a file or an environment variable, never the command
 * line (it would show in {@code ps} and shell history).
 */
final class PassphraseOptions {

    @Option(
            names = "--ca-passphrase-file",
            paramLabel = "FILE",
            description = "Read the CA key's passphrase from the first line of FILE.")
    Path file;

    @Option(
            names = "--ca-passphrase-env",
            paramLabel = "VAR",
            description = "Read the CA key's passphrase from the environment variable VAR.")
    String env;

    /**
     * The passphrase as the pki code asks for it: from the options, or, to decrypt a key when none
     * was given and a terminal is attached, typed at a prompt (not echoed).
     */
    dev.stockade.pki.CaPassphrase source() {
        return new dev.stockade.pki.CaPassphrase() {
            @Override
            public char[] given() throws InputException {
                return read();
            }

            @Override
            public char[] forDecrypting(String keyFile) throws InputException {
                char[] p = read();
                java.io.Console console = System.console();
                if (p != null || console == null) {
                    return p;
                }
                char[] typed = console.readPassword("Passphrase for the CA key %s: ", keyFile);
                return typed == null || typed.length == 0 ? null : typed;
            }
        };
    }

    /** The passphrase, or null when none was configured. */
    char[] read() throws InputException {
        if (file != null && env != null) {
            throw new InputException(Diagnostic.error(
                    "PKI-PASSPHRASE",
                    SourceSpan.ofFile(file.toString()),
                    "give --ca-passphrase-file or --ca-passphrase-env, not both",
                    ""));
        }
        if (file != null) {
            String text = TextFiles.read(file, "PKI", 4096);
            String first = text.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new InputException(Diagnostic.error(
                        "PKI-PASSPHRASE",
                        SourceSpan.ofFile(file.toString()),
                        "the passphrase file is empty",
                        "put the passphrase on its first line"));
            }
            return first.toCharArray();
        }
        if (env != null) {
            String v = System.getenv(env);
            if (v == null || v.isEmpty()) {
                throw new InputException(Diagnostic.error(
                        "PKI-PASSPHRASE",
                        SourceSpan.ofFile("$" + env),
                        "environment variable " + env + " is not set or empty",
                        "export " + env + "=... before running"));
            }
            return v.toCharArray();
        }
        return null;
    }
}
