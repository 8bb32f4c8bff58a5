package dev.vibed.agent;

import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Restarts, crash loops and the listen deadline, with real processes under bubblewrap. */
class SupervisionTest {
    @TempDir
    static Path dir;
    static TestAgent agent;
    /** Four times the 2 s idle grace, so a loaded machine still tells idleness from the deadline. */
    static final Duration LISTEN_DEADLINE = Duration.ofSeconds(8);

    @BeforeAll
    static void start() {
        Binaries.bwrap();
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withListenTimeout(LISTEN_DEADLINE));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aKilledAppIsRestarted() {
        String revision = agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("phoenix")), "node", Map.of());
        long first = agent.status().pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        AgentStatus again = agent.awaitStatus(Duration.ofSeconds(30), s -> s.restarts() == 1
                && s.state() == AgentState.RUNNING && s.listening());
        assertThat(again.pid()).isPositive().isNotEqualTo(first);
        assertThat(again.revision()).isEqualTo(revision);
        assertThat(again.exitCode()).isEqualTo(137);
        assertThat(agent.app("/").body()).isEqualTo("node phoenix");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 0})
    void anAppThatKeepsExitingEndsInCrashloop(int code) {
        agent.inject(TarGz.create().file("server.js", """
                console.log('starting up');
                console.error('boom: cannot open database');
                process.exit(%d);
                """.formatted(code)), "node", Map.of(), null);
        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(40), st -> st.state() == AgentState.CRASHLOOP);
        assertThat(s.exitCode()).isEqualTo(code);
        assertThat(s.restarts()).isEqualTo(4);
        assertThat(s.crashLog()).contains("starting up").contains("boom: cannot open database");
        assertThat(s.crashLog().lines()).hasSizeLessThanOrEqualTo(50);
        assertThat(s.message()).contains("last exit code " + code);
        assertThat(s.listening()).isFalse();
        assertThat(s.pid()).isZero();
    }

    @Test
    void anAppThatStaysBusyWithoutListeningIsStoppedAtTheDeadline() {
        agent.inject(TarGz.create().file("server.js", "console.log('busy'); setInterval(() => { const t = Date.now();"
                + " while (Date.now() - t < 60) {} }, 100);"), "node", Map.of(), null);
        long pid = agent.awaitStatus(Duration.ofSeconds(10), s -> s.pid() > 0).pid();
        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(20), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).isEqualTo("app did not listen on port " + agent.options().appPort() + " within 8s");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(s.restarts()).isZero();
    }

    @Test
    void anIdleAppThatListensOnNothingFailsBeforeTheDeadlineWithItsLastOutput() {
        long started = System.nanoTime();
        agent.inject(TarGz.create().file("server.js", "console.log('connected to nothing'); setInterval(() => {}, 1000);"),
                "node", Map.of(), null);
        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(20), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).isEqualTo("app is running but listens on no TCP port; it should listen on $PORT ("
                + agent.options().appPort() + "); its last output: connected to nothing");
        assertThat(s.crashLog()).contains("connected to nothing");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("decided on idleness, not at the deadline")
                .isLessThan(LISTEN_DEADLINE);
    }

    @Test
    void anAppOnAHardCodedPortIsReachedOnItsPortWithAWarning() {
        int hardCoded = dev.vibed.agent.testing.FreePort.find();
        String revision = agent.deploy(TarGz.create().file("server.js", """
                require('http').createServer((req, res) => res.end('on my own port ' + req.url))
                  .listen(%d, () => console.log('listening on %d'));
                """.formatted(hardCoded, hardCoded)), "node", Map.of());

        AgentStatus s = agent.awaitListening(revision);
        assertThat(s.appPort()).isEqualTo(agent.options().appPort());
        assertThat(s.warning()).isEqualTo("listens on " + hardCoded + ", not on $PORT (" + agent.options().appPort()
                + "); routed to " + hardCoded);
        assertThat(agent.app("/through/the/forwarder").body()).isEqualTo("on my own port /through/the/forwarder");

        // A crash closes the forwarder; the restarted app is watched (and forwarded to) again.
        ProcessHandle.of(s.pid()).orElseThrow().destroyForcibly();
        AgentStatus again = agent.awaitStatus(Duration.ofSeconds(30), st -> st.restarts() == 1 && st.listening());
        assertThat(again.warning()).isNotNull();
        assertThat(agent.app("/again").body()).isEqualTo("on my own port /again");
    }
}
