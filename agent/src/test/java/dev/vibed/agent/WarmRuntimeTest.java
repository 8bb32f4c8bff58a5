package dev.vibed.agent;

import dev.vibed.agent.testing.Binaries;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A warm runtime must be indistinguishable from a bare start. Each test deploys an app that reports what it can see
 * of its start (argv, cwd, env, main-module identity, globals), through the pre-started runtime, then SIGTERMs it:
 * the agent's restart is a cold {@code node <file>} / {@code python3 <file>} in the same sandbox, release and port,
 * and the two reports and the two exit codes must be the same.
 */
class WarmRuntimeTest {
    @TempDir
    Path dir;
    TestAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    static final String NODE_REPORT = """
            const resources = process.getActiveResourcesInfo();
            const fs = require('fs');
            const report = () => JSON.stringify({
              resources,
              argv: process.argv, execArgv: process.execArgv, argv0: process.argv0, cwd: process.cwd(),
              env: process.env, main: require.main === module, mainId: require.main && require.main.id,
              file: __filename, dir: __dirname, cache: Object.keys(require.cache), paths: module.paths,
              globals: Object.getOwnPropertyNames(globalThis).sort(), eval: '_eval' in process,
              listeners: ['SIGTERM', 'SIGINT', 'exit', 'uncaughtException'].map(e => process.listenerCount(e)),
              listen: require('net').Server.prototype.listen.toString(),
              stdin: fs.readFileSync(0).length,
            });
            """;

