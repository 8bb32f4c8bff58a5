package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every template through the proxy, isolation seen from inside an app, crash reporting, logs and pool metrics. */
class SandboxesTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        // A crash loop is declared after five restarts with backoff (about 4 s of backoff alone): on a busy machine that
        // outlasts the default 10 s deploy wait, and the answer would be a 202 instead of the 422 asserted here.
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0)
                .withTemplates(Set.of("static", "node", "python", "workerd")).withDeployWait(Duration.ofSeconds(40)));
        http = new Http(vibed.apiUri());
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    @Test
    void aModuleWorkerRunsOnWorkerd() {
        byte[] worker = TarGz.create()
                .file("wrangler.toml", "name = \"hello\"\nmain = \"src/index.js\"\ncompatibility_date = \"2024-09-01\"\n")
                .file("src/index.js", """
                        export default {
                          async fetch(request) {
                            const url = new URL(request.url);
                            return new Response('hello from workerd ' + url.pathname + url.search);
                          }
                        };
                        """)
                .bytes();
        Http.Response res = http.deploy(worker, "{\"name\":\"worker\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json().getString("template")).isEqualTo("workerd");
        assertThat(res.json().getString("lane")).isEqualTo("fast");
        assertThat(http.getHost(host(res.json()), "/w?x=1").body()).isEqualTo("hello from workerd /w?x=1");
    }

    @Test
    void aProjectThatNeedsABuildIsBuiltInItsSandboxThenServed() {
        byte[] project = TarGz.create()
                .file("package.json", "{\"name\":\"needs-build\",\"scripts\":{\"build\":\"node build.js\"}}")
                .file("build.js", """
                        const fs = require('fs');
                        fs.mkdirSync('dist', {recursive: true});
                        fs.writeFileSync('dist/index.html', '<h1>built ' + new Date().getFullYear() + '</h1>');
                        console.log('build done');
                        """)
                .file("src/app.js", "console.log('source, not served')")
                .bytes();
        Http.Response res = http.deploy(project, "{\"name\":\"needs-build\"}");
        assertThat(res.status()).as(res.body()).isIn(200, 202);
        assertThat(res.json().getString("rule")).isEqualTo("build-required");
        String id = res.json().getString("app_id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http.get("/v1/apps/" + id).json().getString("phase")).isEqualTo("Ready"));
        assertThat(http.getHost(host(res.json()), "/").body()).contains("<h1>built ");
        assertThat(http.getHost(host(res.json()), "/src/app.js").status()).isEqualTo(404);
    }

    @Test
    void anAppCannotReachOutsideItsSandbox() throws Exception {
        Path appsDir = data.resolve("apps");
        Path secret = Files.writeString(data.resolve("host-secret.txt"), "do not read");
        byte[] probe = TarGz.create()
                .file("server.js", """
                        const fs = require('fs');
                        const http = require('http');
                        function attempt(f) { try { f(); return 'allowed'; } catch (e) { return 'denied'; } }
                        http.createServer((req, res) => {
                          const procs = fs.readdirSync('/proc').filter(p => /^[0-9]+$/.test(p));
                          const cmdlines = procs.map(p => { try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8'); } catch (e) { return ''; } });
                          res.end(JSON.stringify({
                            writeUsr: attempt(() => fs.writeFileSync('/usr/vibed-escape', 'x')),
                            writeDataDir: attempt(() => fs.writeFileSync(%s + '/escape.txt', 'x')),
                            readSecret: attempt(() => fs.readFileSync(%s)),
                            listApps: attempt(() => fs.readdirSync(%s)),
                            writeWorkspace: attempt(() => fs.writeFileSync('own-file.txt', 'mine')),
                            writeTmp: attempt(() => fs.writeFileSync('/tmp/scratch', 'mine')),
                            processes: procs.length,
                            seesJava: cmdlines.some(c => c.includes('java')),
                            token: Object.keys(process.env).filter(k => k.includes('TOKEN')).length
                          }));
                        }).listen(process.env.PORT, process.env.HOST);
                        """.formatted(js(data.toString()), js(secret.toString()), js(appsDir.toString())))
                .bytes();
        Http.Response res = http.deploy(probe, "{\"name\":\"escape-artist\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        JsonObject seen = http.getHost(host(res.json()), "/").json();

        assertThat(seen.getString("writeUsr")).isEqualTo("denied");
        assertThat(seen.getString("writeDataDir")).isEqualTo("denied");
        assertThat(seen.getString("readSecret")).isEqualTo("denied");
        assertThat(seen.getString("listApps")).isEqualTo("denied");
        assertThat(seen.getString("writeWorkspace")).isEqualTo("allowed");
        assertThat(seen.getString("writeTmp")).isEqualTo("allowed");
        assertThat(seen.getBoolean("seesJava")).as("the agent and vibeD are invisible").isFalse();
        assertThat(seen.getInt("processes")).isLessThan(5);
        assertThat(seen.getInt("token")).isZero();
        assertThat(data.resolve("escape.txt")).doesNotExist();
        assertThat(Path.of("/usr/vibed-escape")).doesNotExist();
    }

    @Test
    void aCrashingAppFailsWithItsOutputInTheStatus() {
        Http.Response res = http.deploy(Apps.crashingNode(), "{\"name\":\"crasher\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(422);
        assertThat(res.json().getString("phase")).isEqualTo("Failed");
        assertThat(res.json().getString("message")).startsWith("CrashLoop");
        JsonObject app = http.get("/v1/apps/" + res.json().getString("app_id")).json();
        assertThat(app.getString("last_crash_log")).contains("boom: missing config");
        assertThat(app.getInt("restarts")).isGreaterThan(0);
        JsonObject ready = app.getJsonArray("conditions").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("type").equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.getString("status")).isEqualTo("False");
        assertThat(ready.getString("reason")).isEqualTo("CrashLoop");
    }

    @Test
    void logsAreReadableAndFollowable() throws Exception {
        byte[] chatty = TarGz.create()
                .file("server.js", """
                        const http = require('http');
                        console.log('booted and listening');
                        http.createServer((req, res) => { console.log('hit ' + req.url); res.end('ok'); })
                          .listen(process.env.PORT, process.env.HOST);
                        """)
                .bytes();
        Http.Response res = http.deploy(chatty, "{\"name\":\"chatty\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        String id = res.json().getString("app_id");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.get("/v1/apps/" + id + "/logs?tail=10").json().getJsonArray("lines").stream()
                        .map(v -> v.asJsonObject().getString("line"))).contains("booted and listening"));

        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
                        vibed.apiUri().resolve("/v1/apps/" + id + "/logs?follow=true&tail=0")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        CompletableFuture<String> hit = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("data:") && line.contains("hit /followed")) {
                        return line;
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        http.getHost(host(res.json()), "/followed");
        assertThat(hit.get(15, TimeUnit.SECONDS)).contains("\"stream\":\"stdout\"");
        assertThat(http.get("/v1/apps/" + id + "/logs?tail=-1").status()).isEqualTo(400);
    }

    /** A node app: static sites are served by the shared static host and claim no sandbox (see StaticHostTest). */
    @Test
    void poolMetricsCountClaims() {
        assertThat(http.deploy(Apps.nodeServer("metrics"), "{\"name\":\"metered\"}").status()).isEqualTo(200);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("# TYPE vibed_pool_claims_total counter");
        assertThat(metrics).containsPattern("vibed_pool_claims_total\\{template=\"node\"} [1-9]");
        assertThat(metrics).containsPattern("vibed_apps\\{phase=\"Ready\"} [1-9]");
        assertThat(metrics).containsPattern("vibed_static_sites [0-9]");
    }

    @Test
    void anEmptyPoolIsAMissAndAColdStart(@TempDir Path otherData) throws Exception {
        try (Standalone cold = RunningStandalone.start(StandaloneConfig.defaults(otherData).withPort(0)
                .withTemplates(Set.of("node")).withWarmPerTemplate(0))) {
            Http coldHttp = new Http(cold.apiUri());
            Http.Response res = coldHttp.deploy(Apps.nodeServer("cold"), "{\"name\":\"cold\"}");
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            assertThat(res.json().getBoolean("cold_start")).isTrue();
            assertThat(coldHttp.getHost(host(res.json()), "/").body()).contains("cold");
            assertThat(cold.poolMetrics().misses()).containsEntry("node", 1L);
            assertThat(coldHttp.get("/metrics").body()).contains("vibed_pool_misses_total{template=\"node\"} 1");
        }
        Http.Response warm = http.deploy(Apps.nodeServer("warm"), "{\"name\":\"warm\"}");
        assertThat(warm.json().getBoolean("cold_start")).isFalse();
    }

    private static String js(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String host(JsonObject deployed) {
        return URI.create(deployed.getString("url")).getAuthority();
    }

}
