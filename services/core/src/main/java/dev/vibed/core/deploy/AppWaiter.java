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
 * says Ready it asks the {@link ServingProbe}, re-checking when the probe says its answer may have changed (or
 * briefly polling when it cannot tell), because the router applies the route just after.
 */
public final class AppWaiter {
    private static final Duration PROBE_RETRY = Duration.ofMillis(20);

    private final AppStore store;
    private final ServingProbe probe;
    private final Clock clock;
    private final long probeRetryMs;

    public AppWaiter(AppStore store, ServingProbe probe, Clock clock) {
        this(store, probe, clock, PROBE_RETRY);
    }

    /** @param probeRetry how long a Ready app waits for a wake-up before it asks the probe again anyway */
    public AppWaiter(AppStore store, ServingProbe probe, Clock clock, Duration probeRetry) {
        this.store = store;
        this.probe = probe;
        this.clock = clock;
        this.probeRetryMs = probeRetry.toMillis();
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
        AutoCloseable routes = null;
        try (AutoCloseable ignored = store.watch(e -> {
            if (e.app().id().equals(appId)) {
                changes.offer(Boolean.TRUE);
            }
        })) {
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
                if (ready && routes == null) {
                    // The route is written just after Ready, by another thread: be woken by it, not by the poll.
                    routes = probe.watch(app, () -> changes.offer(Boolean.TRUE));
                }
                if (ready && probe.serves(app)) {
                    return new Waited(Result.SERVING, app);
                }
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    return new Waited(Result.TIMEOUT, app);
                }
                changes.poll(ready ? Math.min(left, probeRetryMs) : left, TimeUnit.MILLISECONDS);
                changes.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Waited(Result.TIMEOUT, store.get(appId).orElse(null));
        } catch (Exception e) {
            throw new IllegalStateException("waiting for app " + appId + " failed", e);
        } finally {
            closeQuietly(routes);
        }
    }

    private static void closeQuietly(AutoCloseable handle) {
        if (handle == null) {
            return;
        }
        try {
            handle.close();
        } catch (Exception ignored) {
            // a probe's watch holds nothing worth reporting when it cannot be closed
        }
    }

    private static boolean failed(App app, int version) {
        return app.status().failedVersion() == version && app.status().observedGeneration() == app.generation();
    }
}
