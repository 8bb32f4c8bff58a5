package dev.vibed.core.deploy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times each deploy's stages as the components that finish them report it (the deploy service, the reconciler, the
 * route sync), keyed by claim key (app and version). A stage's time runs from the end of the one before, so the
 * stages add up to the deploy. Marks for a deploy this process did not start (after a restart, or in another
 * process of a cluster) are ignored; each stage is recorded once.
 */
public final class DeployTimeline {
    /** Deploys not confirmed after this long are forgotten (the API answered 202 and nobody waits any more). */
    private static final long FORGET_AFTER_NANOS = Duration.ofMinutes(10).toNanos();

    private final DeployMetrics metrics;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public DeployTimeline(DeployMetrics metrics) {
        this.metrics = metrics;
    }

    public static DeployTimeline none() {
        return new DeployTimeline(DeployMetrics.NONE);
    }

    /** A deploy whose upload took {@code upload}; it ended now. */
    public Run begin(Duration upload) {
        Run run = new Run(System.nanoTime() - upload.toNanos());
        run.mark(DeployStage.UPLOAD);
        return run;
    }

    /** From now on, reconciler and router marks for {@code claimKey} belong to {@code run}. */
    public void follow(String claimKey, Run run) {
        long now = System.nanoTime();
        runs.values().removeIf(r -> now - r.startNanos > FORGET_AFTER_NANOS);
        runs.put(claimKey, run);
    }

    public void mark(String claimKey, DeployStage stage) {
        mark(claimKey, stage, Duration.ZERO);
    }

    /** As {@link #mark(String, DeployStage)}, for a stage that ended {@code ago} before now (learnt late). */
    public void mark(String claimKey, DeployStage stage, Duration ago) {
        Run run = runs.get(claimKey);
        if (run != null) {
            run.mark(stage, ago);
        }
    }

    /** Records the whole deploy and stops following it. */
    public void finish(String claimKey, Run run, String template, String outcome) {
        runs.remove(claimKey, run);
        metrics.deploy(template, outcome, Duration.ofNanos(System.nanoTime() - run.startNanos));
    }

    /** One deploy's clock. */
    public final class Run {
        private final long startNanos;
        private long lastNanos;
        private int recorded; // bit set of stages already recorded

        private Run(long startNanos) {
            this.startNanos = startNanos;
            this.lastNanos = startNanos;
        }

        public void mark(DeployStage stage) {
            mark(stage, Duration.ZERO);
        }

        synchronized void mark(DeployStage stage, Duration ago) {
            int bit = 1 << stage.ordinal();
            if ((recorded & bit) != 0) {
                return;
            }
            recorded |= bit;
            long now = Math.max(lastNanos, System.nanoTime() - ago.toNanos());
            metrics.stage(stage, Duration.ofNanos(Math.max(0, now - lastNanos)));
            lastNanos = now;
        }
    }
}
