package dev.stockade.cli;

/** Exit codes, documented in {@code --help} and the README. */
final class ExitCodes {
    static final int OK = 0;
    static final int FINDINGS = 1;
    static final int BAD_INPUT = 2;
    static final int ENVIRONMENT = 3;
    static final int INTERNAL = 4;

    private ExitCodes() {}
}
