package dev.vibed.core.deploy;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.MemoryAppStore;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once the status says Ready, the waiter asks the serving probe; a probe that says when its answer changes (the
 * route applied) is asked again on that event, and one that cannot say is re-checked.
 */
class AppWaiterTest {
    static final String ID = "aaaaaaaaaaaa";
    final MemoryAppStore store = new MemoryAppStore();

    /** Serves once {@link #serving} is set; tells its listeners when told to (a route table would on each change). */
    static final class Probe implements ServingProbe {
        final AtomicBoolean serving = new AtomicBoolean();
        final AtomicInteger asked = new AtomicInteger();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        final boolean tells;

        Probe(boolean tells) {
            this.tells = tells;
        }

        @Override
        public boolean serves(App app) {
            asked.incrementAndGet();
            return serving.get();
        }

        @Override
        public Optional<AutoCloseable> onChange(Runnable change) {
            if (!tells) {
                return Optional.empty();
            }
            listeners.add(change);
            return Optional.of(() -> listeners.remove(change));
        }

        void routeApplied() {
            serving.set(true);
            listeners.forEach(Runnable::run);
        }
    }

    @Test
    void aProbeThatTellsIsAskedAgainWhenTheRouteIsApplied() throws Exception {
        Probe probe = new Probe(true);
        CompletableFuture<AppWaiter.Waited> w = waitForReadyApp(probe);
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.asked.get() >= 1 && !probe.listeners.isEmpty());
        assertThat(w).as("Ready, but the route is not there yet").isNotDone();

        probe.routeApplied();
        assertThat(w.get(10, TimeUnit.SECONDS).result()).isEqualTo(AppWaiter.Result.SERVING);
        assertThat(probe.listeners).as("the waiter stops listening when it returns").isEmpty();
    }

    @Test
    void aProbeThatCannotTellIsRecheckedUntilItServes() throws Exception {
        Probe probe = new Probe(false);
        CompletableFuture<AppWaiter.Waited> w = waitForReadyApp(probe);
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.asked.get() >= 1);
        probe.serving.set(true); // nothing tells the waiter: only its re-check can see it
        assertThat(w.get(10, TimeUnit.SECONDS).result()).isEqualTo(AppWaiter.Result.SERVING);
    }

    /** An app whose status says Ready, and a waiter for it on another thread. */
    private CompletableFuture<AppWaiter.Waited> waitForReadyApp(Probe probe) {
        readyApp();
        return CompletableFuture.supplyAsync(
                () -> new AppWaiter(store, probe, Clock.systemUTC()).await(ID, 1, Duration.ofSeconds(30)));
    }

    private void readyApp() {
        AppVersion v1 = new AppVersion(1, Clock.systemUTC().instant(), new SourceRef(BlobStore.keyFor("a".repeat(64)),
                "a".repeat(64), 10), "fast", "node", "rule", "", Map.of());
        AppSpec spec = new AppSpec("demo", "alice", List.of(v1), 1, null, false);
        store.create(new App(ID, 1, Clock.systemUTC().instant(), spec, AppStatus.pending(null), false));
        store.updateStatus(ID, s -> {
            AppStatus.Builder b = s.toBuilder();
            b.phase = Phase.READY;
            b.servingVersion = 1;
            b.routeTarget = "127.0.0.1:1";
            b.observedGeneration = 1;
            return b.build();
        });
    }
}
