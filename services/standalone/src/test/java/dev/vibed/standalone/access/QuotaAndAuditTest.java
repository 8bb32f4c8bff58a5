package dev.vibed.standalone.access;

import dev.vibed.core.application.VibedFactory;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.quota.Quotas;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.TestCallers;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas and rate limits answer 429 (with Retry-After) or 413 and store nothing, while other users keep being
 * served; every state-changing action lands in the audit log with who, what, which app and the outcome, and the log
 * survives a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaAndAuditTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static Http alice;
    static Http bob;
    static Http admin;

    static final Quotas QUOTAS = new Quotas(6, 1, 1);
    static final AppPolicy POLICY = new AppPolicy(Duration.ofHours(24), Duration.ofDays(30), true, 2, 100, 64 * 1024,
            new ArchiveLimits(64 * 1024, 200L << 20, 10_000, 255));

    @BeforeAll
    static void start() throws IOException {
        vibed = startOn(data);
    }

    static Standalone startOn(Path dir) throws IOException {
        Standalone s = RunningStandalone.start(StandaloneConfig.defaults(dir).withPort(0).withTemplates(Set.of("static", "node")),
                Standalone.Overrides.defaults().withCallers(TestCallers.resolver())
                        .withSettings(VibedFactory.Settings.defaults().withPolicy(POLICY).withQuotas(QUOTAS)));
        Http anonymous = new Http(s.apiUri());
        alice = anonymous.as(TestCallers.ALICE);
        bob = anonymous.as(TestCallers.BOB);
        admin = anonymous.as(TestCallers.ADMIN);
        return s;
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    @Test
    @Order(1)
    void appQuotaRefusesAThirdAppAndStoresNothing() throws IOException {
        assertThat(alice.deploy(Apps.staticSite("one"), "{\"name\":\"one\"}").status()).isEqualTo(200);
        assertThat(alice.deploy(Apps.staticSite("two"), "{\"name\":\"two\"}").status()).isEqualTo(200);
        long blobs = blobCount();

        Http.Response third = alice.deploy(Apps.staticSite("three"), "{\"name\":\"three\"}");

        assertThat(third.status()).as(third.body()).isEqualTo(429);
        assertThat(third.json().getString("code")).isEqualTo("quota_exceeded");
        assertThat(blobCount()).isEqualTo(blobs);
        assertThat(spoolFiles()).isEmpty();
        // A new version of an app she has is not a new app: still allowed.
        assertThat(alice.deploy(Apps.staticSite("two again"), "{\"name\":\"two\"}").status()).isEqualTo(200);
        // Bob is not affected by Alice's quota.
        assertThat(bob.deploy(Apps.staticSite("bob"), "{\"name\":\"bobs\"}").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void deployRateLimitAnswers429WithRetryAfterAndStoresNothing() throws IOException {
        // Alice has used 4 of her 6 deploys this minute (two apps, a refused third, a second version).
        assertThat(alice.deploy(Apps.staticSite("five"), "{\"name\":\"one\"}").status()).isEqualTo(200);
        assertThat(alice.deploy(Apps.staticSite("six"), "{\"name\":\"one\"}").status()).isEqualTo(200);
        long blobs = blobCount();
        Http.Response limited = alice.deploy(Apps.staticSite("seven"), "{\"name\":\"one\"}");

        assertThat(limited.status()).as(limited.body()).isEqualTo(429);
        assertThat(limited.json().getString("code")).isEqualTo("rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(blobCount()).isEqualTo(blobs);
        assertThat(spoolFiles()).isEmpty();
        // Redeploys count against the same rate.
        String one = alice.get("/v1/apps?search=one").json().getJsonArray("apps").getJsonObject(0).getString("app_id");
        assertThat(alice.raw("POST", "/v1/apps/" + one + "/redeploy", null, null).status()).isEqualTo(429);
        assertThat(bob.deploy(Apps.staticSite("bob 2"), "{\"name\":\"bobs\"}").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void anOversizeUploadIs413AndStoresNothing() throws IOException {
        long blobs = blobCount();
        byte[] big = TarGz.create().file("index.html", "<h1>x</h1>").file("noise.bin", randomBytes(100 * 1024), 0644).bytes();

        Http.Response res = bob.deploy(big, "{\"name\":\"huge\"}");

        assertThat(res.status()).as(res.body()).isEqualTo(413);
        assertThat(res.json().getString("code")).isEqualTo("source_too_large");
        assertThat(blobCount()).isEqualTo(blobs);
        assertThat(spoolFiles()).isEmpty();
        assertThat(bob.get("/v1/apps").status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void concurrentLogStreamsAndWatchesAreCapped() throws Exception {
        Http.Response node = bob.deploy(Apps.nodeServer("bob node"), "{\"name\":\"bobnode\"}");
        assertThat(node.status()).as(node.body()).isEqualTo(200);
        String id = node.json().getString("app_id");
        try (Http.EventStream first = bob.stream("/v1/apps/" + id + "/logs?follow=true");
             Http.EventStream watch = bob.stream("/v1/watch")) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> first.status() == 200 && watch.status() == 200);
            Http.Response second = bob.get("/v1/apps/" + id + "/logs?follow=true");
            assertThat(second.status()).as(second.body()).isEqualTo(429);
            assertThat(second.json().getString("code")).isEqualTo("too_many_streams");
            assertThat(bob.get("/v1/watch").status()).isEqualTo(429);
            // Others keep their own slots.
            try (Http.EventStream alicesWatch = alice.stream("/v1/watch")) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> alicesWatch.status() == 200);
            }
        }
        // Closed streams give their slots back.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (Http.EventStream again = bob.stream("/v1/watch")) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> again.status() != 0);
                assertThat(again.status()).isEqualTo(200);
            }
        });
    }

    @Test
    @Order(5)
    void everyKindOfActionIsAuditedAndTheLogSurvivesARestart() throws IOException {
        String id = bob.get("/v1/apps?search=bobs").json().getJsonArray("apps").getJsonObject(0).getString("app_id");
        assertThat(bob.json("PUT", "/v1/apps/" + id + "/env", "{\"env\":{\"A\":\"very-secret-value\"}}").status()).isEqualTo(200);
        assertThat(bob.json("POST", "/v1/apps/" + id + "/rollback", "{\"version\":1}").status()).isEqualTo(200);
        assertThat(bob.raw("POST", "/v1/apps/" + id + "/suspend", null, null).status()).isEqualTo(200);
        assertThat(bob.raw("POST", "/v1/apps/" + id + "/resume", null, null).status()).isEqualTo(200);
        assertThat(bob.json("POST", "/v1/apps/" + id + "/extend", "{\"ttl\":\"3h\"}").status()).isEqualTo(200);
        assertThat(bob.raw("DELETE", "/v1/apps/" + id, null, null).status()).isEqualTo(202);

        List<JsonObject> entries = auditEntries();
        assertThat(entries).extracting(e -> e.getString("action"))
                .contains("deploy", "set_env", "rollback", "suspend", "resume", "extend_ttl", "delete", "redeploy");
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("deploy");
            assertThat(e.getString("outcome")).isEqualTo("quota_exceeded");
            assertThat(e.getString("actor")).isEqualTo("alice");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("set_env");
            assertThat(e.getString("actor")).isEqualTo("bob");
            assertThat(e.getString("app_id")).isEqualTo(id);
            assertThat(e.getString("outcome")).isEqualTo("ok");
        });
        assertThat(entries.toString()).doesNotContain("very-secret-value");

        vibed.close();
        vibed = startOn(data);
        assertThat(auditEntries()).hasSize(entries.size());
    }

    private static List<JsonObject> auditEntries() {
        List<JsonObject> all = new java.util.ArrayList<>();
        String cursor = "";
        do {
            JsonObject page = admin.get("/v1/audit?limit=5&cursor=" + cursor).json();
            page.getJsonArray("entries").forEach(v -> all.add(v.asJsonObject()));
            cursor = page.containsKey("next_cursor") && page.get("next_cursor") != JsonValue.NULL ? page.getString("next_cursor") : null;
        } while (cursor != null);
        return all;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(7).nextBytes(b);
        return b;
    }

    private static long blobCount() throws IOException {
        Path dir = data.resolve("blobs");
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("spool"))) {
            return files.toList();
        }
    }
}
