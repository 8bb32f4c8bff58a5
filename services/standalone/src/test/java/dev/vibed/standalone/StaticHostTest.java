package dev.vibed.standalone;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Static sites in standalone are served by the shared static host in the vibeD process: no sandbox process per
 * app, one folder per site under the data dir, the same serving rules as the agent's static server, and the same
 * lifecycle as any app (suspend, delete, restart).
 */
class StaticHostTest {
    @TempDir
    Path data;

    Standalone vibed;
    Http http;

    @BeforeEach
    void start() throws IOException {
        vibed = RunningStandalone.start(data, Set.of("static"));
        http = new Http(vibed.apiUri());
    }

    @AfterEach
    void stop() {
        if (vibed != null) {
            vibed.close();
        }
    }

    @Test
    void aStaticDeployStartsNoSandboxProcess() {
        String id = deploy(Apps.staticSite("no sandbox"), "plain");

        assertThat(http.getHost(host(id), "/").body()).contains("no sandbox");
        assertThat(vibed.poolMetrics().bound()).isZero();
        assertThat(vibed.poolMetrics().claims().get("static")).isZero();
        assertThat(vibed.poolMetrics().warm().get("static")).isZero();
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("dev.vibed.agent.AgentMain")))
                .as("agent processes started by this vibeD").isEmpty();
        assertThat(vibed.store().get(id).orElseThrow().status().sandboxRef()).isEqualTo("site-" + id + "-v1");
        assertThat(vibed.sites().claimKeys()).containsExactly(id + "-v1");
    }

    @Test
    void servesWithTheAgentsRulesAndLogsLikeASandbox() {
        String spa = deploy(TarGz.create()
                .file("index.html", "<h1>spa shell</h1>")
                .file("app.js", "console.log(1)")
                .file("docs/index.html", "<h1>docs</h1>")
                .file(".env", "SECRET=1")
                .bytes(), "spa");
        assertThat(http.getHost(host(spa), "/users/42").body()).contains("spa shell");
        assertThat(http.getHost(host(spa), "/missing.png").status()).isEqualTo(404);
        Http.Response js = http.getHost(host(spa), "/app.js");
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(http.getHost(host(spa), "/.env").status()).isEqualTo(404);
        Http.Response folder = raw(host(spa), "/docs");
        assertThat(folder.status()).isEqualTo(301);
        assertThat(folder.headers().firstValue("location")).hasValue("/docs/");

        String custom = deploy(TarGz.create()
                .file("index.html", "<h1>home</h1>")
                .file("404.html", "<h1>our own 404</h1>")
                .bytes(), "custom");
        Http.Response missing = http.getHost(host(custom), "/users/42");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("our own 404");

        assertThat(http.get("/v1/apps/" + spa + "/logs?tail=10").body()).contains("serving static files");
    }

    @Test
    void twoStaticAppsCannotReadEachOthersFiles() {
        String secret = deploy(TarGz.create()
                .file("index.html", "<h1>a</h1>")
                .file("secret.txt", "the secret of a")
                .bytes(), "owner-a");
        String other = deploy(Apps.staticSite("b"), "owner-b");
        String site = "site-" + secret + "-v1";
        List<String> tricks = List.of(
                "/../" + site + "/r1/secret.txt",
                "/../../" + site + "/r1/secret.txt",
                "/..%2F" + site + "%2Fr1%2Fsecret.txt",
                "/%2e%2e/%2e%2e/" + site + "/r1/secret.txt",
                "/%2E%2E%2F%2E%2E%2F" + site + "%2Fr1%2Fsecret.txt",
                "/..%5c" + site + "%5cr1%5csecret.txt",
                "/./../" + site + "/r1/secret.txt",
                "//" + data.resolve("sites").toAbsolutePath() + "/" + site + "/r1/secret.txt");
        for (String path : tricks) {
            Http.Response res = raw(host(other), path);
            assertThat(res.body()).as(path).doesNotContain("the secret of a");
            assertThat(res.status()).as(path).isIn(400, 404);
        }
        assertThat(raw(host(secret), "/secret.txt").body()).contains("the secret of a");

        Http.Response link = http.deploy(TarGz.create()
                .file("index.html", "<h1>c</h1>")
                .symlink("steal.txt", "../../" + site + "/r1/secret.txt")
                .bytes(), "{\"name\":\"owner-c\"}");
        assertThat(link.status()).as(link.body()).isEqualTo(400);
        assertThat(link.body()).contains("archive_link_escape");
    }

    @Test
    void suspendShowsTheSuspendedPageAndDeleteRemovesTheSite() {
        String id = deploy(Apps.staticSite("lifecycle"), "life");
        Path site = data.resolve("sites").resolve("site-" + id + "-v1");
        assertThat(site).isDirectory();

        assertThat(http.json("POST", "/v1/apps/" + id + "/suspend", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Http.Response page = http.getHost(host(id), "/");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.body()).contains("suspended");
        });
        assertThat(site).doesNotExist();

        assertThat(http.json("POST", "/v1/apps/" + id + "/resume", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.getHost(host(id), "/").body()).contains("lifecycle"));
        assertThat(site).isDirectory();

        assertThat(http.raw("DELETE", "/v1/apps/" + id, null, null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(site).doesNotExist();
            assertThat(http.getHost(host(id), "/").status()).isEqualTo(404);
        });
        assertThat(vibed.sites().claimKeys()).isEmpty();
    }

    @Test
    void aRestartedVibedServesTheStaticAppsAgainFromTheirBlobs() throws IOException {
        String id = deploy(Apps.staticSite("after restart"), "survivor");
        vibed.close();
        vibed = null;
        assertThat(data.resolve("sites")).as("a stopped vibeD leaves no unpacked site").doesNotExist();
        try (Standalone second = RunningStandalone.start(data, Set.of("static"))) {
            Http again = new Http(second.apiUri());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response page = again.getHost(id + ".localhost:" + second.port(), "/");
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.body()).contains("after restart");
            });
            assertThat(second.sites().claimKeys()).containsExactly(id + "-v1");
        }
    }

    private String deploy(byte[] site, String name) {
        Http.Response res = http.deploy(site, "{\"name\":\"" + name + "\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.json().getString("app_id");
    }

    private String host(String id) {
        return id + ".localhost:" + vibed.port();
    }

    /** The request line exactly as written: an HTTP client would normalise or re-encode the tricks. */
    private Http.Response raw(String host, String path) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), vibed.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
            // Helidon keeps the connection open; the body is exactly Content-Length long.
            int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).getFirst());
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Http.Response(status, body, java.net.http.HttpHeaders.of(headers, (x, y) -> true));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
