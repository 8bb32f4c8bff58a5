package dev.vibed.agent;

import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.HttpAgentClient;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
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
 * an app's start by events. Waits are long (30 s) so that an answer before them can only come from a change.
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

    private static AgentStatus await(AgentStatus seen) {
        try {
            return client.awaitChange(new dev.vibed.core.agent.AgentClient.Endpoint(agent.handle().controlUri(), agent.token()),
                    seen, LONG);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
