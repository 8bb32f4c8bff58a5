package dev.vibed.standalone;

import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.StandaloneServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With one deploy admitted at a time (--deploy-concurrency 1), a burst is taken in order and still all succeeds, and
 * an app that is slow to listen does not hold back the deploy behind it: its turn ends when it waits for its own
 * boot.
 */
class DeployAdmissionTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.starting(data -> RunningStandalone.start(
            StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("node")),
            Standalone.Overrides.defaults().withSettings(VibedFactory.Settings.defaults().withDeployConcurrency(1))));

    /** One thread per request: the common pool has a single thread on a 2-core machine, which would make no burst. */
    private static final java.util.concurrent.Executor THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void aSlowAppDoesNotHoldBackTheDeployBehindIt() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> server.http().get("/readyz").status() == 200);
        // Listens 6 s after it starts, far longer than any turn may be held, and works a little meanwhile, like a
        // slow boot: an app that listens on nothing and sits idle is failed as misconfigured.
        byte[] slow = TarGz.create().file("server.js", """
                const booting = setInterval(() => { const end = Date.now() + 3; while (Date.now() < end) {} }, 100);
                setTimeout(() => {
                  clearInterval(booting);
                  require('http').createServer((q, s) => s.end('slow')).listen(process.env.PORT);
                }, 6000);
                """).bytes();
        CompletableFuture<Http.Response> slowDeploy = CompletableFuture.supplyAsync(
                () -> server.http().deploy(slow, "{\"name\":\"slow-listener\"}"), THREADS);
        await("the slow app is being started").atMost(Duration.ofSeconds(30))
                .until(() -> server.http().get("/v1/apps").body().contains("slow-listener"));

        long start = System.nanoTime();
        Http.Response site = server.http().deploy(Apps.staticSite("behind the slow one"), "{\"name\":\"behind-slow\"}");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(site.status()).as(site.body()).isEqualTo(200);
        assertThat(slowDeploy).as("the static site served while the slow app still boots").isNotDone();
        assertThat(tookMs).as("ms the static deploy took behind the slow one").isLessThan(4_000);

        Http.Response slowAnswer = slowDeploy.get(60, TimeUnit.SECONDS);
        assertThat(slowAnswer.status()).as(slowAnswer.body()).isIn(200, 202);
        String host = URI.create(slowAnswer.json().getString("url")).getAuthority();
        await("the slow app serves in the end").atMost(Duration.ofSeconds(60))
                .until(() -> server.http().getHost(host, "/").body().equals("slow"));
    }

    @Test
    void aBurstTakenInTurnAllServes() {
        List<CompletableFuture<Http.Response>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "turn-" + i;
            burst.add(CompletableFuture.supplyAsync(
                    () -> server.http().deploy(Apps.staticSite(name), "{\"name\":\"" + name + "\"}"), THREADS));
        }
        for (int i = 0; i < burst.size(); i++) {
            Http.Response r = burst.get(i).join();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            String host = URI.create(r.json().getString("url")).getAuthority();
            assertThat(server.http().getHost(host, "/").body()).contains("turn-" + i);
        }
    }
}
