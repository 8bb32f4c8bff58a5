package dev.vibed.controller.lifecycle;

import dev.vibed.core.lifecycle.Collector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Runs core's {@link Collector} (expired apps, unreferenced blobs) on a timer, on the leader only: it is idempotent,
 * but N replicas listing every app and every blob would be N times the load for nothing.
 */
public final class LeaderCollector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderCollector.class.getName());

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "collector");
        t.setDaemon(true);
        return t;
    });

    public LeaderCollector(Collector collector, BooleanSupplier leading, Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            if (!leading.getAsBoolean()) {
                return;
            }
            try {
                Collector.Collected done = collector.collectOnce();
                if (done.apps() > 0 || done.blobs() > 0) {
                    LOG.info("collected " + done.apps() + " expired app(s) and " + done.blobs() + " blob(s)");
                }
            } catch (RuntimeException e) {
                LOG.warning("collection failed: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
