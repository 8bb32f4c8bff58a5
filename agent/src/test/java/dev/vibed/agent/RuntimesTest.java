package dev.vibed.agent;

import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.FreePort;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each template on its real runtime (node, python3, workerd), sandboxed by bubblewrap as in production. */
class RuntimesTest {
    @TempDir
    static Path dir;
    static TestAgent agent;

    @BeforeAll
    static void start() {
        Binaries.bwrap();
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWorkerd(Binaries.workerd()));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void nodeServerJs() {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("plain")), "node", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("node plain");
        assertThat(agent.status().pid()).isPositive();
    }

    @Test
    void nodeAppInASubfolderRunsThere() {
        agent.deploy(TarGz.create().file("my-app/server.js", """
                const http = require('http');
                http.createServer((q, s) => s.end('cwd ' + process.cwd() + ' home ' + process.env.HOME))
                  .listen(Number(process.env.PORT), process.env.HOST);
                """), "node", Map.of(), "my-app");
        assertThat(agent.app("/").body()).isEqualTo("cwd /app/my-app home /app");
    }

    @Test
    void reinjectReplacesTheRunningProcess() {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("before")), "node", Map.of());
        long old = agent.status().pid();
        agent.deploy(TarGz.create().file("app.py", Apps.pythonServer("after")), "python", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("python after");
        assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(agent.status().pid()).isNotEqualTo(old);
    }

    @Test
    void stoppingASandboxedAppDoesNotWaitOutTheGracePeriod() {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("quick")), "node", Map.of());
        long started = System.nanoTime();
        assertThat(agent.post("/stop", null).statusCode()).isEqualTo(200);
        // The app exits on SIGTERM at once; the 2 s grace must not be spent waiting on bubblewrap's zombies.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void nodeNpmStartWinsOverMain() {
        agent.deploy(TarGz.create()
                .file("package.json", """
                        {"name": "t", "main": "wrong.js", "scripts": {"start": "node src/real.js"}}""")
                .file("wrong.js", "process.exit(7)")
                .file("src/real.js", Apps.nodeServer("npm-start")), "node", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("node npm-start");
    }

    @Test
    void nodeMainFromPackageJson() {
        agent.deploy(TarGz.create()
                .file("package.json", "{\"name\": \"t\", \"main\": \"lib/app\"}")
                .file("lib/app.js", Apps.nodeServer("main")), "node", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("node main");
    }

    @Test
    void nodeEsModuleFile() {
        agent.deploy(TarGz.create().file("index.mjs", """
                import http from 'node:http';
                http.createServer((q, s) => s.end('node esm')).listen(Number(process.env.PORT), process.env.HOST);
                """), "node", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("node esm");
    }

    @Test
    void python() {
        agent.deploy(TarGz.create().file("app.py", Apps.pythonServer("hello")), "python", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("python hello");
    }

    @Test
    void pythonDependenciesThatCannotBeInstalledAreReported() {
        // The index is a closed local port: the install fails fast and no traffic leaves this machine.
        String index = "http://127.0.0.1:" + FreePort.find() + "/simple";
        HttpResponse<String> r = agent.inject(TarGz.create()
                        .file("requirements.txt", "# web\nflask==3.0.0\n")
                        .file("app.py", Apps.pythonServer("deps")), "python",
                Map.of("PIP_INDEX_URL", index, "PIP_RETRIES", "0", "PIP_TIMEOUT", "2"), null);
        assertThat(r.statusCode()).isEqualTo(202);
        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(90), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).startsWith("dependencies could not be installed: ").contains("flask");
    }

    @Test
    void nodeDependenciesThatCannotBeInstalledAreReported() {
        String registry = "http://127.0.0.1:" + FreePort.find() + "/";
        HttpResponse<String> r = agent.inject(TarGz.create()
                        .file("package.json", "{\"name\": \"t\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}")
                        .file("server.js", Apps.nodeServer("deps")), "node",
                Map.of("npm_config_registry", registry, "npm_config_fetch_retries", "0"), null);
        assertThat(r.statusCode()).isEqualTo(202);
        AgentStatus s = agent.awaitStatus(Duration.ofSeconds(90), st -> st.state() == AgentState.EXITED);
        assertThat(s.message()).startsWith("dependencies could not be installed: ").contains("npm install");
    }

    @Test
    void workerdModuleWorkerWithImportsAndEnvBindings() {
        agent.deploy(TarGz.create()
                .file("wrangler.toml", """
                        name = "t"
                        main = "src/index.js"
                        compatibility_date = "2024-09-23"
                        [vars]
                        IGNORED = "yes"
                        """)
                .file("src/index.js", """
                        import { greet } from "./lib/greet.js";
                        export default {
                          async fetch(request, env) {
                            return new Response(greet(env.GREETING) + " " + new URL(request.url).pathname);
                          }
                        };
                        """)
                .file("src/lib/greet.js", "export function greet(g) { return 'workerd ' + g; }"),
                "workerd", Map.of("GREETING", "says \"hi\""));
        assertThat(agent.app("/path").body()).isEqualTo("workerd says \"hi\" /path");
    }

    @Test
    void workerdDefaultsToWorkerJs() {
        agent.deploy(TarGz.create().file("worker.js",
                "export default { fetch() { return new Response('workerd default'); } };"), "workerd", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("workerd default");
    }
}
