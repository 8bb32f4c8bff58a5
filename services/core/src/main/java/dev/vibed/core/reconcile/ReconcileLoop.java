package dev.vibed.core.reconcile;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The standalone mode's controller loop: a work queue keyed by app id, fed by the store's watch and a periodic
 * full resync. One app is never reconciled on two threads at once, a change that arrives during a run triggers
 * one more run, and each app has at most one pending timer (the earliest wins).
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class.getName());

    private final AppStore store;
    private final AppReconciler reconciler;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private AutoCloseable watch;

    public ReconcileLoop(AppStore store, AppReconciler reconciler, int threads) {
        this.store = store;
        this.reconciler = reconciler;
        this.scheduler = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "reconcile");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration resync) {
        watch = store.watch(event -> enqueue(event.app().id(), 0));
        scheduler.scheduleWithFixedDelay(() -> store.list().stream().map(App::id).forEach(id -> enqueue(id, 0)),
                0, resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void enqueue(String id, long delayMillis) {
        timers.compute(id, (key, existing) -> {
            if (existing != null && !existing.isDone() && existing.getDelay(TimeUnit.MILLISECONDS) <= delayMillis) {
                return existing;
            }
            if (existing != null) {
                existing.cancel(false);
            }
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            // The task removes its own entry first; compute holds the key's lock, so self is set before that runs.
            ScheduledFuture<?> future = scheduler.schedule(() -> {
                timers.remove(id, self.get());
                run(id);
            }, delayMillis, TimeUnit.MILLISECONDS);
            self.set(future);
            return future;
        });
    }

    private void run(String id) {
        if (!running.add(id)) {
            dirty.add(id);
            return;
        }
        try {
            Duration again = reconciler.reconcile(id);
            if (again != null) {
                enqueue(id, again.toMillis());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reconcile of app " + id + " failed; retrying", e);
            enqueue(id, 2000);
        } finally {
            running.remove(id);
            if (dirty.remove(id)) {
                enqueue(id, 0);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception ignored) {
            // shutting down
        }
        scheduler.shutdownNow();
    }
}
