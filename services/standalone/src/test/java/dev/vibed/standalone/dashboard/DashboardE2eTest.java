package dev.vibed.standalone.dashboard;

import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard end to end: a real standalone vibeD, the real dashboard from the jar, a real Chromium. One user
 * deploys a folder, watches it go live, reads its log, changes env, rolls back, suspends, resumes, extends,
 * deletes, and sees why a broken deploy failed; screenshots land in target/dashboard-screenshots.
 */
class DashboardE2eTest {
    static final Path SHOTS = Path.of("target", "dashboard-screenshots").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void aUserDeploysAFolderAndDrivesTheAppThroughItsLife() throws Exception {
        Files.createDirectories(SHOTS);
        String marker = "served-by-dashboard-" + Long.toHexString(System.nanoTime());
        String logMarker = "listening-" + Long.toHexString(System.nanoTime());
        Path folder = Files.createDirectories(tmp.resolve("hello-site"));
        Files.writeString(folder.resolve("package.json"), "{\"name\":\"hello\",\"scripts\":{\"start\":\"node server.js\"}}");
        Files.writeString(folder.resolve("server.js"), """
                const http = require('http');
                const fs = require('fs');
                const port = process.env.PORT || 8080;
                http.createServer((req, res) => {
                  res.writeHead(200, {'content-type': 'text/plain'});
                  res.end('%s greeting=' + (process.env.GREETING || 'none')
                    + ' secret=' + fs.existsSync('secret.txt') + ' git=' + fs.existsSync('.git')
                    + ' modules=' + fs.existsSync('node_modules') + ' nested=' + fs.existsSync('lib/keep.txt')
                    + ' nestedIgnored=' + fs.existsSync('lib/drop.log'));
                }).listen(port, process.env.HOST || '127.0.0.1', () => console.log('%s on ' + port));
                """.formatted(marker, logMarker));
        Files.writeString(folder.resolve(".gitignore"), "secret.txt\n");
        Files.writeString(folder.resolve("secret.txt"), "do not upload");
        Files.createDirectories(folder.resolve(".git")).resolve("HEAD").toFile().createNewFile();
        Files.writeString(Files.createDirectories(folder.resolve("node_modules/dep")).resolve("index.js"), "x");
        Files.writeString(Files.createDirectories(folder.resolve("lib")).resolve("keep.txt"), "kept");
        Files.writeString(folder.resolve("lib/.vibedignore"), "*.log\n");
        Files.writeString(folder.resolve("lib/drop.log"), "dropped");
        Path crash = Files.write(tmp.resolve("broken.tar.gz"), Apps.crashingNode());

        try (Standalone vibed = RunningStandalone.start(StandaloneConfig.defaults(tmp.resolve("data")).withPort(0)
                .withTemplates(Set.of("static", "node")))) {
            Http http = new Http(vibed.apiUri());
            String base = vibed.apiUri().toString().replaceAll("/$", "");
            DashboardBrowser.Run run = DashboardBrowser.run("lifecycle", Json.createObjectBuilder()
                    .add("base", base).add("folder", folder.toString()).add("name", "hello-site")
                    .add("logMarker", logMarker).add("crashTarball", crash.toString()).add("shots", SHOTS.toString()).build());
            assertThat(run.seen()).as(run.output()).containsKey("done");
            assertThat(run.exit()).as(run.output()).isZero();

            assertThat(run.text("empty_state")).contains("Deploy your first app");
            assertThat(run.text("deploy_phases")).as("the status shows the live phase until the link").contains("Ready");
            assertThat(run.text("table_phase")).isEqualTo("Ready");
            assertThat(run.text("same_document")).as("no reload on the way").isEqualTo("true");
            assertThat(run.text("deploy_url")).matches("http://[a-z0-9]+\\.localhost:" + vibed.port() + "/");
            assertThat(run.text("app_content")).contains(marker).contains("greeting=none")
                    .as("the browser packed the folder honouring .gitignore, nested .vibedignore, .git and node_modules")
                    .contains("secret=false", "git=false", "modules=false", "nested=true", "nestedIgnored=false");
            assertThat(run.text("log_text")).contains(logMarker);
            assertThat(run.text("rule")).isNotBlank();
            assertThat(run.text("env_shown")).contains("GREETING").contains("********").doesNotContain("from-the-dashboard");
            assertThat(run.text("app_content_v2")).contains("greeting=from-the-dashboard");
            assertThat(run.text("app_content_rolled_back")).contains("greeting=none");
            assertThat(run.text("suspended_phase")).isEqualTo("Suspended");
            assertThat(run.text("app_content_suspended")).doesNotContain(marker).containsIgnoringCase("suspended");
            assertThat(run.text("resumed_phase")).isEqualTo("Ready");
            assertThat(run.text("expires")).matches("in [67]d");
            assertThat(run.text("deleted")).contains("App deleted");
            String id = run.text("deploy_url").replaceAll("http://([a-z0-9]+)\\..*", "$1");
            assertThat(http.get("/v1/apps/" + id).status()).as("the deleted app is gone for the API too").isEqualTo(404);
            assertThat(run.text("failure")).contains("Deploy failed").contains("boom: missing config");
            assertThat(run.text("search_miss")).isEqualTo("[]");
            assertThat(run.text("search_hit")).isEqualTo("[\"broken\"]");
            assertThat(run.text("filter_ready")).isEqualTo("[]");
            assertThat(run.text("filter_failed")).isEqualTo("[\"broken\"]");
            assertThat(run.text("first_tab")).isEqualTo("Skip to content");
            assertThat(run.text("connect")).contains(base + "/mcp").contains(base + "/v1/deploy").contains("Claude Desktop").contains("Cursor");
            assertThat(run.text("audit")).contains("delete").contains("rollback");
            assertThat(run.text("phone_overflow")).as("nothing wider than a phone").isEqualTo("false");
            assertThat(run.text("console_errors")).as("no console error was logged").isEqualTo("[]");
            for (String shot : new String[]{"apps-table-desktop", "app-page-desktop", "connect-desktop", "apps-table-phone",
                    "app-page-phone", "connect-phone"}) {
                assertThat(SHOTS.resolve(shot + ".png")).isNotEmptyFile();
            }
        }
    }

    @Test
    void theDashboardPageIsRevalidatedAndItsHashedAssetsAreCachedForGood() throws Exception {
        try (Standalone vibed = RunningStandalone.start(StandaloneConfig.defaults(tmp.resolve("data")).withPort(0)
                .withTemplates(Set.of("static")))) {
            Http http = new Http(vibed.apiUri());
            Http.Response page = http.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            var asset = java.util.regex.Pattern.compile("/assets/[A-Za-z0-9._-]+\\.js").matcher(page.body());
            assertThat(asset.find()).as(page.body()).isTrue();
            Http.Response js = http.get(asset.group());
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
            assertThat(http.get("/assets/nope.js").status()).isEqualTo(404);
            assertThat(http.get("/assets/..%2Fdashboard%2Findex.html").status()).isEqualTo(404);
            assertThat(http.get("/v1/apps").status()).as("the API keeps its paths").isEqualTo(200);
            assertThat(http.get("/healthz").status()).isEqualTo(200);
            // An app host never gets the dashboard, even on its root.
            Http.Response deployed = http.deploy(Apps.staticSite("app-not-dashboard"), "{\"name\":\"site\"}");
            String host = java.net.URI.create(deployed.json().getString("url")).getHost();
            assertThat(http.getHost(host + ":" + vibed.port(), "/").body()).contains("app-not-dashboard").doesNotContain("/assets/index-");
        }
    }
}
