package dev.vibed.core.reconcile;

import dev.vibed.core.testing.MutableClock;
import dev.vibed.core.testing.UrlOnlyBlobs;
import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;
import dev.vibed.core.app.MemoryAppStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconcile decisions, step by step, against in-memory ports: what the reconciler does from each state of the world.
 * The end-to-end behaviour with real agents is tested in the standalone and Kubernetes modules.
 */
class AppReconcilerTest {
    static final String ID = "aaaaaaaaaaaa";
    final MemoryAppStore store = new MemoryAppStore();
    final FakePool pool = new FakePool();
    final FakeAgents agents = new FakeAgents();
    final MutableClock clock = new MutableClock();
    AppReconciler reconciler;

    @BeforeEach
    void setUp() {
        reconciler = new AppReconciler(store, pool, agents, new UrlOnlyBlobs(URI.create("http://blobs/")), new AppPublisher() {
            @Override
            public String publish(App app, SandboxLease lease) {
                return lease.appHost() + ":" + lease.appPort();
            }

            @Override
            public void unpublish(String appId) {
            }
        }, new PublicUrls("http", "localhost", 8080), clock, ReconcileSettings.defaults());
    }

    @Test
    void claimsInjectsWaitsForListeningThenPublishes() {
        create("static");
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.STARTING);
        assertThat(agents.injected).extracting(InjectRequest::revision).containsExactly(ID + "-v1");

        reconciler.reconcile(ID);
        assertThat(app().status().phase()).as("not listening yet").isEqualTo(Phase.STARTING);

