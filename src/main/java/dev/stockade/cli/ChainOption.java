package dev.stockade.cli;

import picocli.CommandLine.Option;

/** {@code --chain}: the builtin chain a fw command looks at; INPUT for every command. */
final class ChainOption {

    @Option(
            names = "--chain",
            paramLabel = "CHAIN",
            defaultValue = "INPUT",
            description = "The builtin chain to follow: INPUT, FORWARD or OUTPUT (default: ${DEFAULT-VALUE}).")
    String chain;

    String name() {
        return chain;
    }
}
