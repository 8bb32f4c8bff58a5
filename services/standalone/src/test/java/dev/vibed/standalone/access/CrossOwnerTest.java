package dev.vibed.standalone.access;

import dev.vibed.core.app.AppIds;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import dev.vibed.standalone.testing.TestCallers;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route, the log stream and the live watch, called by the wrong user on somebody else's app: each answers
 * exactly what a nonexistent app answers (404, same code and message but for the id), nothing leaks, and the app is
 * untouched afterwards. GraphQL and MCP have their own rows of the same table next to their front ends.
 */
class CrossOwnerTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static Http alice;
    static Http bob;
    static Http admin;
    static String aliceApp;
    static final String MISSING = AppIds.appId("nobody", "ghost");

    record Row(String name, String method, String path, String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> routes() {
        return Stream.of(
                new Row("get app", "GET", "/v1/apps/{id}", null),
                new Row("versions", "GET", "/v1/apps/{id}/versions", null),
                new Row("logs", "GET", "/v1/apps/{id}/logs?tail=10", null),
                new Row("log stream", "GET", "/v1/apps/{id}/logs?follow=true", null),
                new Row("watch one app", "GET", "/v1/watch?app={id}", null),
                new Row("rollback", "POST", "/v1/apps/{id}/rollback", "{\"version\":1}"),
                new Row("redeploy", "POST", "/v1/apps/{id}/redeploy", null),
                new Row("set env", "PUT", "/v1/apps/{id}/env", "{\"env\":{\"X\":\"1\"}}"),
                new Row("suspend", "POST", "/v1/apps/{id}/suspend", null),
                new Row("resume", "POST", "/v1/apps/{id}/resume", null),
                new Row("extend ttl", "POST", "/v1/apps/{id}/extend", "{\"ttl\":\"1h\"}"),
                new Row("delete", "DELETE", "/v1/apps/{id}", null));
    }

    @BeforeAll
    static void start() throws IOException {
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("node")),
                Standalone.Overrides.defaults().withCallers(TestCallers.resolver()));
        Http anonymous = new Http(vibed.apiUri());
        alice = anonymous.as(TestCallers.ALICE);
        bob = anonymous.as(TestCallers.BOB);
        admin = anonymous.as(TestCallers.ADMIN);
        Http.Response deployed = alice.deploy(Apps.nodeServer("alice app"), "{\"name\":\"secret-app\",\"env\":{\"TOKEN\":\"s3cr3t\"}}");
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
        aliceApp = deployed.json().getString("app_id");
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void anotherOwnersAppAnswersLikeAMissingOne(Row row) {
        Http.Response theirs = call(bob, row, aliceApp);
        Http.Response missing = call(bob, row, MISSING);

        assertThat(theirs.status()).as(theirs.body()).isEqualTo(404);
        assertThat(missing.status()).as(missing.body()).isEqualTo(404);
        assertThat(theirs.body().replace(aliceApp, "<id>")).isEqualTo(missing.body().replace(MISSING, "<id>"));
        assertThat(theirs.body()).doesNotContain("alice", "secret-app", "s3cr3t");
    }

    @Test
    void theAppIsUntouchedByEveryAttempt() {
        routes().forEach(row -> call(bob, row, aliceApp));

        JsonObject app = alice.get("/v1/apps/" + aliceApp).json();
        assertThat(app.getString("phase")).isEqualTo("Ready");
        assertThat(app.getInt("active_version")).isEqualTo(1);
        assertThat(app.getBoolean("suspended")).isFalse();
        assertThat(app.getJsonObject("env").getString("TOKEN")).isEqualTo("********");
        assertThat(alice.getHost(aliceApp + ".localhost", "/").body()).startsWith("alice app");
    }

    @Test
    void listsAndWatchesShowOnlyYourOwnApps() {
        assertThat(bob.get("/v1/apps").json().getJsonArray("apps")).isEmpty();
        assertThat(alice.get("/v1/apps").body()).contains(aliceApp);
        assertThat(admin.get("/v1/apps").body()).contains(aliceApp);

        try (Http.EventStream bobs = bob.stream("/v1/watch"); Http.EventStream alices = alice.stream("/v1/watch")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> alices.data().stream().anyMatch(d -> d.contains(aliceApp)));
            assertThat(alice.json("POST", "/v1/apps/" + aliceApp + "/extend", "{\"ttl\":\"2h\"}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> alices.data().size() >= 2);
            // Bob's stream is open (it got its opening comment) and carried nothing of Alice's.
            await().atMost(Duration.ofSeconds(5)).until(() -> !bobs.lines().isEmpty());
            assertThat(bobs.status()).isEqualTo(200);
            assertThat(bobs.data()).isEmpty();
            assertThat(String.join("\n", bobs.lines())).doesNotContain(aliceApp);
        }
    }

    @Test
    void onlyAdminsReadTheAuditLog() {
        assertThat(bob.get("/v1/audit").status()).isEqualTo(403);
        assertThat(admin.get("/v1/audit").status()).isEqualTo(200);
    }

    @Test
    void noCredentialsIsUnauthorised() {
        Http.Response res = new Http(vibed.apiUri()).get("/v1/apps");
        assertThat(res.status()).isEqualTo(401);
        assertThat(res.json().getString("code")).isEqualTo("unauthorized");
    }

    private static Http.Response call(Http as, Row row, String id) {
        String path = row.path().replace("{id}", id);
        return row.body() == null ? as.raw(row.method(), path, null, null) : as.json(row.method(), path, row.body());
    }
}
