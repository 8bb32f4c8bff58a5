package dev.vibed.agent;

import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.FreePort;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The control API against a real agent process (isolation none; bubblewrap has its own test class). */
class ControlApiTest {
    @TempDir
    static Path dir;
    static TestAgent agent;

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
    void healthzNeedsNoToken() {
        HttpResponse<String> r = agent.call("GET", "/healthz", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @ParameterizedTest
    @CsvSource({"POST,/inject", "GET,/status", "GET,/logs", "GET,/logs?follow=true", "POST,/stop", "GET,/info",
            "GET,/nothing-here"})
    void everyOtherEndpointNeedsTheToken(String method, String path) {
        String body = method.equals("POST") ? "{}" : null;
        for (String token : new String[]{null, "wrong", agent.token() + "x", ""}) {
            HttpResponse<String> r = agent.call(method, path, body, token);
            assertThat(r.statusCode()).as("%s %s with token %s", method, path, token).isEqualTo(401);
            assertThat(error(r)).containsEntry("code", "unauthorized");
        }
    }

    @Test
    void unknownEndpointsAndMethodsAreJsonErrors() {
        HttpResponse<String> notFound = agent.get("/nope");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(error(notFound)).containsEntry("code", "not_found");
        HttpResponse<String> wrongMethod = agent.call("DELETE", "/status", null, agent.token());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(error(wrongMethod)).containsEntry("code", "method_not_allowed");
    }

    @Test
    void infoListsTemplatesAndRuntimeVersions() {
        HttpResponse<String> r = agent.get("/info");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject info = Jsons.parseObject(r.body());
        assertThat(info.getString("agentContract")).isEqualTo("v1");
        assertThat(info.getJsonArray("templates").getValuesAs(jakarta.json.JsonString::getString))
                .contains("static", "node", "python");
        assertThat(info.getJsonObject("runtimes").getString("node")).startsWith("v");
        assertThat(info.getJsonObject("runtimes").getString("python")).matches("3\\.\\d+\\.\\d+");
        assertThat(info.containsKey("absent")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json",
            "[1,2]",
            "{\"sha256\":\"" + ZEROS + "\"}",
            "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\"abc\"}",
            "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\"" + ZEROS + "\",\"port\":70000}",
            "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\"" + ZEROS + "\",\"env\":{\"A\":1}}",
            "{\"source_url\":\"file:///etc/passwd\",\"sha256\":\"" + ZEROS + "\"}",
            "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\"" + ZEROS + "\",\"root\":\"../up\"}",
            "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\"" + ZEROS + "\",\"env\":{\"A=B\":\"c\"}}"})
    void malformedInjectsAreBadRequests(String body) {
        HttpResponse<String> r = agent.post("/inject", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(error(r)).containsEntry("code", "bad_request").containsKey("message");
    }

    @Test
    void theControlPortIsNotAnAppPort() {
        HttpResponse<String> r = agent.post("/inject", "{\"source_url\":\"http://127.0.0.1:1/x\",\"sha256\":\""
                + ZEROS + "\",\"port\":" + agent.handle().controlPort() + "}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message")).contains("control port");
    }

    static final String ZEROS = "0000000000000000000000000000000000000000000000000000000000000000";

    @Test
    void staticSiteIsServedAndReinjectReplacesIt() throws IOException {
        agent.deploy(TarGz.create().file("index.html", "<h1>one</h1>").file("css/site.css", "h1{}"), "static",
                Map.of());
        HttpResponse<String> page = agent.app("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<h1>one</h1>");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(agent.app("/css/site.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        assertThat(agent.status().pid()).isZero();

        String second = agent.deploy(TarGz.create().file("index.html", "<h1>two</h1>"), "static", Map.of());
        assertThat(agent.app("/").body()).isEqualTo("<h1>two</h1>");
        assertThat(agent.app("/css/site.css").statusCode()).isEqualTo(404);
        assertThat(agent.status().revision()).isEqualTo(second);
        assertThat(releases()).as("old releases are removed").hasSize(1);
    }

    @Test
    void theAppRootCanBeAFolderOfTheArchive() {
        agent.deploy(TarGz.create().file("README.md", "top").file("dist/index.html", "from dist"), "static",
                Map.of(), "dist");
        assertThat(agent.app("/").body()).isEqualTo("from dist");
        assertThat(agent.app("/README.md").statusCode()).isEqualTo(404);

        HttpResponse<String> missing = agent.inject(TarGz.create().file("index.html", "x"), "static", Map.of(), null,
                "build");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing)).containsEntry("code", "bad_root");
    }

    @Test
    void sha256MismatchIsRejectedAndNothingIsExtracted() throws IOException {
        String running = agent.deploy(TarGz.create().file("index.html", "still here"), "static", Map.of());
        List<Path> before = releases();
        byte[] other = TarGz.create().file("index.html", "evil twin").bytes();
        String url = agent.sources().put("mismatch.tar.gz", other);
        HttpResponse<String> r = agent.inject(new InjectRequest(url, ZEROS, Map.of(), null,
                agent.options().appPort(), "static", "", "never"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("code", "sha256_mismatch");
        assertThat(releases()).isEqualTo(before);
        assertThat(downloads()).isEmpty();
        assertThat(agent.status().revision()).isEqualTo(running);
        assertThat(agent.app("/").body()).isEqualTo("still here");
    }

    @ParameterizedTest
    @CsvSource({"traversal,archive_path_traversal", "absolute,archive_absolute_path",
            "link,archive_link_escape", "device,archive_special_file"})
    void hostileArchivesAreRejectedWithTheirCodeAndLeaveNothingBehind(String kind, String code) throws IOException {
        agent.deploy(TarGz.create().file("index.html", "safe"), "static", Map.of());
        List<Path> before = releases();
        TarGz hostile = TarGz.create().file("index.html", "x");
        switch (kind) {
            case "traversal" -> hostile.file("../../escaped.txt", "gotcha");
            case "absolute" -> hostile.file("/tmp/vibed-absolute-" + ProcessHandle.current().pid(), "gotcha");
            case "link" -> hostile.symlink("passwd", "../../../../etc/passwd");
            default -> hostile.charDevice("null");
        }
        HttpResponse<String> r = agent.inject(hostile, "static", Map.of(), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("code", code);
        assertThat(releases()).isEqualTo(before);
        assertThat(downloads()).isEmpty();
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
        assertThat(Path.of("/tmp/vibed-absolute-" + ProcessHandle.current().pid())).doesNotExist();
        assertThat(agent.workspace().resolve("escaped.txt")).doesNotExist();
        assertThat(agent.app("/").body()).isEqualTo("safe");
    }

    @Test
    void unreachableSourcesAre502AndMissingOnesA422() {
        HttpResponse<String> closedPort = agent.inject(new InjectRequest("http://127.0.0.1:" + FreePort.find()
                + "/x.tar.gz?X-Amz-Signature=secret", ZEROS, Map.of(), null, agent.options().appPort(), "static",
                "", "r"));
        assertThat(closedPort.statusCode()).isEqualTo(502);
        assertThat(error(closedPort)).containsEntry("code", "source_unreachable");
        assertThat(closedPort.body()).doesNotContain("secret");

        HttpResponse<String> missing = agent.inject(new InjectRequest(agent.sources().url("/blobs/missing"), ZEROS,
                Map.of(), null, agent.options().appPort(), "static", "", "r"));
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(error(missing)).containsEntry("code", "source_rejected");
        assertThat(error(missing).get("message")).contains("404");
    }

    @Test
    void oversizedSourcesAreCutOffWhileStreaming() {
        long tooBig = dev.vibed.core.archive.ArchiveLimits.defaults().maxCompressedBytes() + 1;
        HttpResponse<String> r = agent.inject(new InjectRequest(agent.sources().url("/endless?" + tooBig), ZEROS,
                Map.of(), null, agent.options().appPort(), "static", "", "big"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("code", "source_too_large");
        assertThat(downloads()).isEmpty();
    }

    @Test
    void anAppWithoutEntrypointIsABadRequest() {
        HttpResponse<String> r = agent.inject(TarGz.create().file("README.md", "nothing to run"), "node", Map.of(),
                null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).containsEntry("code", "no_entrypoint");
        assertThat(error(r).get("message")).contains("server.js");
    }

    @Test
    void userProcessGetsAFreshEnvironmentWithoutTheToken() {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("env")), "node", Map.of("GREETING", "hello"));
        JsonObject env = agent.appJson("/env");
        assertThat(env.keySet()).doesNotContain("VIBED_AGENT_TOKEN");
        assertThat(env.toString()).doesNotContain(agent.token());
        assertThat(env.getString("GREETING")).isEqualTo("hello");
        assertThat(env.getString("PORT")).isEqualTo(Integer.toString(agent.options().appPort()));
        assertThat(env.getString("HOST")).isEqualTo("127.0.0.1");
        assertThat(env.getString("PATH")).isEqualTo("/usr/local/bin:/usr/bin:/bin");
        assertThat(env.getString("LANG")).isEqualTo("C.UTF-8");
        assertThat(env.getString("NODE_ENV")).isEqualTo("production");
        assertThat(env.getString("PYTHONUNBUFFERED")).isEqualTo("1");
        assertThat(Path.of(env.getString("HOME"))).startsWith(agent.workspace().resolve("releases"));
    }

    @Test
    void logsTailAndFollow() throws Exception {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("logs")), "node", Map.of());
        agent.app("/say?m=first-line");
        agent.app("/say?m=second-line");
        JsonObject tail = Jsons.parseObject(agent.get("/logs?tail=2").body());
        List<JsonObject> lines = tail.getJsonArray("lines").getValuesAs(JsonObject.class);
        assertThat(lines).extracting(l -> l.getString("line")).containsExactly("first-line", "second-line");
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.getString("stream")).isEqualTo("stdout");
            assertThat(java.time.Instant.parse(l.getString("ts"))).isNotNull();
        });

        try (SseReader sse = SseReader.open(agent, "/logs?follow=true&tail=1")) {
            assertThat(sse.contentType()).startsWith("text/event-stream");
            sse.awaitData(d -> d.contains("second-line"));
            agent.app("/say?m=live-line");
            JsonObject live = Jsons.parseObject(sse.awaitData(d -> d.contains("live-line")));
            assertThat(live.getString("stream")).isEqualTo("stdout");
            assertThat(sse.data()).noneMatch(d -> d.contains("first-line"));
        }
    }

