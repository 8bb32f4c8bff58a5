package dev.vibed.agent;

import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.FreePort;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classifier's build-required path: template static, a package.json with a build script and nothing built
 * yet. Real npm and node under bubblewrap; the only registry is a closed local port.
 */
class StaticBuildTest {
    private static final String BUILD_ONLY = "{\"name\": \"site\", \"scripts\": {\"build\": \"node build.js\"}}";

    @TempDir
    static Path dir;
    static TestAgent agent;

    @BeforeAll
    static void start() {
        Binaries.bwrap();
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theBuildsOutputIsServedAndItsOutputLogged() throws IOException {
        // The build waits for a file the test drops in, so the "building" state can be seen without racing.
        String revision = injected(agent.inject(TarGz.create()
                .file("site/package.json", BUILD_ONLY)
                .file("site/build.js", """
                        const fs = require('fs');
                        console.log('bundling for marker-41c7');
                        const t = setInterval(() => {
                          if (!fs.existsSync('go')) return;
                          clearInterval(t);
                          fs.mkdirSync('dist');
                          fs.writeFileSync('dist/index.html', '<h1>built marker-41c7</h1>');
                          fs.writeFileSync('index.js', 'not served: the output folder is');
                        }, 20);
                        """), "static", Map.of(), null, "site"));

        AgentStatus building = agent.awaitStatus(Duration.ofSeconds(20), s -> s.pid() > 0
                && "building: npm run build".equals(s.message()));
        assertThat(building.state()).isEqualTo(AgentState.STARTING);
        assertThat(building.listening()).isFalse();
        Path release = onlyRelease();
        Files.writeString(release.resolve("site/go"), "");

        AgentStatus running = agent.awaitListening(revision);
        assertThat(running.message()).isNull();
        assertThat(running.pid()).isZero();
        HttpResponse<String> page = agent.app("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<h1>built marker-41c7</h1>");
        assertThat(agent.app("/index.js").statusCode()).isEqualTo(404);
        assertThat(logLines()).contains("bundling for marker-41c7");
        assertThat(release.resolve(".npm")).as("npm's cache and logs stay in the release (its HOME)").isDirectory();
    }

    @Test
    void aFailingBuildIsReportedWithItsOutputAndNotRetried() {
        injected(agent.inject(TarGz.create()
                .file("package.json", BUILD_ONLY)
                .file("build.js", """
                        console.log('compiling 3 modules');
                        console.error('Error: cannot resolve ./missing.js from src/main.js');
                        process.exit(1);
                        """), "static", Map.of(), null));

        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(30), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).isEqualTo("build failed: Error: cannot resolve ./missing.js from src/main.js "
                + "(exit code 1)");
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.crashLog()).contains("compiling 3 modules")
                .contains("Error: cannot resolve ./missing.js from src/main.js");
        assertThat(s.listening()).isFalse();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> agent.status().state() == AgentState.EXITED && agent.status().restarts() == 0);
    }

    @Test
    void aBuildWithoutAServableFolderIsReported() {
        injected(agent.inject(TarGz.create()
                .file("package.json", BUILD_ONLY)
                .file("build.js", """
                        const fs = require('fs');
                        fs.mkdirSync('dist');
                        fs.writeFileSync('dist/bundle.js', '');
                        console.log('wrote dist/bundle.js');
                        """), "static", Map.of(), null));

        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(30), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).isEqualTo("build produced no dist/, build/, out/ or public/ with an index.html");
        assertThat(s.crashLog()).contains("wrote dist/bundle.js");
    }

    @Test
    void dependenciesThatCannotBeInstalledAreReported() {
        String registry = "http://127.0.0.1:" + FreePort.find() + "/";
        injected(agent.inject(TarGz.create()
                        .file("package.json", """
                                {"name": "site", "scripts": {"build": "vite build"},
                                 "devDependencies": {"vite": "5.4.0"}}""")
                        .file("src/main.js", "console.log('never built')"), "static",
                Map.of("npm_config_registry", registry, "npm_config_fetch_retries", "0"), null));

        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(90), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).startsWith("dependencies could not be installed: ").contains("npm install");
        assertThat(s.crashLog()).contains("ECONNREFUSED");
        assertThat(onlyRelease().resolve("dist")).doesNotExist();
    }

    @Test
    void stoppingDuringTheBuildKillsIt() {
        injected(agent.inject(TarGz.create()
                .file("package.json", BUILD_ONLY)
                .file("build.js", "console.log('forever'); setInterval(() => {}, 1000);"), "static", Map.of(), null));
        long pid = agent.awaitStatus(Duration.ofSeconds(20), s -> s.pid() > 0
                && "building: npm run build".equals(s.message())).pid();

        assertThat(agent.post("/stop", null).statusCode()).isEqualTo(200);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(agent.status().state()).isEqualTo(AgentState.EXITED);
    }

    @Test
    void aBuildThatOutlivesTheInstallTimeoutIsStopped(@TempDir Path own) {
        try (TestAgent quick = TestAgent.start(own, o -> o.withIsolation(Isolation.BWRAP)
                .withInstallTimeout(Duration.ofSeconds(2)))) {
            injected(quick.inject(TarGz.create()
                    .file("package.json", BUILD_ONLY)
                    .file("build.js", "console.log('still bundling'); setInterval(() => {}, 1000);"), "static",
                    Map.of(), null));
            AgentStatus s = quick.awaitStatus(Duration.ofSeconds(30), st -> st.state() == AgentState.EXITED);
            assertThat(s.message()).isEqualTo("build failed: npm run build timed out after 2s (the sandbox's time limit "
                    + "for installs and builds)");
            assertThat(s.crashLog()).contains("still bundling");
            assertThat(s.pid()).isZero();
        }
    }

    @Test
    void aBuildThatOutgrowsTheMemoryLimitSaysSo(@TempDir Path own) {
        try (TestAgent small = TestAgent.start(own, o -> o.withIsolation(Isolation.BWRAP).withLimits(96, 2048, 256, 1024))) {
            injected(small.inject(TarGz.create()
                    .file("package.json", BUILD_ONLY)
                    .file("build.js", """
                            console.log('bundling a big graph');
                            const keep = [];
                            for (;;) keep.push(Buffer.alloc(8 << 20, 1));
                            """), "static", Map.of(), null));
            AgentStatus s = small.awaitStatus(Duration.ofSeconds(60), st -> st.state() == AgentState.EXITED);
            assertThat(s.message()).isEqualTo("build failed: npm run build was killed: it used more than the sandbox's "
                    + "memory limit of 96 MiB");
            assertThat(s.crashLog()).contains("bundling a big graph");

            // An app that outgrows it says so in its crash message too.
            small.inject(TarGz.create().file("server.js", """
                    const keep = [];
                    require('http').createServer(() => {}).listen(Number(process.env.PORT), process.env.HOST,
                      () => { for (;;) keep.push(Buffer.alloc(8 << 20, 1)); });
                    """), "node", Map.of(), null);
            AgentStatus app = small.awaitStatus(Duration.ofSeconds(60), st -> st.message() != null
                    && st.message().contains("killed"));
            assertThat(app.message()).contains("(killed: it used more than the sandbox's memory limit of 96 MiB)");
        }
    }

    private static String injected(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonObject body = Jsons.parseObject(r.body());
        assertThat(body.getString("state")).isEqualTo("starting");
        return body.getString("revision");
    }

    private static Path onlyRelease() {
        try (Stream<Path> s = Files.list(agent.workspace().resolve("releases"))) {
            List<Path> all = s.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> logLines() {
        JsonObject logs = Jsons.parseObject(agent.get("/logs?tail=200").body());
        return logs.getJsonArray("lines").getValuesAs(JsonObject.class).stream().map(l -> l.getString("line"))
                .toList();
    }
}
