package dev.vibed.standalone;

import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Apps survive a restart of vibeD: listed at once, serving again once re-reconciled. */
class StandaloneRestartTest {
    @TempDir
    Path data;

    @Test
    void appsSurviveARestartAndServeAgain() throws Exception {
        String id;
        String host;
        try (Standalone first = RunningStandalone.start(data, Set.of("static", "node"))) {
            Http http = new Http(first.apiUri());
            Http.Response res = http.deploy(Apps.nodeServer("before restart"), "{\"name\":\"survivor\"}");
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            id = res.json().getString("app_id");
            host = URI.create(res.json().getString("url")).getAuthority();
        }
        try (Standalone second = RunningStandalone.start(data, Set.of("static", "node"))) {
            Http http = new Http(second.apiUri());
            assertThat(http.get("/v1/apps").json().getJsonArray("apps").stream()
                    .map(v -> v.asJsonObject().getString("app_id"))).containsExactly(id);
            String newHost = id + ".localhost:" + second.port();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Http.Response page = http.getHost(newHost, "/again");
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.body()).startsWith("before restart /again");
            });
            assertThat(host).startsWith(id + ".localhost:");
        }
    }
}
