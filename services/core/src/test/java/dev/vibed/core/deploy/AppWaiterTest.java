package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.MemoryAppStore;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The deploy's wait: on the store's watch until Ready, then on the probe's own wake-ups until the URL serves. */
class AppWaiterTest {
    private static final String ID = "abcdefghijkl";

    /** A route written after Ready, as a router does: flips {@link #serves} and wakes the probe's watchers. */
    static final class RouteProbe implements ServingProbe {
        final AtomicBoolean routed = new AtomicBoolean();
        final List<Runnable> watchers = new CopyOnWriteArrayList<>();

        @Override
        public boolean serves(App app) {
            return routed.get();
        }

        @Override
        public AutoCloseable watch(App app, Runnable changed) {
            watchers.add(changed);
            return () -> watchers.remove(changed);
        }

        void route() {
            routed.set(true);
            watchers.forEach(Runnable::run);
        }
    }

    @Test
    void aRouteWrittenAfterReadyWakesTheWaiterInsteadOfItsPoll() throws Exception {
        MemoryAppStore store = new MemoryAppStore();
        store.create(app());
        RouteProbe probe = new RouteProbe();
        // A poll this long would outlast the budget: only the probe's wake-up can make the wait end in time.
        AppWaiter waiter = new AppWaiter(store, probe, Clock.systemUTC(), Duration.ofHours(1));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<AppWaiter.Waited> waited = pool.submit(() -> waiter.await(ID, 1, Duration.ofSeconds(30)));
            store.updateStatus(ID, s -> ready());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (probe.watchers.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5); // poll interval of this bounded wait for the waiter to see Ready
            }
            assertThat(probe.watchers).as("the waiter watches the probe once the app is Ready").hasSize(1);
            assertThat(waited.isDone()).as("Ready without the route does not serve yet").isFalse();

            probe.route();

            AppWaiter.Waited result = waited.get(10, TimeUnit.SECONDS);
            assertThat(result.result()).isEqualTo(AppWaiter.Result.SERVING);
            assertThat(probe.watchers).as("the probe's watch ends with the wait").isEmpty();
        }
    }

    @Test
    void aProbeThatCannotWatchIsAskedAgainAtEachPoll() {
        MemoryAppStore store = new MemoryAppStore();
        store.create(app());
        store.updateStatus(ID, s -> ready());
        int[] asked = {0};
        ServingProbe thirdTime = app -> ++asked[0] >= 3;
        AppWaiter waiter = new AppWaiter(store, thirdTime, Clock.systemUTC(), Duration.ofMillis(5));

        assertThat(waiter.await(ID, 1, Duration.ofSeconds(30)).result()).isEqualTo(AppWaiter.Result.SERVING);
        assertThat(asked[0]).isEqualTo(3);
    }

    private static App app() {
        AppVersion v1 = new AppVersion(1, Instant.EPOCH, new SourceRef("sha256/" + "a".repeat(64) + ".tar.gz", "a".repeat(64), 1),
                "fast", "static", "rule", "", Map.of());
        return new App(ID, 1, Instant.EPOCH, new AppSpec("site", "owner", List.of(v1), 1, null, false), AppStatus.pending(null), false);
    }

    private static AppStatus ready() {
        AppStatus.Builder b = AppStatus.pending(null).toBuilder();
        b.phase = Phase.READY;
        b.servingVersion = 1;
        b.routeTarget = "site:" + ID + "-v1";
        b.observedGeneration = 1;
        return b.build();
    }
}
