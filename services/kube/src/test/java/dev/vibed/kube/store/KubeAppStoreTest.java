package dev.vibed.kube.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.testing.KubeMock;
import dev.vibed.kube.testing.SampleApps;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.vibed.kube.model.VibedApp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeAppStoreTest {
    private static final String NS = "vibed-apps";
    /** The URLs {@link SampleApps} gives its apps. */
    private static final PublicUrls URLS = new PublicUrls("http", "apps.test", 0);
    private static KubeMock kube;
    private static KubeAppStore store;

    @BeforeAll
    static void start() {
        kube = KubeMock.start(NS);
        store = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.WRITE, URLS);
    }

    @AfterAll
    static void stop() {
        store.close();
        kube.close();
    }

    @Test
    void createStoresSpecAndOurFinalizerAndTheAppReadsAsPendingAtItsUrl() {
        App app = SampleApps.app("alice", "create", "static", SampleApps.sha('1'));
        long statusWrites = kube.writes("/status");
        App created = store.create(app);

        assertThat(created.id()).isEqualTo(app.id());
        assertThat(created.spec()).isEqualTo(app.spec());
        assertThat(created.status()).as("Pending at its URL").isEqualTo(app.status());
        VibedApp resource = kube.client().resources(VibedApp.class).inNamespace(NS).withName(app.id()).get();
        assertThat(resource.getMetadata().getFinalizers()).containsExactly(VibedApp.FINALIZER);
        assertThat(resource.getStatus()).as("the controller writes the first status").isNull();
        assertThat(kube.writes("/status")).as("no status write at all").isEqualTo(statusWrites);
        assertThat(store.get(app.id())).contains(created);
        try (KubeAppStore router = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.NONE)) {
            assertThat(router.get(app.id()).orElseThrow().status()).as("a store without URLs").isEqualTo(AppStatus.pending(null));
        }
        assertThat(store.list()).extracting(App::id).contains(app.id());
        assertThatThrownBy(() -> store.create(app)).isInstanceOf(AppStore.AppAlreadyExistsException.class);
    }

    /**
     * The controller's first pass runs on the create's own watch event, so its status can be written before the
     * create returns. The mock server (unlike a real API server) does not check resourceVersion on /status, so a
     * status write by the create would win there: the create writes none.
     */
    @Test
    void aStatusTheControllerWritesDuringTheCreateStays() throws Exception {
        App app = SampleApps.app("alice", "first", "static", SampleApps.sha('6'));
        AtomicBoolean writing = new AtomicBoolean();
        CountDownLatch written = new CountDownLatch(1);
        try (KubeAppStore controller = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.READ, URLS);
             AutoCloseable ignored = controller.watch(e -> {
                 if (e.app().id().equals(app.id()) && !e.removed() && writing.compareAndSet(false, true)) {
                     controller.updateStatus(app.id(), s -> {
                         var b = s.toBuilder();
                         b.phase = Phase.FAILED;
                         b.message = "TemplateMissing: no such template";
                         return b.build();
                     });
                     written.countDown();
                 }
             })) {
            store.create(app);
            assertThat(written.await(10, TimeUnit.SECONDS)).as("the controller wrote").isTrue();
        }
        // Both writers are done: whatever the interleaving, the controller's status is the one stored.
        assertThat(store.get(app.id()).orElseThrow().status()).satisfies(s -> {
            assertThat(s.phase()).isEqualTo(Phase.FAILED);
            assertThat(s.message()).isEqualTo("TemplateMissing: no such template");
        });
    }

    @Test
    void specAndStatusAreWrittenSeparatelyAndSpecBumpsTheGeneration() {
        App app = store.create(SampleApps.app("alice", "update", "static", SampleApps.sha('2')));

        App suspended = store.updateSpec(app.id(), s -> s.withSuspended(true));
        assertThat(suspended.spec().suspended()).isTrue();
        assertThat(suspended.generation()).isGreaterThan(app.generation());
        assertThat(suspended.status()).as("a spec write keeps the status").isEqualTo(app.status());

        App failed = store.updateStatus(app.id(), s -> {
            var b = s.toBuilder();
            b.phase = Phase.FAILED;
            b.message = "nope";
            return b.build();
        });
        assertThat(failed.status().phase()).isEqualTo(Phase.FAILED);
        assertThat(failed.spec().suspended()).as("a status write keeps the spec").isTrue();
        assertThat(failed.generation()).as("status writes do not bump the generation").isEqualTo(suspended.generation());
        assertThatThrownBy(() -> store.updateStatus("nosuchappxxx", s -> s)).isInstanceOf(AppStore.AppNotFoundException.class);
    }

    /**
     * Spec writes, because the mock server checks resourceVersion on PUT of the resource but not of /status (a real
     * API server checks both); both go through the same read-modify-write retry.
     */
    @Test
    void concurrentWritersAllLandThroughConflictRetries() throws Exception {
        App app = store.create(SampleApps.app("alice", "race", "static", SampleApps.sha('3')));
        AppVersion first = app.spec().active();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<App>> writes = IntStream.range(0, 8).mapToObj(i -> pool.submit(() ->
                    store.updateSpec(app.id(), s -> s.withNewVersion(
                            first.withEnv(s.latestVersionNumber() + 1, first.createdAt(), Map.of("N", "" + i)))))).toList();
            for (Future<App> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        App after = store.get(app.id()).orElseThrow();
        assertThat(after.spec().versions()).hasSize(9);
        assertThat(after.spec().activeVersion()).isEqualTo(9);
    }

    @Test
    void deleteWaitsForTheFinalizerAndWatchReportsEveryStep() throws Exception {
        App app = SampleApps.app("alice", "delete", "static", SampleApps.sha('4'));
        List<AppStore.AppEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = store.watch(e -> {
            if (e.app().id().equals(app.id())) {
                events.add(e);
            }
        })) {
            store.create(app);
            store.requestDelete(app.id());

            App deleting = store.get(app.id()).orElseThrow();
            assertThat(deleting.deleting()).as("the finalizer keeps it, marked").isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.app().deleting() && !e.removed()));

            store.remove(app.id());
            assertThat(store.get(app.id())).isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(AppStore.AppEvent::removed));
            assertThat(events.getFirst().app().deleting()).isFalse();
        }
        store.remove(app.id());
        assertThatThrownBy(() -> store.requestDelete(app.id())).isInstanceOf(AppStore.AppNotFoundException.class);
    }

    /**
     * Nothing wakes the controller when a Secret lands (it watches none), so its first pass, on the create's own
     * event, must already find the values the spec names: the create writes the Secret before the app.
     */
    @Test
    void aCreateWritesTheEnvSecretBeforeTheApp() {
        App app = SampleApps.app("alice", "envfirst", "static", SampleApps.sha('7'));
        int before = kube.requests().size();
        store.create(app);
        List<String> posts = kube.requests().subList(before, kube.requests().size()).stream()
                .filter(r -> r.startsWith("POST ")).toList();
        assertThat(posts).as("the create's writes, in order").hasSize(2);
        assertThat(posts.get(0)).contains("/secrets");
        assertThat(posts.get(1)).contains("/vibedapps");
        try (KubeAppStore controller = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.READ, URLS)) {
            assertThat(controller.get(app.id()).orElseThrow().spec().active().env()).isEqualTo(app.spec().active().env());
        }
    }

    @Test
    void envValuesLiveInAPerAppSecretOwnedByTheAppAndOnlyReadersOfSecretsSeeThem() {
        App app = store.create(SampleApps.app("alice", "secretive", "static", SampleApps.sha('5')));
        VibedApp resource = kube.client().resources(VibedApp.class).inNamespace(NS).withName(app.id()).get();
        assertThat(Serialization.asJson(resource)).as("no env value in the VibedApp").doesNotContain("hello").contains("GREETING");

        Secret secret = kube.client().secrets().inNamespace(NS).withName(AppEnvSecrets.name(app.id())).get();
        assertThat(secret.getData().keySet()).hasSize(2).allMatch(k -> k.matches("v1-[0-9a-f]{8}\\.(GREETING|MODE)"));
        String greetingKey = resource.getSpec().getVersions().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("GREETING")).findFirst().orElseThrow().getSecretKey();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get(greetingKey)), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo(VibedApp.KIND);
            assertThat(o.getUid()).isEqualTo(resource.getMetadata().getUid());
            assertThat(o.getBlockOwnerDeletion()).as("the API may not set it without vibedapps/finalizers").isFalse();
        });

        try (KubeAppStore controller = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.READ);
             KubeAppStore router = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.NONE)) {
            assertThat(controller.get(app.id()).orElseThrow().spec().active().env()).as("what the controller injects")
                    .isEqualTo(Map.of("GREETING", "hello", "MODE", "test"));
            assertThat(router.get(app.id()).orElseThrow().spec().active().env()).as("the router never reads Secrets")
                    .isEqualTo(Map.of("GREETING", "", "MODE", ""));
        }

        // A new version with other env: both versions' values are kept while both are in the spec.
        store.updateSpec(app.id(), spec -> spec.withNewVersion(new dev.vibed.core.app.AppVersion(2, java.time.Instant.now(),
                spec.active().source(), spec.active().lane(), spec.active().template(), spec.active().rule(), spec.active().root(),
                Map.of("GREETING", "bonjour"))));
        assertThat(kube.client().secrets().inNamespace(NS).withName(AppEnvSecrets.name(app.id())).get().getData().keySet())
                .hasSize(3).contains(greetingKey).anyMatch(k -> k.matches("v2-[0-9a-f]{8}\\.GREETING"));
        assertThat(store.get(app.id()).orElseThrow().spec().version(2).orElseThrow().env()).isEqualTo(Map.of("GREETING", "bonjour"));
        assertThat(store.get(app.id()).orElseThrow().spec().version(1).orElseThrow().env()).containsEntry("GREETING", "hello");

        // Without its Secret the controller does not inject a wrong env: the read fails (and the reconcile is retried).
        kube.client().secrets().inNamespace(NS).withName(AppEnvSecrets.name(app.id())).delete();
        try (KubeAppStore controller = new KubeAppStore(kube.newClient(), NS, AppEnvSecrets.Access.READ)) {
            assertThatThrownBy(() -> controller.get(app.id())).hasMessageContaining("not (yet) in Secret")
                    .hasMessageNotContaining("hello");
        }
    }
}