        agents.listen(ID + "-v1");
        reconciler.reconcile(ID);
        AppStatus s = app().status();
        assertThat(s.phase()).isEqualTo(Phase.READY);
        assertThat(s.servingVersion()).isEqualTo(1);
        assertThat(s.routeTarget()).isEqualTo("127.0.0.1:" + pool.port(ID + "-v1"));
        assertThat(s.url()).isEqualTo("http://" + ID + ".localhost:8080/");
        assertThat(s.condition(Condition.READY)).get().extracting(Condition::status, Condition::observedGeneration)
                .containsExactly("True", 1L);
        assertThat(s.outcomes()).containsEntry(1, "live");
    }

    @Test
    void anInjectThatAnswersListeningIsPublishedInTheSamePassWithTwoStatusWrites() {
        create("node");
        agents.onInjectWait = s -> new AgentStatus(AgentState.RUNNING, 42, 0, null, s.appPort(), s.bootId(),
                s.revision(), true, null, null);
        List<Phase> written = new ArrayList<>();
        store.watch(e -> written.add(e.app().status().phase()));

        reconciler.reconcile(ID);

        assertThat(agents.injectWaits).as("the inject was asked to wait for the start").containsExactly(Duration.ofSeconds(2));
        assertThat(written).as("the start shown before the inject, then nothing until it serves")
                .containsExactly(Phase.STARTING, Phase.READY);
        assertThat(app().status().servingVersion()).isEqualTo(1);
        assertThat(app().status().routeTarget()).isEqualTo("127.0.0.1:" + pool.port(ID + "-v1"));
        assertThat(pool.settled).as("the pool hears the start is over once it serves").containsExactly(ID + "-v1");
    }

    @Test
    void aSandboxJustTakenFromThePoolIsInjectedWithoutAskingItsAgentFirst() {
        create("node");
        pool.bindsUnused = true;
        agents.onInjectWait = s -> new AgentStatus(AgentState.RUNNING, 42, 0, null, s.appPort(), s.bootId(),
                s.revision(), true, null, null);

        reconciler.reconcile(ID);

        assertThat(agents.statusCalls).as("status calls before the inject of an unused sandbox").isZero();
        assertThat(agents.injected).extracting(InjectRequest::revision).containsExactly(ID + "-v1");
        assertThat(app().status().phase()).isEqualTo(Phase.READY);

        // The next pass finds the claim bound already: it asks the agent and, as it serves, does not inject again.
        reconciler.reconcile(ID);
        assertThat(agents.statusCalls).isEqualTo(1);
        assertThat(agents.injected).hasSize(1);
    }

    @Test
    void anInjectThatAnswersWithACrashFailsTheRolloutInTheSamePass() {
        create("node");
        agents.onInjectWait = s -> new AgentStatus(AgentState.EXITED, 0, 0, 1, s.appPort(), s.bootId(), s.revision(),
                false, "app exited with code 1", "Error: boom");
        reconciler.reconcile(ID);
        AppStatus s = app().status();
        assertThat(s.phase()).isEqualTo(Phase.FAILED);
        assertThat(s.message()).isEqualTo("AppExited: app exited with code 1");
        assertThat(s.lastCrashLog()).isEqualTo("Error: boom");
        assertThat(agents.injected).hasSize(1);
        assertThat(pool.settled).as("a failed start is over too").contains(ID + "-v1");
    }

    @Test
    void anInjectThatAnswersStillStartingShowsWhatTheAgentDoesAndIsFollowedAsBefore() {
        create("node");
        agents.onInjectWait = s -> new AgentStatus(AgentState.STARTING, 42, 0, null, s.appPort(), s.bootId(),
                s.revision(), false, "installing dependencies (npm ci)", null);
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.STARTING);
        assertThat(app().status().message()).isEqualTo("installing dependencies (npm ci)");
        assertThat(app().status().condition(Condition.READY)).get().extracting(Condition::reason).isEqualTo("Starting");
        assertThat(pool.settled).as("a long start (an install) does not hold the pool back").containsExactly(ID + "-v1");

        agents.listen(ID + "-v1");
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.READY);
        assertThat(agents.injected).as("not injected again").hasSize(1);
    }

    @Test
    void anAgentsWarningBecomesAWarningConditionAndGoesAwayWithIt() {
        create("node");
        reconciler.reconcile(ID);
        String note = "listens on 3000, not on $PORT (41631); routed to 3000";
        agents.listen(ID + "-v1", note);
        reconciler.reconcile(ID);
        AppStatus s = app().status();
        assertThat(s.phase()).isEqualTo(Phase.READY);
        assertThat(s.condition(Condition.WARNING)).get().extracting(Condition::status, Condition::reason, Condition::message)
                .containsExactly("True", "PortMismatch", note);

        agents.listen(ID + "-v1");
        reconciler.reconcile(ID);
        assertThat(app().status().condition(Condition.WARNING)).isEmpty();
    }

    @Test
    void anEmptiedSandboxIsReinjected() {
        ready("static");
        agents.reboot(ID + "-v1");
        reconciler.reconcile(ID);
        assertThat(agents.injected).hasSize(2);
    }

    @Test
    void aNewVersionReplacesTheOldOnlyWhenItListensAndTheOldIsReleasedAfterTheDrain() {
        ready("static");
        store.updateSpec(ID, spec -> spec.withNewVersion(version(2, "node")));

        reconciler.reconcile(ID);
        assertThat(app().status().phase()).as("the old version keeps serving").isEqualTo(Phase.READY);
        assertThat(app().status().servingVersion()).isEqualTo(1);
        agents.listen(ID + "-v2");
        reconciler.reconcile(ID);
        assertThat(app().status().servingVersion()).isEqualTo(2);
        assertThat(pool.claimKeys()).as("drain: the old sandbox is kept for a moment").contains(ID + "-v1");

        clock.advance(Duration.ofSeconds(3));
        reconciler.reconcile(ID);
        assertThat(pool.claimKeys()).containsExactly(ID + "-v2");
        assertThat(app().status().outcomes()).containsEntry(1, "replaced").containsEntry(2, "live");
    }

    @Test
    void aFailingNewVersionLeavesTheOldOneServing() {
        ready("static");
        store.updateSpec(ID, spec -> spec.withNewVersion(version(2, "node")));
        reconciler.reconcile(ID);
        agents.crash(ID + "-v2", "Error: boom");

        reconciler.reconcile(ID);
        AppStatus s = app().status();
        assertThat(s.phase()).isEqualTo(Phase.READY);
        assertThat(s.servingVersion()).isEqualTo(1);
        assertThat(s.failedVersion()).isEqualTo(2);
        assertThat(s.lastCrashLog()).contains("boom");
        assertThat(s.condition(Condition.DEPLOYED)).get().extracting(Condition::status, Condition::reason)
                .containsExactly("False", "CrashLoop");
        assertThat(pool.claimKeys()).containsExactly(ID + "-v1");

        int injects = agents.injected.size();
        reconciler.reconcile(ID);
        assertThat(agents.injected).as("a failed rollout is not retried until the spec changes").hasSize(injects);
    }

    @Test
    void aMissingTemplateFailsTheApp() {
        create("cobol");
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.FAILED);
        assertThat(app().status().condition(Condition.READY)).get().extracting(Condition::reason).isEqualTo("TemplateMissing");
    }

    @Test
    void anUnreachableAgentFailsAfterTheGrace() {
        agents.unreachable = true;
        assertFailsOnlyAfterTheGrace();
    }

    @Test
    void anInjectThatKeepsFailingFailsAfterTheGrace() {
        agents.injectFails = true;
        assertFailsOnlyAfterTheGrace();
    }

    private void assertFailsOnlyAfterTheGrace() {
        create("static");
        reconciler.reconcile(ID);
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.STARTING);
        clock.advance(Duration.ofSeconds(31));
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.FAILED);
        assertThat(app().status().condition(Condition.READY)).get().extracting(Condition::reason).isEqualTo("AgentUnreachable");
    }

    @Test
    void suspendReleasesAndResumeClaimsAgain() {
        ready("static");
        store.updateSpec(ID, spec -> spec.withSuspended(true));
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.SUSPENDED);
        assertThat(app().status().routeTarget()).isNull();
        assertThat(pool.claimKeys()).isEmpty();

        store.updateSpec(ID, spec -> spec.withSuspended(false));
        reconciler.reconcile(ID);
        agents.listen(ID + "-v1");
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.READY);
    }

    @Test
    void deletionReleasesEverythingThenRemovesTheApp() {
        ready("static");
        store.requestDelete(ID);
        reconciler.reconcile(ID);
        assertThat(store.get(ID)).isEmpty();
        assertThat(pool.claimKeys()).isEmpty();
    }

    @Test
    void anUnchangedWorldWritesNothing() {
        ready("static");
        long before = store.get(ID).orElseThrow().status().hashCode();
        List<Object> events = new ArrayList<>();
        store.watch(events::add);
        reconciler.reconcile(ID);
        reconciler.reconcile(ID);
        assertThat(events).isEmpty();
        assertThat(app().status().hashCode()).isEqualTo(before);
    }

    private void ready(String template) {
        create(template);
        reconciler.reconcile(ID);
        agents.listen(ID + "-v1");
        reconciler.reconcile(ID);
        assertThat(app().status().phase()).isEqualTo(Phase.READY);
    }

    private void create(String template) {
        AppSpec spec = new AppSpec("demo", "alice", List.of(version(1, template)), 1, null, false);
        store.create(new App(ID, 1, clock.instant(), spec, AppStatus.pending(null), false));
    }

    private AppVersion version(int n, String template) {
        return new AppVersion(n, clock.instant(), new SourceRef(BlobStore.keyFor("a".repeat(64)), "a".repeat(64), 10),
                "fast", template, "rule", "", Map.of("K", "v"));
    }

    private App app() {
        return store.get(ID).orElseThrow();
    }

    static final class FakePool implements SandboxPool {
        final Map<String, SandboxLease> bound = new HashMap<>();
        /** The claims told settled, in order: the pool may then start the work it held back. */
        final List<String> settled = new ArrayList<>();
        int nextPort = 20000;

        @Override
        public void settled(String claimKey) {
            settled.add(claimKey);
        }

        /** Whether a first claim reports its sandbox unused, as the standalone pool does for a warm one. */
        boolean bindsUnused;

        int port(String key) {
            return bound.get(key).appPort();
        }

        @Override
        public ClaimResult claim(String claimKey, String template, Map<String, String> labels) {
            if (!hasTemplate(template)) {
                return new ClaimResult.Failed("TemplateMissing", "no " + template);
            }
            boolean unused = bindsUnused && !bound.containsKey(claimKey);
            return new ClaimResult.Bound(bound.computeIfAbsent(claimKey, k -> new SandboxLease(k, "sbx-" + k,
                    new AgentClient.Endpoint(URI.create("http://agent/" + k), "t"), "127.0.0.1", nextPort++, false)),
                    unused);
        }

        @Override
        public Optional<SandboxLease> lease(String claimKey) {
            return Optional.ofNullable(bound.get(claimKey));
        }

        @Override
        public void release(String claimKey) {
            bound.remove(claimKey);
        }

        @Override
        public Set<String> claimKeys() {
            return Set.copyOf(bound.keySet());
        }

        @Override
        public boolean hasTemplate(String template) {
            return Set.of("static", "node").contains(template);
        }
    }

    static final class FakeAgents implements AgentClient {
        final Map<String, AgentStatus> byKey = new HashMap<>();
        final List<InjectRequest> injected = new ArrayList<>();
        boolean unreachable;
        boolean injectFails;
        /** When set, injects wait as a current agent's do, and answer with this status of the start. */
        java.util.function.UnaryOperator<AgentStatus> onInjectWait;
        final List<Duration> injectWaits = new ArrayList<>();
        int statusCalls;

        private String key(Endpoint e) {
            return e.controlUri().getPath().substring(1);
        }

        void listen(String key) {
            listen(key, null);
        }

        void listen(String key, String warning) {
            AgentStatus s = byKey.get(key);
            byKey.put(key, new AgentStatus(AgentState.RUNNING, 42, 0, null, s.appPort(), s.bootId(), s.revision(), true, null,
                    null, warning));
        }

        void crash(String key, String log) {
            AgentStatus s = byKey.get(key);
            byKey.put(key, new AgentStatus(AgentState.CRASHLOOP, 0, 5, 1, s.appPort(), s.bootId(), s.revision(), false, "crashed", log));
        }

        void reboot(String key) {
            byKey.put(key, new AgentStatus(AgentState.IDLE, 0, 0, null, 0, "boot-2", null, false, null, null));
        }

        @Override
        public AgentStatus status(Endpoint agent) throws AgentUnreachableException {
            statusCalls++;
            if (unreachable) {
                throw new AgentUnreachableException("connection refused", null);
            }
            return byKey.getOrDefault(key(agent), new AgentStatus(AgentState.IDLE, 0, 0, null, 0, "boot-1", null, false, null, null));
        }

        @Override
        public void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException {
            if (injectFails) {
                throw new AgentUnreachableException("agent answered 502 source_unreachable", null);
            }
            injected.add(request);
            byKey.put(key(agent), new AgentStatus(AgentState.STARTING, 42, 0, null, request.port(), "boot-1", request.revision(), false, null, null));
        }

        @Override
        public Optional<Injected> injectAndAwait(Endpoint agent, InjectRequest request, Duration wait)
                throws AgentUnreachableException {
            inject(agent, request);
            if (onInjectWait == null) {
                return Optional.empty();
            }
            injectWaits.add(wait);
            byKey.put(key(agent), onInjectWait.apply(byKey.get(key(agent))));
            return Optional.of(new Injected(byKey.get(key(agent)), Duration.ofMillis(30)));
        }

        @Override
        public void stop(Endpoint agent) {
        }

        @Override
        public List<dev.vibed.core.agent.LogLine> logs(Endpoint agent, int tail) {
            return List.of();
        }

        @Override
        public void followLogs(Endpoint agent, int tail, java.util.function.Predicate<dev.vibed.core.agent.LogLine> sink) {
        }

        @Override
        public void followLogsAfter(Endpoint agent, long afterSeq, java.util.function.Predicate<dev.vibed.core.agent.LogLine> sink) {
        }
    }
}
