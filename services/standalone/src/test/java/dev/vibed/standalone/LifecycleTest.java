package dev.vibed.standalone;

import dev.vibed.core.lifecycle.EnvRules;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.StandaloneServer;
import dev.vibed.standalone.testing.RunningStandalone;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** App lifecycle through the REST API with real sandboxes: redeploy, versions, rollback, env, suspend, TTL. */
class LifecycleTest {
    @RegisterExtension
    static final StandaloneServer server = StandaloneServer.starting(data -> RunningStandalone.start(
            StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static", "node"))
                    .withCollectEvery(Duration.ofMillis(300))
                    // A broken redeploy is declared failed after five crashes with backoff; on a busy machine that
                    // outlasts the default 10 s wait (a 202, not the 422 asserted).
                    .withDeployWait(Duration.ofSeconds(40))
                    // Short, not zero: a deploy stores its blob a moment before the new version references it.
                    .withBlobGrace(Duration.ofSeconds(5))));

    @Test
    void redeployKeepsTheUrlAndSwitchesWithoutAFailedRequest() throws Exception {
        JsonObject v1 = deployed(Apps.nodeServer("one"), "{\"name\":\"hammered\"}");
        String host = host(v1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread hammer = Thread.ofPlatform().start(() -> {
            Instant until = Instant.now().plusSeconds(60);
            while (!stop.get() && Instant.now().isBefore(until)) {
                Http.Response r = server.http().getHost(host, "/");
                if (r.status() == 200) {
                    seen.add(r.body().split(" ")[0]);
                } else {
                    failures.add(r.status() + " " + r.body());
                }
            }
        });
        try {
            JsonObject v2 = deployed(Apps.nodeServer("two"), "{\"name\":\"hammered\"}");
            assertThat(v2.getString("app_id")).isEqualTo(v1.getString("app_id"));
            assertThat(v2.getString("url")).isEqualTo(v1.getString("url"));
            assertThat(v2.getInt("version")).isEqualTo(2);
            assertThat(v2.getBoolean("created")).isFalse();
            // Keep hammering across the drain, when the old sandbox goes away: no request may fail meanwhile.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(failures::isEmpty);
        } finally {
            stop.set(true);
            hammer.join();
        }
        assertThat(failures).as("requests that failed during the switch").isEmpty();
        assertThat(seen).containsExactlyInAnyOrder("one", "two");
        assertThat(server.http().getHost(host, "/").body()).startsWith("two");
    }

    @Test
    void aBrokenRedeployLeavesTheOldVersionServing() {
        JsonObject v1 = deployed(Apps.nodeServer("stable"), "{\"name\":\"fragile\"}");
        String id = v1.getString("app_id");

        Http.Response broken = server.http().deploy(Apps.crashingNode(), "{\"name\":\"fragile\"}");
        assertThat(broken.status()).as(broken.body()).isEqualTo(422);
        assertThat(broken.json().getString("code")).isEqualTo("deploy_failed");
        assertThat(broken.json().getString("message")).contains("version 2 failed").contains("version 1 keeps serving");
        assertThat(broken.json().getString("last_crash_log")).contains("boom: missing config");

        assertThat(server.http().getHost(host(v1), "/").body()).startsWith("stable");
        JsonObject app = server.http().get("/v1/apps/" + id).json();
        assertThat(app.getString("phase")).isEqualTo("Ready");
        assertThat(app.getInt("serving_version")).isEqualTo(1);
        assertThat(app.getInt("active_version")).isEqualTo(2);
        List<JsonObject> versions = versions(id);
        assertThat(versions).extracting(v -> v.getInt("version") + ":" + v.getString("outcome"))
                .containsExactly("2:failed: CrashLoop", "1:live");
    }

    @Test
    void rollbackServesAnOlderVersionFromItsStoredSource() {
        JsonObject v1 = deployed(Apps.staticSite("first edition"), "{\"name\":\"rolling\"}");
        String id = v1.getString("app_id");
        deployed(Apps.staticSite("second edition"), "{\"name\":\"rolling\"}");
        assertThat(server.http().getHost(host(v1), "/").body()).contains("second edition");

        Http.Response res = server.http().json("POST", "/v1/apps/" + id + "/rollback", "{\"version\":1}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(server.http().getHost(host(v1), "/").body()).contains("first edition"));
        assertThat(versions(id)).filteredOn(v -> v.getBoolean("active")).extracting(v -> v.getInt("version")).containsExactly(1);
        assertThat(server.http().json("POST", "/v1/apps/" + id + "/rollback", "{\"version\":9}").json().getString("code"))
                .isEqualTo("version_not_found");
    }

    @Test
    void envReachesTheAppAndIsMaskedInEveryRead() {
        JsonObject v1 = deployed(Apps.nodeServer("env"), "{\"name\":\"with-env\",\"env\":{\"GREETING\":\"top-secret-1\"}}");
        String id = v1.getString("app_id");
        assertThat(server.http().getHost(host(v1), "/").body()).endsWith("greeting=top-secret-1");

        Http.Response put = server.http().json("PUT", "/v1/apps/" + id + "/env", "{\"env\":{\"GREETING\":\"top-secret-2\"}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(server.http().getHost(host(v1), "/").body()).endsWith("greeting=top-secret-2"));

        for (String path : List.of("/v1/apps/" + id, "/v1/apps", "/v1/apps/" + id + "/versions")) {
            assertThat(server.http().get(path).body()).doesNotContain("top-secret");
        }
        assertThat(put.body()).doesNotContain("top-secret");
        assertThat(server.http().get("/v1/apps/" + id).json().getJsonObject("env").getString("GREETING")).isEqualTo(EnvRules.MASK);
        assertThat(server.http().json("PUT", "/v1/apps/" + id + "/env", "{\"env\":{\"PORT\":\"1\"}}").json().getString("code"))
                .isEqualTo("invalid_env");
    }

    @Test
    void suspendShowsASuspendedPageAndResumeServesAgain() {
        JsonObject v1 = deployed(Apps.staticSite("sleepy"), "{\"name\":\"sleepy\"}");
        String id = v1.getString("app_id");

        assertThat(server.http().json("POST", "/v1/apps/" + id + "/suspend", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Http.Response page = server.http().getHost(host(v1), "/");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.body()).contains("suspended");
            assertThat(server.http().get("/v1/apps/" + id).json().getString("phase")).isEqualTo("Suspended");
        });

        assertThat(server.http().json("POST", "/v1/apps/" + id + "/resume", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(server.http().getHost(host(v1), "/").body()).contains("sleepy"));
    }

    @Test
    void expiredAppsAndTheirUnreferencedBlobsAreCollected() {
        JsonObject app = deployed(Apps.staticSite("ephemeral " + System.nanoTime()), "{\"name\":\"ephemeral\",\"ttl\":\"1h\"}");
        String id = app.getString("app_id");
        Instant expires = Instant.parse(server.http().get("/v1/apps/" + id).json().getString("expires_at"));
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        String sha = versions(id).getFirst().getString("source_sha256");
        assertThat(blob(sha)).exists();

        // Shorten the life to one second (a TTL counts from now), then the collector takes app, sandbox and blob.
        assertThat(server.http().json("POST", "/v1/apps/" + id + "/extend", "{\"ttl\":\"1s\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(server.http().get("/v1/apps/" + id).status()).isEqualTo(404);
            assertThat(server.http().getHost(host(app), "/").status()).isEqualTo(404);
            assertThat(blob(sha)).doesNotExist();
        });
    }

    @Test
    void extendMovesTheExpiry() {
        JsonObject app = deployed(Apps.staticSite("extend me"), "{\"name\":\"extend-me\",\"ttl\":\"1h\"}");
        String id = app.getString("app_id");
        Http.Response res = server.http().json("POST", "/v1/apps/" + id + "/extend", "{\"ttl\":\"48h\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(Instant.parse(res.json().getString("expires_at"))).isAfter(Instant.now().plus(Duration.ofHours(47)));
        Http.Response never = server.http().json("POST", "/v1/apps/" + id + "/extend", "{\"ttl\":0}");
        assertThat(never.json().containsKey("expires_at")).isFalse();
        assertThat(server.http().json("POST", "/v1/apps/" + id + "/extend", "{\"ttl\":\"forever\"}").json().getString("code"))
                .isEqualTo("invalid_ttl");
    }

    private static JsonObject deployed(byte[] archive, String metadata) {
        Http.Response res = server.http().deploy(archive, metadata);
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.json();
    }

    private static List<JsonObject> versions(String id) {
        return server.http().get("/v1/apps/" + id + "/versions").json().getJsonArray("versions").stream()
                .map(JsonValue::asJsonObject).toList();
    }

    private static Path blob(String sha) {
        return server.data().resolve("blobs/sha256/" + sha + ".tar.gz");
    }

    private static String host(JsonObject deployed) {
        return URI.create(deployed.getString("url")).getAuthority();
    }

}
