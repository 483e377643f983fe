package dev.stockade.cli;

import java.io.PrintWriter;

/**
 * Progress of work over many hosts, on standard error: on a terminal one line redrawn in place
 * ({@code [=====     ] 3/20 hosts, last core-3}), otherwise one plain line per host finished, for
 * logs. Thread-safe: hosts finish on worker threads.
 */
final class Progress {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final int total;
    private final boolean redraw;
    private int done;

    Progress(PrintWriter err, int total, boolean redraw) {
        this.err = err;
        this.total = total;
        this.redraw = redraw;
    }

    /** {@code host} is finished; {@code outcome} says how, in a few words. */
    synchronized void done(String host, String outcome) {
        done++;
        if (redraw) {
            err.print("\r" + bar(done, total) + " " + done + "/" + total + " hosts, last " + host + ": " + outcome
                    + "\u001b[K");
        } else {
            err.println("[" + done + "/" + total + "] " + host + ": " + outcome);
        }
        err.flush();
    }

    /** Clears the redrawn line, so the report starts on a clean one. */
    synchronized void finish() {
        if (redraw && done > 0) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
    }
}