    /** NONE is how a Kubernetes pod runs the agent: the pod (and its runtime class) is the sandbox. */
    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"BWRAP", "NONE"})
    void aNodeAppSeesWhatABareNodeStartShowsIt(Isolation isolation) {
        agent = TestAgent.start(dir, o -> o.withIsolation(isolation).withWarmRuntime("node"));
        String app = NODE_REPORT + """
                console.log('boot ' + process.argv.slice(2).join(' '));
                require('http').createServer((req, res) => res.end(report()))
                  .listen(Number(process.env.PORT), process.env.HOST);
                """;
        compareWarmWithCold(TarGz.create().file("server.js", app), "node", "server.js --flag value", "TERM");
    }

    /**
     * The env order of a warm start is learnt ahead of the inject, with the names only; PWD is the one value the
     * launch shell sets, from where the app starts (here a folder of the archive) or, when the app sets PWD itself,
     * depending on where that points: both must still show as under a bare start.
     */
    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"BWRAP", "NONE"})
    void anAppInAFolderOrWithAPwdOfItsOwnSeesTheEnvOfABareStart(Isolation isolation) {
        agent = TestAgent.start(dir, o -> o.withIsolation(isolation).withWarmRuntime("node"));
        String app = NODE_REPORT + """
                require('http').createServer((req, res) => res.end(report()))
                  .listen(Number(process.env.PORT), process.env.HOST);
                """;
        TarGz archive = TarGz.create().file("web/server.js", app);
        compareWarmWithCold(archive, "node", null, "TERM", Map.of("GREETING", "hello world", "ZED", "1"), "web");
        stopApp(); // the runtime for the next inject starts once the agent is idle again
        compareWarmWithCold(archive, "node", null, "TERM", Map.of("GREETING", "hello world", "PWD", "/nowhere"), "web");
    }

    @Test
    void anEsmEntryPointResolvesAsUnderBareNode() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("node"));
        String app = """
                import http from 'node:http';
                import { createRequire } from 'node:module';
                const report = () => JSON.stringify({
                  argv: process.argv, url: import.meta.url, cwd: process.cwd(), env: process.env,
                  require: typeof require, module: typeof module, filename: typeof __filename,
                  globals: Object.getOwnPropertyNames(globalThis).sort(),
                  resolved: createRequire(import.meta.url).resolve('./lib.cjs'),
                });
                http.createServer((req, res) => res.end(report())).listen(Number(process.env.PORT));
                """;
        compareWarmWithCold(TarGz.create().file("server.mjs", app).file("lib.cjs", "module.exports = 1;"), "node",
                null, "INT");
    }

    /** An http.server handler answering every GET with the app's {@code report()}. */
    static final String PY_REPORT_HANDLER = """
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = report()
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
            """;

    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"BWRAP", "NONE"})
    void aPythonAppSeesWhatABarePythonStartShowsIt(Isolation isolation) {
        agent = TestAgent.start(dir, o -> o.withIsolation(isolation).withWarmRuntime("python"));
        String app = """
                import http.server, json, os, socket, sys
                def report():
                    main = sys.modules['__main__']
                    return json.dumps({
                        'argv': sys.argv, 'orig_argv': sys.orig_argv, 'cwd': os.getcwd(), 'env': dict(os.environ),
                        'name': __name__, 'file': __file__, 'path0': sys.path[0], 'path': sys.path,
                        'main_is_this': main.__dict__ is globals(), 'main_keys': sorted(vars(main)),
                        'loader': type(__loader__).__name__, 'spec': repr(__spec__), 'cached': repr(__cached__),
                        'listen_patched': 'listen' in vars(socket.socket), 'flags': repr(sys.flags),
                        'stdin': len(sys.stdin.buffer.read()),
                        'encoding': [sys.stdout.encoding, sys.getfilesystemencoding()],
                    }, sort_keys=True).encode()
                """ + PY_REPORT_HANDLER + """
                if __name__ == '__main__':
                    print('boot', *sys.argv[1:], flush=True)
                    http.server.HTTPServer((os.environ['HOST'], int(os.environ['PORT'])), Handler).serve_forever()
                """;
        compareWarmWithCold(TarGz.create().file("app.py", app), "python", "app.py one two", "INT");
    }

    /**
     * The runtime has the stdlib web server imported before the app arrives. An app folder holding a module of the
     * same name as one of those (here {@code calendar}, which {@code email} imports) must have its own imported,
     * there too, as a bare start does; a folder without {@code __init__} named like one (here {@code html}, of the
     * app's pages) does not shadow the stdlib package under a bare start either.
     */
    @Test
    void aPythonAppWhoseFolderShadowsAPreloadedModuleImportsItsOwnAsUnderABareStart() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("python"));
        String app = """
                import calendar, http.server, json, os, sys, html
                def report():
                    return json.dumps({
                        'calendar': getattr(calendar, 'WHO', 'stdlib'),
                        'email_calendar': getattr(sys.modules['email._parseaddr'].calendar, 'WHO', 'stdlib'),
                        'html': html.escape('<a>'), 'page': open('html/index.html').read(),
                        'env': os.environ['GREETING'],
                    }, sort_keys=True).encode()
                """ + PY_REPORT_HANDLER + """
                http.server.HTTPServer((os.environ['HOST'], int(os.environ['PORT'])), Handler).serve_forever()
                """;
        TarGz archive = TarGz.create().file("app.py", app)
                .file("calendar.py", "WHO = 'app'\ndef timegm(t):\n    return 0\n")
                .file("html/index.html", "<p>hello world</p>");
        compareWarmWithCold(archive, "python", null, "TERM", Map.of("GREETING", "hello world"), "", false);
        assertThat(agent.get("/logs").body()).doesNotContain("Traceback");
        assertThat(agent.agentLog()).doesNotContain("warm runtime reports it listening");
    }

    @Test
    void aPythonAppEndsOnSigtermAsABareOne() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("python"));
        String app = """
                import http.server, os
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = (os.environ['GREETING'] + ' ' + __name__).encode()
                        self.send_response(200)
                        self.send_header('Content-Length', str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()
                """;
        compareWarmWithCold(TarGz.create().file("server.py", app), "python", null, "TERM");
    }

    @Test
    void eachInjectIntoAnIdleAgentFindsAFreshRuntimeAndAnEnvTheInterpreterReadsAtStartupStartsCold() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("node"));
        TarGz app = TarGz.create().file("server.js", dev.vibed.agent.testing.Apps.nodeServer("again"));
        long first = deployAndReturnPid(app, Map.of(), true);
        stopApp();
        long second = deployAndReturnPid(app, Map.of(), true);
        assertThat(second).as("the inject after the stop used the runtime started again at the stop")
                .isNotEqualTo(first);
        stopApp();
        // NODE_OPTIONS is read when node starts, before any loader could set it: only a cold start honours it.
        long cold = deployAndReturnPid(app, Map.of("NODE_OPTIONS", "--max-old-space-size=64"), false);
        assertThat(agent.get("/logs").body()).doesNotContain("Error");
        assertThat(cold).isPositive();
        stopApp();
        deployAndReturnPid(app, Map.of(), true);
    }

    /**
     * Before it reports ready the agent has run one real inject and stop of its own, so a user's first inject is
     * not the JVM's first; a claim must still find it idle, without a revision, and with its runtime loaded.
     */
    @Test
    void aFreshAgentIsIdleWithItsRuntimeLoadedAndItsOwnInjectBehindIt() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("node"));
        AgentStatus fresh = agent.status();
        assertThat(fresh.state()).isEqualTo(AgentState.IDLE);
        assertThat(fresh.revision()).isNull();
        assertThat(fresh.restarts()).isZero();
        assertThat(fresh.message()).isNull();
        assertThat(agent.processesWithWarmRuntimeWaiting()).as("a runtime waits as soon as the agent is ready")
                .isPresent();
        assertThat(agent.agentLog()).contains("inject revision=" + InjectWarmup.REVISION + " template=static");
        TarGz app = TarGz.create().file("server.js", dev.vibed.agent.testing.Apps.nodeServer("again"));
        deployAndReturnPid(app, Map.of(), true);
    }

    @Test
    void noRuntimeWaitsBesideARunningAppAndAReinjectOverItStartsCold() {
        agent = TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime("node"));
        TarGz app = TarGz.create().file("server.js", dev.vibed.agent.testing.Apps.nodeServer("again"));
        deployAndReturnPid(app, Map.of(), true);
        // For longer than a refill takes to show, none does: the running app is all the sandbox holds.
        org.awaitility.Awaitility.await("no runtime waiting beside the running app").during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.processesWithWarmRuntimeWaiting().isEmpty());
        HttpResponse<String> r = agent.inject(app, "node", Map.of(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String revision = dev.vibed.core.json.Jsons.string(dev.vibed.core.json.Jsons.parseObject(r.body()), "revision")
                .orElseThrow();
        agent.awaitListening(revision);
        assertThat(agent.app("/").body()).isEqualTo("node again");
        assertThat(agent.agentLog().lines().filter(l -> l.contains("revision=" + revision) && l.contains("started '")))
                .singleElement().asString().doesNotContain("warm runtime");
    }

    /** Stops the app, as the platform does before the sandbox is reused; the agent is idle again. */
    private void stopApp() {
        assertThat(agent.post("/stop", "").statusCode()).isLessThan(300);
    }

    /** Injects and waits until it serves; asserts whether the app is the runtime that waited before the inject. */
    private long deployAndReturnPid(TarGz app, Map<String, String> env, boolean warmExpected) {
        Set<Long> before = awaitWarmRuntime();
        HttpResponse<String> r = agent.inject(app, "node", env, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String revision = dev.vibed.core.json.Jsons.string(dev.vibed.core.json.Jsons.parseObject(r.body()), "revision")
                .orElseThrow();
        AgentStatus s = agent.awaitListening(revision);
        assertThat(agent.app("/").body()).isEqualTo("node again");
        if (warmExpected) {
            assertThat(before).contains(s.pid());
        } else {
            assertThat(before).doesNotContain(s.pid());
        }
        return s.pid();
    }

    /**
     * Deploys through the warm runtime, then kills the app with SIGTERM: the restart is cold. Both starts must report
     * the same and die of SIGTERM the same way.
     */
    private void compareWarmWithCold(TarGz archive, String template, String entrypoint, String signal) {
        compareWarmWithCold(archive, template, entrypoint, signal, Map.of("GREETING", "hello world", "EMPTY", ""), "");
    }

    private void compareWarmWithCold(TarGz archive, String template, String entrypoint, String signal,
                                     Map<String, String> env, String root) {
        compareWarmWithCold(archive, template, entrypoint, signal, env, root, true);
    }

    /** @param listenEvent whether the loader reports the listen (it does not for an app that shadows its modules) */
    private void compareWarmWithCold(TarGz archive, String template, String entrypoint, String signal,
                                     Map<String, String> env, String root, boolean listenEvent) {
        Set<Long> before = awaitWarmRuntime();
        HttpResponse<String> r = agent.inject(archive, template, env, entrypoint, root);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        AgentStatus warm = agent.awaitStatus(Duration.ofSeconds(30), s -> s.state() == AgentState.RUNNING
                && s.listening());
        assertThat(before).as("the app is the runtime that was waiting before the inject").contains(warm.pid());
        assertThat(agent.agentLog()).contains("pid=" + warm.pid()).contains("(warm runtime, pre-started");
        // The event may lose the race against the fallback probe on a busy machine, but it must arrive.
        if (listenEvent) {
            org.awaitility.Awaitility.await("the loader's listen event").atMost(Duration.ofSeconds(10))
                    .until(() -> agent.agentLog().contains("warm runtime reports it listening on port "
                            + agent.options().appPort()));
        }
        String warmReport = agent.app("/").body();

        signal(warm.pid(), signal);
        AgentStatus cold = agent.awaitStatus(Duration.ofSeconds(30), s -> s.restarts() == 1 && s.listening());
        assertThat(before).as("the restart is a cold start").doesNotContain(cold.pid());
        int warmExit = cold.exitCode();
        String coldReport = agent.app("/").body();

        signal(cold.pid(), signal);
        AgentStatus again = agent.awaitStatus(Duration.ofSeconds(30), s -> s.restarts() == 2 && s.listening());

        assertThat(warmReport).isEqualTo(coldReport);
        assertThat(warmExit).as("SIG" + signal + " ends the warm-started app as it ends a bare one")
                .isEqualTo(again.exitCode()).isEqualTo(128 + (signal.equals("TERM") ? 15 : 2));
        if (entrypoint != null) {
            String args = String.join(" ", List.of(entrypoint.split(" ")).subList(1, entrypoint.split(" ").length));
            assertThat(agent.get("/logs").body()).contains("boot " + args);
        }
        assertThat(warmReport).contains("hello world");
    }

    /**
     * Waits until the agent has a runtime waiting (a loader process outside the current app's tree); returns the
     * processes under the agent at that time.
     */
    private Set<Long> awaitWarmRuntime() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(agent::processesWithWarmRuntimeWaiting, java.util.Optional::isPresent).orElseThrow();
    }

    /** A signal to the interpreter inside the sandbox, as a platform stop, `kill` or Ctrl-C would send it. */
    private static void signal(long sandboxPid, String signal) {
        // Under bubblewrap the interpreter is a descendant of the sandbox's pid; without it, the pid itself.
        ProcessHandle root = ProcessHandle.of(sandboxPid).orElseThrow();
        ProcessHandle interpreter = Stream.concat(Stream.of(root), root.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/node") || c.contains("python3")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no interpreter under " + sandboxPid));
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(interpreter.pid())).start();
            assertThat(kill.waitFor()).isZero();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
