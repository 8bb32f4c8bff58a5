package dev.vibed.cli.term;

import java.io.PrintStream;

/**
 * The live phase of a deploy: on a terminal one line rewritten in place, elsewhere one plain line per change, and
 * nothing with --quiet. Repeats of the same text are dropped.
 */
public final class StatusLine {
    private final PrintStream out;
    private final boolean inPlace;
    private final boolean quiet;
    private String last;
    private int width;

    StatusLine(PrintStream out, boolean inPlace, boolean quiet) {
        this.out = out;
        this.inPlace = inPlace;
        this.quiet = quiet;
    }

    public synchronized void show(String text) {
        if (quiet || text.equals(last)) {
            return;
        }
        last = text;
        if (inPlace) {
            out.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
            width = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the in-place line so later output starts on a fresh one. */
    public synchronized void end() {
        if (inPlace && !quiet && last != null) {
            out.println();
            last = null;
            width = 0;
        }
    }
}
