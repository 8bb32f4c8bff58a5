package dev.vibed.agent;

import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The inject warm-up of a real agent process: done before ready, gone without a trace, and invisible to the app. */
class WarmupTest {
    @TempDir
    static Path dir;
    static TestAgent agent;
    /** What the agent left in its workspace and which ports it listened on, right after its ready line. */
    static List<String> workspaceAtReady;
    static java.util.Set<Integer> portsAtReady;

    @BeforeAll
    static void start() throws IOException {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.NONE));
        workspaceAtReady = tree(agent.workspace());
        portsAtReady = ListeningSockets.ofThisMachine().ports(agent.handle().process().toHandle());
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theAgentIsReadyOnlyAfterTheWarmUpRan() {
        String log = agent.agentLog();
        int warm = log.indexOf("vibed-agent: warm-up done: download+sha256 ");
        assertThat(warm).as("the warm-up's line in the agent log:\n" + log).isNotNegative();
        assertThat(log.indexOf(AgentLauncher.READY_PREFIX)).as("ready comes after the warm-up").isGreaterThan(warm);
        assertThat(log).doesNotContain("warm-up failed");
    }

    @Test
    void theWarmUpLeavesNothingInTheWorkspace() {
        assertThat(workspaceAtReady).containsExactlyInAnyOrder("downloads", "releases");
    }

    @Test
    void theWarmUpServersAreClosedBeforeReady() {
        assertThat(portsAtReady).containsExactly(agent.handle().controlPort());
    }

    @Test
    void anInjectRightAfterReadyIsTheUsersOwnSite() throws IOException {
        String revision = agent.deploy(TarGz.create().file("index.html", "<h1>mine</h1>"), "static", Map.of());
        HttpResponse<String> page = agent.app("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<h1>mine</h1>");
        // The built-in page is nowhere: not served, and the only release is the user's (the control API warm-up's
        // own release was removed before ready; release names carry a random part either way).
        assertThat(agent.app("/style.css").statusCode()).isEqualTo(404);
        assertThat(agent.status().revision()).isEqualTo(revision);
        try (Stream<Path> releases = Files.list(agent.workspace().resolve("releases"))) {
            assertThat(releases.toList()).singleElement()
                    .satisfies(release -> assertThat(release.resolve("index.html")).hasContent("<h1>mine</h1>"));
        }
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).toList();
        }
    }
}
