package dev.vibed.kube.store;

import dev.vibed.core.access.Caller;
import dev.vibed.core.app.App;
import dev.vibed.core.app.Phase;
import dev.vibed.core.watch.AppChange;
import dev.vibed.core.watch.AppWatchHub;
import dev.vibed.core.watch.Subscription;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live watch on the Kubernetes store behaves as on the file store: apps that existed before the watch are
 * replayed first (env masked), then changes made through other clients arrive, and a delete is seen.
 */
class KubeWatchHubTest {
    private static final String NS = "vibed-apps";
    private static KubeMock kube;
    private static KubeAppStore store;
    private static KubeAppStore otherReplica;

    @BeforeAll
    static void start() {
        kube = KubeMock.start(NS);
        store = new KubeAppStore(kube.newClient(), NS);
        otherReplica = new KubeAppStore(kube.newClient(), NS);
    }

    @AfterAll
    static void stop() {
        store.close();
        otherReplica.close();
        kube.close();
    }

    @Test
    void replaysExistingAppsThenDeliversChangesFromAnotherReplica() {
        App existing = otherReplica.create(SampleApps.app("alice", "before", "static", SampleApps.sha('5')));
        App someoneElses = otherReplica.create(SampleApps.app("bob", "not-yours", "static", SampleApps.sha('6')));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.get(existing.id()).isPresent()
                && store.get(someoneElses.id()).isPresent());

        List<AppChange> seen = new CopyOnWriteArrayList<>();
        try (AppWatchHub hub = new AppWatchHub(store);
             Subscription ignored = hub.subscribe(Caller.user("alice"), null, seen::add, () -> {
             })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
            assertThat(seen.getFirst().snapshot()).isTrue();
            assertThat(seen.getFirst().appId()).isEqualTo(existing.id());

            otherReplica.updateStatus(existing.id(), s -> {
                var b = s.toBuilder();
                b.phase = Phase.READY;
                return b.build();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .anyMatch(c -> !c.removed() && "Ready".equals(c.app().phase())));

            otherReplica.requestDelete(existing.id());
            otherReplica.remove(existing.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(AppChange::removed));
            assertThat(seen).extracting(AppChange::appId).containsOnly(existing.id());
        }
    }
}