    @Test
    void stopStopsTheApp() {
        agent.deploy(TarGz.create().file("server.js", Apps.nodeServer("stop")), "node", Map.of());
        long pid = agent.status().pid();
        HttpResponse<String> r = agent.post("/stop", null);
        assertThat(r.statusCode()).isEqualTo(200);
        AgentStatus s = AgentStatus.fromJson(Jsons.parseObject(r.body()));
        assertThat(s.state()).isEqualTo(AgentState.EXITED);
        assertThat(s.listening()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(accepts(agent.options().appPort())).isFalse();
    }

    @Test
    void injectAnswers202WithStateAndRevision() {
        HttpResponse<String> r = agent.inject(TarGz.create().file("index.html", "hi"), "static", Map.of(), null);
        assertThat(r.statusCode()).isEqualTo(202);
        JsonObject body = Jsons.parseObject(r.body());
        assertThat(body.getString("state")).isIn("starting", "running");
        assertThat(body.getString("revision")).startsWith("rev-");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, String> error(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonObject o = Jsons.parseObject(r.body());
        assertThat(o.keySet()).containsExactlyInAnyOrder("code", "message");
        return Map.of("code", o.getString("code"), "message", o.getString("message"));
    }

    private static List<Path> releases() {
        return list(agent.workspace().resolve("releases"));
    }

    private static List<Path> downloads() {
        return list(agent.workspace().resolve("downloads"));
    }

    private static List<Path> list(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
