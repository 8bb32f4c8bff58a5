package dev.vibed.cli.term;

import java.io.PrintStream;

/**
 * An upload progress bar redrawn in place ({@code \r}) at most ten times a second. With no stream (not a
 * terminal, or --quiet) every call is a no-op, so callers need no checks.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final String label;
    private final long total;
    private final PrintStream out;
    private long lastDraw;
    private long done;
    private boolean finished;

    ProgressBar(String label, long total, PrintStream out) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
    }

    public synchronized void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (out != null && (now - lastDraw > 100_000_000L || done >= total)) {
            lastDraw = now;
            draw();
        }
    }

    public synchronized void finish() {
        if (out != null && !finished) {
            finished = true;
            done = Math.max(done, total);
            draw();
            out.println();
        }
    }

    private void draw() {
        long shown = Math.min(done, total);
        int filled = (int) (WIDTH * shown / total);
        int percent = (int) (100 * shown / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format("%3d%%", percent) + "  " + Sizes.human(shown) + " / " + Sizes.human(total));
        out.flush();
    }
}
