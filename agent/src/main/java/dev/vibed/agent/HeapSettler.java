package dev.vibed.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives memory back after a burst of work. An inject (a download, an archive, JSON) grows the heap far above the
 * few MB the agent keeps alive, and the serial collector keeps what it has grown unless a full collection
 * finds it free: one full collection once the burst is over brings the agent's resident memory back near its idle
 * size. It runs after a quiet period, not in the inject's path, so neither the answer nor the app's first
 * requests wait for it; a new burst within the period postpones it.
 */
final class HeapSettler implements AutoCloseable {
    private final Duration quiet;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vibed-agent-heap-settler");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> pending;

    HeapSettler(Duration quiet) {
        this.quiet = quiet;
    }

    /** Full collection now: for moments when nobody waits, such as before the agent reports ready. */
    static void settleNow() {
        System.gc();
    }

    /** A full collection once {@code quiet} has passed without another call. */
    synchronized void settleLater() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(HeapSettler::settleNow, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
