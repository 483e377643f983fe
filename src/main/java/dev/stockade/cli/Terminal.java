package dev.stockade.cli;

/**
 * What the console can show: colour and a redrawn progress line only when a person is watching
 * (standard input and output are a terminal), colour also only without {@code NO_COLOR}
 * (no-color.org) and on a terminal that is not {@code dumb}. Output to a file or a pipe is plain text.
 */
final class Terminal {

    private Terminal() {}

    /** Standard input and output are a terminal. */
    static boolean interactive() {
        return System.console() != null;
    }

    /** Colour is wanted: an interactive terminal, not {@code TERM=dumb}, no {@code NO_COLOR}. */
    static boolean colour() {
        return interactive() && colour(System.getenv("NO_COLOR"), System.getenv("TERM"));
    }

    /** The environment part of {@link #colour()}: {@code NO_COLOR} set to anything non-empty turns it off. */
    static boolean colour(String noColor, String term) {
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(term);
    }
}
