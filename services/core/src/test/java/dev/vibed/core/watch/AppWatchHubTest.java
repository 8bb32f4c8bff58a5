package dev.vibed.core.watch;

import dev.vibed.core.access.Caller;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.MemoryAppStore;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.SourceRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live watch's contract: snapshot then changes, owned and masked, latest state per app, nobody waits on a slow reader. */
class AppWatchHubTest {
    private final MemoryAppStore store = new MemoryAppStore();
    private final AppWatchHub hub = new AppWatchHub(store);

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void snapshotFirstThenChangesThenRemoval() {
        create("a1", "alice");
        List<AppChange> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = hub.subscribe(Caller.user("alice"), null, seen::add, () -> {
        })) {
            await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
            assertThat(seen.getFirst().snapshot()).isTrue();
            assertThat(seen.getFirst().app().env()).containsEntry("SECRET", "********");

            store.updateStatus("a1", s -> {
                var b = s.toBuilder();
                b.phase = Phase.READY;
                return b.build();
            });
            await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 2);
            assertThat(seen.get(1).snapshot()).isFalse();
            assertThat(seen.get(1).app().phase()).isEqualTo("Ready");

            store.remove("a1");
            await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 3);
            assertThat(seen.get(2).removed()).isTrue();
            assertThat(seen.get(2).appId()).isEqualTo("a1");
        }
    }

    @Test
    void aWatcherSeesOnlyWhatItMaySeeAndAdminsSeeAll() {
        List<AppChange> bobs = new CopyOnWriteArrayList<>();
        List<AppChange> admins = new CopyOnWriteArrayList<>();
        try (Subscription b = hub.subscribe(Caller.user("bob"), null, bobs::add, () -> {
        }); Subscription a = hub.subscribe(Caller.admin("root"), null, admins::add, () -> {
        })) {
            create("a1", "alice");
            create("b1", "bob");
            await().atMost(Duration.ofSeconds(2)).until(() -> admins.size() == 2 && bobs.size() == 1);
            assertThat(bobs).extracting(AppChange::appId).containsExactly("b1");
        }
    }

    @Test
    void aSlowReaderCoalescesToTheLatestStateAndDelaysNobody() throws Exception {
        create("a1", "alice");
        CountDownLatch release = new CountDownLatch(1);
        List<AppChange> slow = new CopyOnWriteArrayList<>();
        List<AppChange> fast = new CopyOnWriteArrayList<>();
        try (Subscription s = hub.subscribe(Caller.user("alice"), null, c -> {
            slow.add(c);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> {
        }); Subscription f = hub.subscribe(Caller.user("alice"), null, fast::add, () -> {
        })) {
            await().atMost(Duration.ofSeconds(2)).until(() -> slow.size() == 1 && fast.size() == 1);
            // The reader is blocked for good until released: if a write waited on it, this loop would never end.
            for (int i = 1; i <= 500; i++) {
                int n = i;
                store.updateStatus("a1", st -> restarts(st, n));
            }
            // The blocked reader holds one pending state for the app, not 500.
            assertThat(s.backlog()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(2)).until(() -> !fast.isEmpty() && fast.getLast().app().restarts() == 500);

            release.countDown();
            await().atMost(Duration.ofSeconds(2)).until(() -> slow.size() == 2);
            assertThat(slow.get(1).app().restarts()).isEqualTo(500);
        }
    }

    @Test
    void oneAppWatchIgnoresOthersAndOnCloseRunsOnce() {
        create("a1", "alice");
        create("a2", "alice");
        List<AppChange> seen = new CopyOnWriteArrayList<>();
        int[] closed = {0};
        Subscription s = hub.subscribe(Caller.user("alice"), "a2", seen::add, () -> closed[0]++);
        await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
        store.updateStatus("a1", st -> restarts(st, 3));
        store.updateStatus("a2", st -> restarts(st, 4));
        await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 2);
        assertThat(seen).extracting(AppChange::appId).containsOnly("a2");
        s.close();
        s.close();
        assertThat(closed[0]).isEqualTo(1);
        assertThat(hub.subscriberCount()).isZero();
    }

    private static AppStatus restarts(AppStatus s, int n) {
        var b = s.toBuilder();
        b.restarts = n;
        return b.build();
    }

    private void create(String id, String owner) {
        AppVersion v = new AppVersion(1, Instant.EPOCH, new SourceRef("k", "a".repeat(64), 1), "fast", "static", "rule", "",
                Map.of("SECRET", "value"));
        store.create(new App(id, 1, Instant.EPOCH, new AppSpec(id, owner, List.of(v), 1, null, false), AppStatus.pending(null), false));
    }
}
