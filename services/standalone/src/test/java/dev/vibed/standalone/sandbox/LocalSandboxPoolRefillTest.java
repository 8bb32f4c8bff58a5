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
    final List<String> started = new CopyOnWriteArrayList<>();
    LocalSandboxPool pool;

    @BeforeEach
    void start() throws Exception {
        pool = new LocalSandboxPool((name, template, dir) -> {
            started.add(name);
            return new StandIn(name, template, dir);
        }, root, Set.of("node"), 1);
        pool.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.metrics().warm().get("node") == 1);
    }

    @AfterEach
    void stop() {
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
