package dev.vibed.core.app;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes persist before they show, one app at a time, without one app's save holding up another's. */
class MemoryAppStoreTest {

    /** Blocks the save of {@code slowId} until released, as a slow disk would. */
    static final class SlowSave implements MemoryAppStore.Persistence {
        final String slowId;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        SlowSave(String slowId) {
            this.slowId = slowId;
        }

        @Override
        public void save(App app) {
            if (app.id().equals(slowId) && app.status().phase() == Phase.STARTING) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void delete(String id) {
        }
    }

    @Test
    void aSlowSaveOfOneAppDelaysThatAppsWritesButNotAnotherApps() throws Exception {
        // "a" and "b" hash to different lock stripes: the test is about two apps that share no lock.
        SlowSave disk = new SlowSave("a");
        MemoryAppStore store = new MemoryAppStore(disk, List.of(app("a"), app("b")));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<App> slow = pool.submit(() -> store.updateStatus("a", s -> phase(Phase.STARTING)));
            assertThat(disk.entered.await(10, TimeUnit.SECONDS)).isTrue();

            Future<App> sameApp = pool.submit(() -> store.updateStatus("a", s -> phase(Phase.READY)));
            App other = pool.submit(() -> store.updateStatus("b", s -> phase(Phase.READY))).get(10, TimeUnit.SECONDS);

            assertThat(other.status().phase()).as("another app's write went through meanwhile").isEqualTo(Phase.READY);
            assertThat(store.get("a").orElseThrow().status().phase()).as("nothing of 'a' shows before its save").isEqualTo(Phase.PENDING);
            assertThat(sameApp.isDone()).as("a second write of 'a' waits for the first").isFalse();

            disk.release.countDown();
            slow.get(10, TimeUnit.SECONDS);
            sameApp.get(10, TimeUnit.SECONDS);
            assertThat(store.get("a").orElseThrow().status().phase()).isEqualTo(Phase.READY);
        }
    }

    private static App app(String id) {
        AppVersion v1 = new AppVersion(1, Instant.EPOCH, new SourceRef("sha256/" + "a".repeat(64) + ".tar.gz", "a".repeat(64), 1),
                "fast", "static", "rule", "", Map.of());
        return new App(id, 1, Instant.EPOCH, new AppSpec(id, "owner", List.of(v1), 1, null, false), AppStatus.pending(null), false);
    }

    private static AppStatus phase(Phase phase) {
        AppStatus.Builder b = AppStatus.pending(null).toBuilder();
        b.phase = phase;
        return b.build();
    }
}
