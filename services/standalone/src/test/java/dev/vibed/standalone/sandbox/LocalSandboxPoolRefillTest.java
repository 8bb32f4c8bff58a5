package dev.vibed.standalone.sandbox;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.sandbox.ClaimResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the pool starts the sandbox that replaces a claimed one, and what a claim tells of the sandbox it binds.
 * Which process a sandbox runs does not matter here
 * (the deploy tests run real agents), so the factory hands out stand-ins and records each start.
 */
class LocalSandboxPoolRefillTest {
    @TempDir
    Path root;
    /** Where every stand-in's app answers, as the proxy names it. */
    static final String STAND_IN_TARGET = "127.0.0.1:9";
    final List<String> started = new CopyOnWriteArrayList<>();
    /** Starts after the first wait here until a test opens it (counted down at once unless a test holds it). */
    final CountDownLatch gate = new CountDownLatch(1);
    volatile boolean holdStarts;
    LocalSandboxPool pool;

    @BeforeEach
    void start() throws Exception {
        pool = new LocalSandboxPool((name, template, dir) -> {
            started.add(name);
            if (holdStarts) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new StandIn(name, template, dir);
        }, root, Set.of("node"), 1);
        pool.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.metrics().warm().get("node") == 1);
    }

    @AfterEach
    void stop() {
        gate.countDown();
        pool.close();
    }

    @Test
    void theReplacementOfAClaimedSandboxStartsOnceItsStartIsOver() {
        assertThat(pool.claim("app1-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        // Nothing competes with the claimed app's start for the CPU meanwhile.
        await("no replacement while the claimed sandbox starts its app").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2)).until(() -> started.size() == 1);

        pool.settled("app1-v1");
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2 && pool.metrics().warm().get("node") == 1);
        pool.settled("app1-v1");
        await("settled twice, replaced once").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> started.size() == 2);
    }

    @Test
    void aSettledClaimsRefillWaitsForItsAppsFirstAnswer() {
        assertThat(pool.claim("app7-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        pool.settled("app7-v1");
        pool.served("127.0.0.1:10"); // another app's answer
        await("no refill before the app's first answer").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> started.size() == 1);

        long servedAt = System.nanoTime();
        pool.served(STAND_IN_TARGET);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - servedAt)).as("started by the answer, not by the grace")
                .isLessThan(LocalSandboxPool.DEFAULT_REFILL_GRACE.minusMillis(300));
        pool.served(STAND_IN_TARGET);
        await("one refill per claim").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> started.size() == 2);
    }

    @Test
    void aSettledClaimWhoseAppIsNeverAskedIsReplacedAfterTheGrace() {
        assertThat(pool.claim("app8-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        long settledAt = System.nanoTime();
        pool.settled("app8-v1");
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - settledAt)).isGreaterThanOrEqualTo(LocalSandboxPool.DEFAULT_REFILL_GRACE);
    }

    @Test
    void aMissStartsTheRefillsWaitingForAnAnswer() {
        assertThat(pool.claim("app9-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        pool.settled("app9-v1");
        assertThat(pool.claim("app10-v1", "node", Map.of())).isInstanceOf(ClaimResult.Pending.class);
        // The deferred refill, the miss's own refill and the miss's cold start, all well before the grace.
        await().atMost(LocalSandboxPool.DEFAULT_REFILL_GRACE.minusMillis(300)).until(() -> started.size() >= 3);
    }

    @Test
    void aRefillIsCountedAsStartingFromItsClaimsSettleUntilItsSandboxJoinsThePool() {
        assertThat(pool.metrics().starting()).containsEntry("node", 0);
        holdStarts = true;
        assertThat(pool.claim("app6-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        pool.settled("app6-v1");
        assertThat(pool.metrics().starting()).as("waiting for the app's first answer").containsEntry("node", 1);
        pool.served(STAND_IN_TARGET);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
        assertThat(pool.metrics().starting()).as("booting").containsEntry("node", 1);
        assertThat(pool.metrics().warm()).containsEntry("node", 0);

        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.metrics().warm().get("node") == 1
                && pool.metrics().starting().get("node") == 0);
    }

    @Test
    void aClaimReleasedBeforeItSettledIsReplacedToo() {
        assertThat(pool.claim("app2-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        pool.release("app2-v1");
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2 && pool.metrics().warm().get("node") == 1);
    }

    @Test
    void onlyTheClaimThatTookASandboxFromThePoolCallsItUnused() {
        ClaimResult first = pool.claim("app5-v1", "node", Map.of());
        assertThat(first).isInstanceOfSatisfying(ClaimResult.Bound.class, b -> assertThat(b.unused()).isTrue());
        // Asked again (the next pass, or after the API's restart), the binding may have had its inject.
        ClaimResult again = pool.claim("app5-v1", "node", Map.of());
        assertThat(again).isInstanceOfSatisfying(ClaimResult.Bound.class, b -> {
            assertThat(b.unused()).isFalse();
            assertThat(b.lease().sandboxName()).isEqualTo(((ClaimResult.Bound) first).lease().sandboxName());
        });
    }

    @Test
    void aMissRefillsAtOnce() {
        assertThat(pool.claim("app3-v1", "node", Map.of())).isInstanceOf(ClaimResult.Bound.class);
        // The pool is empty and the first claim has not settled: a second claim is a burst the pool must catch up with.
        assertThat(pool.claim("app4-v1", "node", Map.of())).isInstanceOf(ClaimResult.Pending.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() >= 3);
    }

    private record StandIn(String name, String template, Path dir) implements LocalAgent {
        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public AgentClient.Endpoint endpoint() {
            return new AgentClient.Endpoint(URI.create("http://127.0.0.1:9/"), "token");
        }

        @Override
        public String appHost() {
            return "127.0.0.1";
        }

        @Override
        public int appPort() {
            return 9;
        }

        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public void destroy() {
        }
    }
}
