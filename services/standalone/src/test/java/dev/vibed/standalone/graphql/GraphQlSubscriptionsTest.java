package dev.vibed.standalone.graphql;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions end to end with the real graphql-ws npm client (run by node) against a real standalone vibeD:
 * phases of a deploy made through REST, a delete seen by appsChanged, live log lines resumed without a gap, the
 * cross-owner rows, queries and mutations over the socket, and a subscriber that never reads slowing nobody.
 */
class GraphQlSubscriptionsTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static Http alice;
    static Http bob;

    @BeforeAll
    static void start() throws IOException {
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static", "node")),
                TwoUsers.resolver());
        alice = new Http(vibed.apiUri(), "Bearer " + TwoUsers.ALICE);
        bob = new Http(vibed.apiUri(), "Bearer " + TwoUsers.BOB);
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    static GraphQlWsNode subscribe(String token, String query, JsonObject variables) {
        return GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", token).add("query", query)
                .add("variables", variables).build());
    }

    static JsonObject vars(String key, String value) {
        return Json.createObjectBuilder().add(key, value).build();
    }

    static byte[] talkingNode(String marker, int linesPerTick, int lineLength) {
        return TarGz.create()
                .file("package.json", "{\"name\":\"talk\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", """
                        let n = 0;
                        const pad = 'x'.repeat(%d);
                        setInterval(() => { for (let i = 0; i < %d; i++) console.log('%s ' + (n++) + ' ' + pad); }, 50);
                        require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT, process.env.HOST || '127.0.0.1');
                        """.formatted(lineLength, linesPerTick, marker))
                .bytes();
    }

    @Test
    void appChangedSeesEveryPhaseOfARestDeployUpToReady() {
        // A first version that crashes: the app exists (so it can be watched) and nothing of it serves.
        Http.Response failed = alice.deploy(Apps.crashingNode(), "{\"name\":\"gql-phases\"}");
        String id = failed.json().getString("app_id");
        await().atMost(Duration.ofSeconds(60)).until(() -> alice.get("/v1/apps/" + id).json().getString("phase").equals("Failed"));

        try (GraphQlWsNode watcher = subscribe(TwoUsers.ALICE,
                "subscription($id: ID!) { appChanged(id: $id) { kind appId app { phase activeVersion servingVersion conditions { type status } } } }",
                vars("id", id))) {
            JsonObject snapshot = watcher.awaitEvent("next", Duration.ofSeconds(20)).getJsonObject("payload");
            assertThat(snapshot.getJsonObject("data").getJsonObject("appChanged").getString("kind")).isEqualTo("SNAPSHOT");

            Http.Response fixed = alice.deploy(Apps.nodeServer("fixed"), "{\"name\":\"gql-phases\"}");
            assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);

            watcher.awaitEvent(e -> e.getString("event").equals("next") && app(e).getString("phase").equals("Ready")
                    && app(e).getInt("servingVersion") == 2, Duration.ofSeconds(30));
            List<String> phases = new ArrayList<>();
            for (JsonObject next : watcher.nexts()) {
                String p = next.getJsonObject("data").getJsonObject("appChanged").getJsonObject("app").getString("phase");
                if (phases.isEmpty() || !phases.getLast().equals(p)) {
                    phases.add(p);
                }
            }
            // Every phase the store went through, in order. Claiming is written only when no warm sandbox was free.
            assertThat(List.of(List.of("Failed", "Starting", "Ready"), List.of("Failed", "Claiming", "Starting", "Ready")))
                    .as("phases seen").contains(phases);
        }
    }

    private static JsonObject app(JsonObject nextEvent) {
        JsonValue app = nextEvent.getJsonObject("payload").getJsonObject("data").getJsonObject("appChanged").get("app");
        return app instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    }

    @Test
    void appsChangedSeesADeployAndADelete() {
        try (GraphQlWsNode watcher = subscribe(TwoUsers.ALICE, "subscription { appsChanged { kind appId app { name phase } } }",
                JsonValue.EMPTY_JSON_OBJECT)) {
            watcher.awaitEvent("connected", Duration.ofSeconds(20));
            Http.Response res = alice.deploy(Apps.staticSite("soon gone"), "{\"name\":\"gql-gone\"}");
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            String id = res.json().getString("app_id");
            watcher.awaitEvent(e -> e.getString("event").equals("next") && change(e).getString("appId").equals(id)
                    && change(e).get("app") instanceof JsonObject a && a.getString("phase").equals("Ready"), Duration.ofSeconds(30));

            assertThat(alice.raw("DELETE", "/v1/apps/" + id, null, null).status()).isEqualTo(202);
            JsonObject removed = watcher.awaitEvent(e -> e.getString("event").equals("next") && change(e).getString("appId").equals(id)
                    && change(e).getString("kind").equals("REMOVED"), Duration.ofSeconds(30));
            assertThat(change(removed).isNull("app")).isTrue();
        }
    }

    private static JsonObject change(JsonObject nextEvent) {
        return nextEvent.getJsonObject("payload").getJsonObject("data").getJsonObject("appsChanged");
    }

    @Test
    void appLogsDeliverPrintedLinesAndResumeWithoutAGap() {
        Http.Response res = alice.deploy(talkingNode("tick", 1, 10), "{\"name\":\"gql-talk\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        String id = res.json().getString("app_id");
        String query = "subscription($id: ID!, $after: Long) { appLogs(id: $id, tail: 0, afterSeq: $after) { seq stream line } }";

        long last;
        try (GraphQlWsNode logs = GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", TwoUsers.ALICE)
                .add("query", query).add("variables", Json.createObjectBuilder().add("id", id).addNull("after")).add("max", 5).build())) {
            logs.awaitEvent("stopped", Duration.ofSeconds(30));
            List<JsonObject> lines = logs.nexts().stream().map(n -> n.getJsonObject("data").getJsonObject("appLogs")).toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
            assertThat(lines).allSatisfy(l -> assertThat(l.getString("line")).startsWith("tick "));
            assertThat(lines).allSatisfy(l -> assertThat(l.getString("stream")).isEqualTo("stdout"));
            for (int i = 1; i < lines.size(); i++) {
                assertThat(lines.get(i).getJsonNumber("seq").longValue()).isEqualTo(lines.get(i - 1).getJsonNumber("seq").longValue() + 1);
            }
            last = lines.getLast().getJsonNumber("seq").longValue();
        }
        // Lines printed while nobody listened are not lost: resuming after the last seq seen continues right there.
        try (GraphQlWsNode resumed = GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", TwoUsers.ALICE)
                .add("query", query).add("variables", Json.createObjectBuilder().add("id", id).add("after", last)).add("max", 3).build())) {
            resumed.awaitEvent("stopped", Duration.ofSeconds(30));
            List<Long> seqs = resumed.nexts().stream().map(n -> n.getJsonObject("data").getJsonObject("appLogs").getJsonNumber("seq").longValue()).toList();
            assertThat(seqs.subList(0, 3)).containsExactly(last + 1, last + 2, last + 3);
        }
        alice.raw("DELETE", "/v1/apps/" + id, null, null);
    }

    @Test
    void queriesAndMutationsRunOverTheSocketToo() {
        try (GraphQlWsNode query = subscribe(TwoUsers.ALICE, "{ me { subject } }", JsonValue.EMPTY_JSON_OBJECT)) {
            query.awaitEvent("complete", Duration.ofSeconds(20));
            assertThat(query.nexts()).hasSize(1);
            assertThat(query.nexts().getFirst().getJsonObject("data").getJsonObject("me").getString("subject")).isEqualTo("alice");
        }
        String id = alice.deploy(Apps.staticSite("m"), "{\"name\":\"gql-sockmut\"}").json().getString("app_id");
        try (GraphQlWsNode mutation = subscribe(TwoUsers.ALICE, "mutation($id: ID!) { suspendApp(id: $id) { suspended } }", vars("id", id))) {
            mutation.awaitEvent("complete", Duration.ofSeconds(20));
            assertThat(mutation.nexts().getFirst().getJsonObject("data").getJsonObject("suspendApp").getBoolean("suspended")).isTrue();
        }
        assertThat(alice.get("/v1/apps/" + id).json().getBoolean("suspended")).isTrue();
    }

    @Test
    void anotherOwnersAppCannotBeWatchedOrFollowed() {
        String id = alice.deploy(Apps.staticSite("private"), "{\"name\":\"gql-secret\"}").json().getString("app_id");
        for (String query : List.of("subscription($id: ID!) { appChanged(id: $id) { kind } }",
                "subscription($id: ID!) { appLogs(id: $id) { line } }")) {
            try (GraphQlWsNode sub = subscribe(TwoUsers.BOB, query, vars("id", id))) {
                JsonObject error = sub.awaitEvent("error", Duration.ofSeconds(20)).getJsonObject("error");
                JsonObject first = error.getJsonArray("errors").getJsonObject(0);
                assertThat(first.getJsonObject("extensions").getString("code")).as(query).isEqualTo("not_found");
                assertThat(error.toString()).doesNotContain("alice").doesNotContain("gql-secret");
                assertThat(sub.nexts()).isEmpty();
            }
        }
        try (GraphQlWsNode bobs = subscribe(TwoUsers.BOB, "subscription { appsChanged { kind appId app { owner name } } }", JsonValue.EMPTY_JSON_OBJECT)) {
            bobs.awaitEvent("connected", Duration.ofSeconds(20));
            assertThat(alice.raw("POST", "/v1/apps/" + id + "/redeploy", null, null).status()).isEqualTo(200);
            // Bob's own deploy comes after alice's change; by the time he sees it, alice's would have arrived.
            String bobsApp = bob.deploy(Apps.staticSite("bob"), "{\"name\":\"bobs\"}").json().getString("app_id");
            bobs.awaitEvent(e -> e.getString("event").equals("next") && e.toString().contains(bobsApp), Duration.ofSeconds(30));
            assertThat(bobs.events().toString()).doesNotContain(id).doesNotContain("alice");
        }
    }

    @Test
    void aSubscriberThatNeverReadsSlowsNobody() throws InterruptedException {
        List<LogRecord> drops = new CopyOnWriteArrayList<>();
        Logger outbox = Logger.getLogger("dev.vibed.api.graphql.ws.Outbox");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("slow consumer")) {
                    drops.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        outbox.addHandler(handler);
        Http.Response chatty = alice.deploy(talkingNode("chat", 5, 200), "{\"name\":\"gql-chatty\"}");
        assertThat(chatty.status()).as(chatty.body()).isEqualTo(200);
        String id = chatty.json().getString("app_id");
        String logsQuery = "subscription($id: ID!) { appLogs(id: $id, tail: 0) { seq line } }";
        try (GraphQlWsNode reader = subscribe(TwoUsers.ALICE, logsQuery, vars("id", id));
             GraphQlWsNode watcher = subscribe(TwoUsers.ALICE, "subscription { appsChanged { kind appId app { phase } } }", JsonValue.EMPTY_JSON_OBJECT);
             StalledGraphQlSocket stalled = new StalledGraphQlSocket(vibed.apiUri())) {
            reader.awaitEvent("next", Duration.ofSeconds(60));
            watcher.awaitEvent("next", Duration.ofSeconds(60));
            stalled.sendText("{\"type\":\"connection_init\",\"payload\":{\"token\":\"" + TwoUsers.ALICE + "\"}}")
                    .sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { appLogs(id: \\\"" + id
                            + "\\\", tail: 0) { seq line } }\"}}")
                    .sendText("{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { appsChanged { appId } }\"}}");
            // Pings the server must answer with pongs as big: megabytes the stalled socket never reads.
            String ping = "{\"type\":\"ping\",\"payload\":{\"pad\":\"" + "p".repeat(8000) + "\"}}";
            Thread flood = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; i < 1200; i++) {
                        stalled.sendText(ping);
                    }
                } catch (java.io.UncheckedIOException cut) {
                    // the server cut the socket while we were still sending: that is the drop
                }
            });

            // While the stalled socket's buffers fill up, a deploy still goes live and the others hear of it. (How fast
            // is for the benchmarks; on a loaded machine the answer may be the 202 of a deploy still starting.)
            Http.Response other = alice.deploy(Apps.staticSite("meanwhile"), "{\"name\":\"gql-meanwhile\"}");
            assertThat(other.status()).as(other.body()).isIn(200, 202);
            String otherId = other.json().getString("app_id");
            watcher.awaitEvent(e -> e.getString("event").equals("next") && e.toString().contains(otherId) && e.toString().contains("Ready"),
                    Duration.ofSeconds(60));

            // The server gives up on the stalled socket, and the reader keeps getting lines before and after.
            await().atMost(Duration.ofSeconds(120)).alias("the stalled socket is dropped").until(() -> !drops.isEmpty());
            flood.join(Duration.ofSeconds(30));
            int before = reader.nexts().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.nexts().size() > before + 50);
            assertThat(stalled.droppedByServer(Duration.ofSeconds(20))).as("the stalled socket was cut").isTrue();
            List<Long> seqs = reader.nexts().stream().map(n -> n.getJsonObject("data").getJsonObject("appLogs").getJsonNumber("seq").longValue()).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).as("the live reader lost no line").isEqualTo(seqs.get(i - 1) + 1);
            }
        } finally {
            outbox.removeHandler(handler);
            alice.raw("DELETE", "/v1/apps/" + id, null, null);
        }
    }

    // ---- the protocol, violation by violation --------------------------------------------------------------------

    @Test
    void theGraphQlWsClientSeesTheProtocolsCloseCodes() {
        try (GraphQlWsNode late = GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", TwoUsers.ALICE)
                .add("connectionDelayMs", 5000).add("query", "{ me { subject } }").build())) {
            assertThat(late.awaitEvent("closed", Duration.ofSeconds(20)).getInt("code")).isEqualTo(4408);
        }
        try (GraphQlWsNode stranger = GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", "nobody")
                .add("query", "{ me { subject } }").build())) {
            assertThat(stranger.awaitEvent("closed", Duration.ofSeconds(20)).getInt("code")).isEqualTo(4403);
        }
        try (GraphQlWsNode twice = GraphQlWsNode.start(vibed.apiUri(), Json.createObjectBuilder().add("token", TwoUsers.ALICE)
                .add("id", "same").add("query", "subscription { appsChanged { appId } }")
                .add("second", Json.createObjectBuilder().add("query", "subscription { appsChanged { appId } }")).build())) {
            assertThat(twice.awaitEvent("closed", Duration.ofSeconds(20)).getInt("code")).isEqualTo(4409);
        }
    }

    @Test
    void rawViolationsGetTheirCloseCodes() {
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri())) {
            s.subscribe("1", "{ me { subject } }");
            assertThat(s.awaitClose().code()).isEqualTo(4401);
        }
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri()).init(TwoUsers.ALICE)) {
            s.send("{\"type\":\"connection_init\"}");
            assertThat(s.awaitClose().code()).isEqualTo(4429);
        }
        for (String bad : List.of("not json", "[1,2]", "{\"no\":\"type\"}", "{\"type\":\"launch_missiles\"}",
                "{\"type\":\"subscribe\",\"id\":\"1\"}", "{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ me { subject } }\"}}",
                "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":7}}")) {
            try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri()).init(TwoUsers.ALICE)) {
                s.send(bad);
                assertThat(s.awaitClose().code()).as(bad).isEqualTo(4400);
            }
        }
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri())) {
            s.send("{\"type\":\"connection_init\",\"payload\":{\"token\":\"nobody\"}}");
            assertThat(s.awaitClose().code()).isEqualTo(4403);
        }
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri())) {
            assertThat(s.awaitClose().code()).as("no connection_init in time").isEqualTo(4408);
        }
        try (RawGraphQlSocket s = RawGraphQlSocket.openWith(vibed.apiUri(), null, null, "graphql-ws")) {
            assertThat(s.awaitClose().code()).as("the old subprotocol").isEqualTo(4406);
        }
    }

    @Test
    void pingPongAndTheServersOwnComplete() {
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri())) {
            s.send("{\"type\":\"ping\",\"payload\":{\"n\":1}}");
            assertThat(s.awaitMessage("pong", null).getJsonObject("payload").getInt("n")).isEqualTo(1);
            s.init(TwoUsers.ALICE).subscribe("q1", "{ me { subject } }");
            assertThat(s.awaitMessage("next", "q1").getJsonObject("payload").getJsonObject("data").getJsonObject("me").getString("subject"))
                    .isEqualTo("alice");
            s.awaitMessage("complete", "q1");
            s.subscribe("bad", "{ me { nope } }");
            JsonObject error = s.awaitMessage("error", "bad");
            assertThat(error.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code")).isEqualTo("invalid_query");
            // The client completes a live subscription: the server stops it, and the id may be used again.
            s.subscribe("live", "subscription { appsChanged { appId } }");
            s.send("{\"id\":\"live\",\"type\":\"complete\"}");
            s.subscribe("live", "{ me { subject } }");
            s.awaitMessage("complete", "live");
            assertThat(s.isClosed()).isFalse();
        }
    }

    @Test
    void authFromTheUpgradeRequestAndSameOriginOnly() {
        try (RawGraphQlSocket s = RawGraphQlSocket.openWith(vibed.apiUri(), null, "Bearer " + TwoUsers.BOB, "graphql-transport-ws")) {
            s.send("{\"type\":\"connection_init\"}");
            s.awaitMessage("connection_ack", null);
            s.subscribe("who", "{ me { subject } }");
            assertThat(s.awaitMessage("next", "who").getJsonObject("payload").getJsonObject("data").getJsonObject("me")
                    .getString("subject")).isEqualTo("bob");
        }
        String sameOrigin = "http://" + vibed.apiUri().getHost() + ":" + vibed.apiUri().getPort();
        try (RawGraphQlSocket s = RawGraphQlSocket.openWith(vibed.apiUri(), sameOrigin, null, "graphql-transport-ws")) {
            s.init(TwoUsers.ALICE);
        }
        boolean refused;
        try (RawGraphQlSocket s = RawGraphQlSocket.openWith(vibed.apiUri(), "http://evil.example", null, "graphql-transport-ws")) {
            s.send("{\"type\":\"connection_init\",\"payload\":{\"token\":\"" + TwoUsers.ALICE + "\"}}");
            refused = s.awaitClose() != null && s.received().isEmpty();
        } catch (java.util.concurrent.CompletionException e) {
            refused = true;
        }
        assertThat(refused).as("a page on another site may not open the socket").isTrue();
    }

    @Test
    void liveSubscriptionsAreCappedPerSocketAndPerUser() {
        Http root = new Http(vibed.apiUri(), "Bearer " + TwoUsers.ROOT);
        assertThat(root.deploy(Apps.staticSite("cap"), "{\"name\":\"gql-cap\"}").status()).isEqualTo(200);
        String watch = "subscription { appsChanged { appId } }";
        try (RawGraphQlSocket s = RawGraphQlSocket.open(vibed.apiUri()).init(TwoUsers.ROOT);
             RawGraphQlSocket t = RawGraphQlSocket.open(vibed.apiUri()).init(TwoUsers.ROOT);
             RawGraphQlSocket u = RawGraphQlSocket.open(vibed.apiUri()).init(TwoUsers.ROOT)) {
            for (int i = 0; i < 10; i++) {
                s.subscribe("s" + i, watch);
                s.awaitMessage("next", "s" + i);
            }
            s.subscribe("s10", watch);
            assertThat(code(s.awaitMessage("error", "s10"))).isEqualTo("too_many_subscriptions");
            for (int i = 0; i < 10; i++) {
                t.subscribe("t" + i, watch);
                t.awaitMessage("next", "t" + i);
            }
            // Twenty live watches is the most one user may hold, on any number of sockets (the facade's rule).
            u.subscribe("u0", watch);
            assertThat(code(u.awaitMessage("error", "u0"))).isEqualTo("too_many_streams");
            s.send("{\"id\":\"s0\",\"type\":\"complete\"}");
            int[] attempt = {0};
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                String id = "again" + attempt[0]++;
                u.subscribe(id, watch);
                return u.awaitOutcome(id).equals("next");
            });
        }
    }

    private static String code(JsonObject errorMessage) {
        return errorMessage.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code");
    }
}
