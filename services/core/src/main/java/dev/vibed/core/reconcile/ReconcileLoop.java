package dev.vibed.core.reconcile;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The standalone mode's controller loop: a delayed work queue keyed by app id, fed by the store's watch, by the
 * reconciler's own requeues and by a periodic full resync. An app is never reconciled on two threads at once; a
 * change that arrives during a run triggers exactly one more run; each app has one due time (the earliest wins).
 * All bookkeeping happens under one lock, so no wake-up can be lost between threads.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class.getName());

    private final AppStore store;
    private final AppReconciler reconciler;
    private final int threads;
    private final DelayQueue<Due> queue = new DelayQueue<>();
    private final Object lock = new Object();
    private final Map<String, Long> dueAt = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> changedWhileRunning = new HashSet<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;
    private AutoCloseable watch;
    private Thread resync;

    public ReconcileLoop(AppStore store, AppReconciler reconciler, int threads) {
        this.store = store;
        this.reconciler = reconciler;
        this.threads = threads;
    }

    public void start(Duration resyncEvery) {
        watch = store.watch(event -> enqueue(event.app().id(), 0));
        for (int i = 0; i < threads; i++) {
            // Virtual: a pass may block on an agent's long-poll, and many apps start at once.
            Thread t = Thread.ofVirtual().name("reconcile-" + i).start(this::work);
            workers.add(t);
        }
        resync = Thread.ofPlatform().daemon().name("reconcile-resync").start(() -> {
            while (!closed) {
                store.list().stream().map(App::id).forEach(id -> enqueue(id, 0));
                try {
                    Thread.sleep(resyncEvery);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Asks for a reconcile of {@code id} in {@code delayMillis}, unless one is due sooner already. */
    public void enqueue(String id, long delayMillis) {
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
        synchronized (lock) {
            if (running.contains(id) && delayMillis == 0) {
                changedWhileRunning.add(id);
                return;
            }
            Long current = dueAt.get(id);
            if (current != null && current <= at) {
                return;
            }
            dueAt.put(id, at);
            queue.add(new Due(id, at));
        }
    }

    private void work() {
        while (!closed) {
            Due next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                Long at = dueAt.get(next.id);
                if (at == null || at != next.at) {
                    continue; // superseded by an earlier due time
                }
                dueAt.remove(next.id);
                if (running.contains(next.id)) {
                    changedWhileRunning.add(next.id);
                    continue;
                }
                running.add(next.id);
            }
            Duration again = null;
            try {
                again = reconciler.reconcile(next.id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reconcile of app " + next.id + " failed; retrying", e);
                again = Duration.ofSeconds(2);
            } finally {
                boolean rerun;
                synchronized (lock) {
                    running.remove(next.id);
                    rerun = changedWhileRunning.remove(next.id);
                }
                if (rerun) {
                    enqueue(next.id, 0);
                }
                if (again != null) {
                    enqueue(next.id, again.toMillis());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception ignored) {
            // shutting down
        }
        workers.forEach(Thread::interrupt);
        if (resync != null) {
            resync.interrupt();
        }
    }

    private record Due(String id, long at) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(at, ((Due) other).at);
        }
    }
}
