package dev.vibed.agent;

import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /status?wait=&since=}: a long-poll that answers when the status changes, so the control plane follows
 * an app's start by events; and {@code POST /inject?wait=}, whose answer waits for the app to get past its launch and
 * carries the agent's status, so the control plane can publish an app that is up without another round trip
 * (without {@code wait} it answers at once, as older callers expect). Waits are long (30 s) so that an answer before
 * them can only come from a change.
 */
class StatusLongPollTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestAgent agent;
    static HttpAgentClient client = new HttpAgentClient(Duration.ofSeconds(5));

    @BeforeAll
    static void start() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.NONE));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aChangedTagAnswersAtOnceAndAnUnchangedOneWaits() {
        AgentStatus now = agent.status();
        HttpResponse<String> stale = agent.get("/status?wait=" + LONG.toMillis() + "&since=not-the-tag");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(AgentStatus.fromJson(Jsons.parseObject(stale.body()))).isEqualTo(now);

        HttpResponse<String> unchanged = agent.get("/status?wait=300&since=" + now.changeTag());
        assertThat(unchanged.statusCode()).isEqualTo(200);
        assertThat(AgentStatus.fromJson(Jsons.parseObject(unchanged.body())).changeTag()).isEqualTo(now.changeTag());
    }

    @Test
    void anAppsStartIsFollowedChangeByChangeUntilItListens() throws Exception {
        AgentStatus before = agent.status();
        CompletableFuture<AgentStatus> first = CompletableFuture.supplyAsync(() -> await(before));
        // Nothing has changed, so the long-poll must still be waiting 200 ms on; the inject is what must wake it.
        assertThat(first).failsWithin(Duration.ofMillis(200)).withThrowableOfType(TimeoutException.class);
        HttpResponse<String> injected = agent.inject(TarGz.create()
                .file("package.json", "{\"name\":\"lp\",\"main\":\"server.js\"}")
                .file("server.js", Apps.nodeServer("long-poll")), "node", Map.of(), null);
        assertThat(injected.statusCode()).as(injected.body()).isEqualTo(202);

        List<AgentStatus> seen = new ArrayList<>();
        AgentStatus s = first.get(LONG.toSeconds() - 5, TimeUnit.SECONDS);
        seen.add(s);
        while (!s.listening()) {
            assertThat(s.state()).as("state while starting: %s", seen).isIn(AgentState.STARTING, AgentState.RUNNING);
            AgentStatus previous = s;
            s = await(previous);
            assertThat(s.changeTag()).as("a long-poll answered without a change: %s", seen).isNotEqualTo(previous.changeTag());
            seen.add(s);
            assertThat(seen).as("changes while starting").hasSizeLessThan(20);
        }
        assertThat(s.state()).isEqualTo(AgentState.RUNNING);
        assertThat(agent.app("/").body()).isEqualTo("node long-poll");
    }

    @Test
    void aBadWaitIsA400() {
        for (String bad : new String[]{"soon", "-1", "999999999"}) {
            HttpResponse<String> r = agent.get("/status?wait=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(Jsons.parseObject(r.body()).getString("code")).isEqualTo("bad_request");
        }
    }

    @Test
    void anInjectThatWaitsAnswersWithTheAppListening() throws Exception {
        InjectRequest req = agent.request(TarGz.create().file("server.js", Apps.nodeServer("waited")), "node",
                Map.of(), null, "");
        long t0 = System.nanoTime();
        AgentClient.Injected injected = client.injectAndAwait(endpoint(), req, LONG).orElseThrow();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(injected.status().revision()).isEqualTo(req.revision());
        assertThat(injected.status().listening()).isTrue();
        assertThat(injected.status().state()).isEqualTo(AgentState.RUNNING);
        assertThat(injected.waited()).as("part of the call was the app's start").isPositive().isLessThan(took);
        assertThat(took).as("answered on the event, not at the end of the wait").isLessThan(LONG.minusSeconds(10));
        assertThat(agent.app("/").body()).isEqualTo("node waited");
    }

    @Test
    void anInjectThatWaitsAnswersWithTheCrashOfAnAppThatExits() throws Exception {
        InjectRequest req = agent.request(TarGz.create().file("server.js", "console.error('boom'); process.exit(3);"),
                "node", Map.of(), null, "");
        AgentClient.Injected injected = client.injectAndAwait(endpoint(), req, LONG).orElseThrow();
        assertThat(injected.status().revision()).isEqualTo(req.revision());
        assertThat(injected.status().listening()).isFalse();
        assertThat(injected.status().message()).as("the agent says what happened").contains("exited with code 3");
        assertThat(injected.waited()).isLessThan(LONG.minusSeconds(10));
        // Its restarts would change the status under the other tests' long-polls.
        assertThat(agent.post("/stop", "").statusCode()).isEqualTo(200);
    }

    @Test
    void anInjectWithoutWaitAnswersAtOnceWithItsStateAndRevision() {
        HttpResponse<String> r = agent.inject(TarGz.create().file("server.js", Apps.nodeServer("at once")), "node",
                Map.of(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonObject body = Jsons.parseObject(r.body());
        assertThat(body.getString("state")).isIn("starting", "running");
        assertThat(body.getString("revision")).startsWith("rev-");
        agent.awaitListening(body.getString("revision"));
    }

    @Test
    void aBadWaitIsA400AndInjectsNothing() {
        String revision = agent.status().revision();
        InjectRequest req = agent.request(TarGz.create().file("server.js", Apps.nodeServer("never")), "node",
                Map.of(), null, "");
        for (String bad : new String[]{"soon", "-1", "999999999"}) {
            HttpResponse<String> r = agent.post("/inject?wait=" + bad, req.toJson().toString());
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(Jsons.parseObject(r.body()).getString("code")).isEqualTo("bad_request");
        }
        assertThat(agent.status().revision()).isEqualTo(revision);
    }

    private static AgentClient.Endpoint endpoint() {
        return new AgentClient.Endpoint(agent.handle().controlUri(), agent.token());
    }

    private static AgentStatus await(AgentStatus seen) {
        try {
            return client.awaitChange(endpoint(), seen, LONG);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
