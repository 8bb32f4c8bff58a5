package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.Phase;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waits, on the store's watch rather than a poll of the status, until a version serves or fails. Once the status
 * says Ready it asks the {@link ServingProbe}, again when the probe says its answer may have changed (the router
 * applies the route just after the status) and, for probes that cannot say, briefly re-checking.
 */
public final class AppWaiter {
    /** Re-check of a probe that cannot say when its answer changes. */
    private static final long PROBE_RETRY_MS = 20;
    /** Only a safety net for a probe that says when its answer changes (a refused connect, say). */
    private static final long TOLD_PROBE_RETRY_MS = 250;

    private final AppStore store;
    private final ServingProbe probe;
    private final Clock clock;

    public AppWaiter(AppStore store, ServingProbe probe, Clock clock) {
        this.store = store;
        this.probe = probe;
        this.clock = clock;
    }

    public enum Result {SERVING, FAILED, TIMEOUT, GONE}

    public record Waited(Result result, App app) {
    }

    public Waited await(String appId, int version, Duration budget) {
        return await(appId, version, budget, app -> {
        });
    }

    /** As {@link #await(String, int, Duration)}, showing {@code observer} every state of the app it looks at. */
    public Waited await(String appId, int version, Duration budget, Consumer<App> observer) {
        Instant deadline = clock.instant().plus(budget);
        LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = store.watch(e -> {
            if (e.app().id().equals(appId)) {
                changes.offer(Boolean.TRUE);
            }
        })) {
            Optional<AutoCloseable> told = probe.onChange(() -> changes.offer(Boolean.TRUE));
            long retryMs = told.isPresent() ? TOLD_PROBE_RETRY_MS : PROBE_RETRY_MS;
            try {
                return awaitServing(appId, version, deadline, changes, observer, retryMs);
            } finally {
                if (told.isPresent()) {
                    told.get().close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Waited(Result.TIMEOUT, store.get(appId).orElse(null));
        } catch (Exception e) {
            throw new IllegalStateException("waiting for app " + appId + " failed", e);
        }
    }

    private Waited awaitServing(String appId, int version, Instant deadline, LinkedBlockingQueue<Boolean> changes,
                                Consumer<App> observer, long retryMs) throws InterruptedException {
        while (true) {
            Optional<App> found = store.get(appId);
            if (found.isEmpty() || found.get().deleting()) {
                return new Waited(Result.GONE, found.orElse(null));
            }
            App app = found.get();
            observer.accept(app);
            if (failed(app, version)) {
                return new Waited(Result.FAILED, app);
            }
            boolean ready = app.status().phase() == Phase.READY && app.status().servingVersion() == version;
            if (ready && probe.serves(app)) {
                return new Waited(Result.SERVING, app);
            }
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return new Waited(Result.TIMEOUT, app);
            }
            changes.poll(ready ? Math.min(left, retryMs) : left, TimeUnit.MILLISECONDS);
            changes.clear();
        }
    }

    private static boolean failed(App app, int version) {
        return app.status().failedVersion() == version && app.status().observedGeneration() == app.generation();
    }
}
