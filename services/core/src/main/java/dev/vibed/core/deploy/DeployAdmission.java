package dev.vibed.core.deploy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many deploys do the platform's own work at once, first come first served. The work of a deploy that only
 * vibeD does (inspect, store, queue for its first pass, hand the source over, for a static site the whole rollout) is
 * CPU on the machine vibeD runs on. A burst of N deploys that all run at once shares the cores among all of them, and
 * every one of them finishes near the end of the burst. Taken in order, the first ones are live long before the
 * last, the median waits about half as long, and the last no longer than before.
 *
 * <p>An admission is held only while the deploy waits for vibeD itself. It is let go when the deploy serves or fails,
 * when it waits for something else (a sandbox to be warmed, the app's own install, build or boot), or after
 * {@code maxHold}, so a slow app never holds back the deploys behind it for long.
 */
public final class DeployAdmission {
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deploy-admission-timeouts");
        t.setDaemon(true);
        return t;
    });

    private final Semaphore slots;
    private final Duration maxHold;

    /** @param concurrent deploys admitted at once; 0 admits every deploy at once (the Kubernetes API, whose work runs in the controller) */
    public DeployAdmission(int concurrent, Duration maxHold) {
        if (concurrent < 0) {
            throw new IllegalArgumentException("concurrent deploys must be 0 (no limit) or more, not " + concurrent);
        }
        this.slots = concurrent == 0 ? null : new Semaphore(concurrent, true);
        this.maxHold = maxHold;
    }

    public static DeployAdmission unlimited() {
        return new DeployAdmission(0, Duration.ZERO);
    }

    /** Waits for a turn, in arrival order, and holds it until {@link Admission#close()} or {@code maxHold}. */
    public Admission admit() {
        if (slots == null) {
            return new Admission(null);
        }
        slots.acquireUninterruptibly();
        Admission admission = new Admission(slots);
        admission.timeout = TIMEOUTS.schedule(admission::close, maxHold.toMillis(), TimeUnit.MILLISECONDS);
        return admission;
    }

    /** Deploys waiting for their turn now. */
    public int waiting() {
        return slots == null ? 0 : slots.getQueueLength();
    }

    /** One deploy's turn; closing it more than once (its outcome, then its timeout) gives the turn back once. */
    public static final class Admission implements AutoCloseable {
        private final Semaphore slots;
        private final AtomicBoolean held;
        private volatile ScheduledFuture<?> timeout;

        private Admission(Semaphore slots) {
            this.slots = slots;
            this.held = new AtomicBoolean(slots != null);
        }

        public boolean held() {
            return held.get();
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                slots.release();
                ScheduledFuture<?> pending = timeout;
                if (pending != null) {
                    pending.cancel(false); // a burst would otherwise leave one timer per deploy waiting
                }
            }
        }
    }
}
