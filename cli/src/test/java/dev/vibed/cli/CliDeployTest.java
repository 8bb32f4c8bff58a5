package dev.vibed.cli;

import dev.vibed.cli.testing.Cli;
import dev.vibed.cli.testing.Projects;
import dev.vibed.cli.testing.TestServer;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vibed deploy} as a process against a real standalone vibeD: packing rules, redeploy, limits, failures, output. */
class CliDeployTest {
    @TempDir
    static Path tmp;
    static TestServer server;
    static Cli alice;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(tmp.resolve("data"));
        alice = new Cli(server.url(), tmp.resolve("config")).as(TestServer.ALICE_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void deploysAFolderWithoutWhatItIgnoresAndAgainUpdatesTheSameApp() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside-secret.txt"), "outside the folder");
        Projects site = Projects.in(tmp, "My_Site")
                .file("index.html", "<h1>version one</h1>")
                .file("about/index.html", "about page")
                .file("secret.txt", "do not ship")
                .file("debug.log", "noise")
                .file("drafts/wip.html", "unfinished")
                .file("drafts/keep.html", "re-included by .vibedignore")
                .file("about/.gitignore", "notes.md\n")
                .file("about/notes.md", "nested ignore")
                .file(".gitignore", "secret.txt\n*.log\ndrafts/*\n")
                .file(".vibedignore", "!drafts/keep.html\n")
                .file(".git/config", "[core]")
                .file("node_modules/left-pad/index.js", "module.exports = 1")
                .link("outside.txt", outside)
                .link("home.html", Path.of("index.html"));

        Cli.Result first = alice.run(site.dir(), "deploy");
        assertThat(first.exit()).as(first.describe()).isZero();
        String url = first.out().strip();
        assertThat(first.out()).as("stdout holds the URL alone").isEqualTo(url + "\n");
        assertThat(url).matches("http://[a-z2-7]{12}\\.localhost:\\d+/");
        assertThat(first.err()).contains("skipped", "secret.txt", "debug.log", "drafts/wip.html", "about/notes.md",
                ".git/", "node_modules/", "outside.txt").contains("archive");

        assertThat(server.get(url, "/").body()).contains("version one");
        assertThat(server.get(url, "/about/").body()).contains("about page");
        assertThat(server.get(url, "/drafts/keep.html").status()).isEqualTo(200);
        assertThat(server.get(url, "/home.html").body()).as("a link inside the folder is kept").contains("version one");
        for (String absent : List.of("/secret.txt", "/debug.log", "/drafts/wip.html", "/about/notes.md", "/.git/config",
                "/node_modules/left-pad/index.js", "/outside.txt")) {
            assertThat(server.get(url, absent).status()).as(absent + " must not be served").isEqualTo(404);
        }

        site.file("index.html", "<h1>version two</h1>");
        Cli.Result second = alice.run(site.dir(), "deploy", "--quiet");
        assertThat(second.exit()).as(second.describe()).isZero();
        assertThat(second.out()).isEqualTo(url + "\n");
        assertThat(second.err()).as("--quiet prints nothing else").isEmpty();
        assertThat(server.get(url, "/").body()).contains("version two");

        Cli.Result apps = alice.run(tmp, "apps", "--json");
        assertThat(apps.exit()).as(apps.describe()).isZero();
        List<JsonObject> mine = Jsons.parseObject(apps.out()).getJsonArray("apps").stream().map(JsonValue::asJsonObject)
                .filter(a -> a.getString("name").equals("my-site")).toList();
        assertThat(mine).as("the folder's name, as a slug, names the app; the second deploy updated it").hasSize(1);
        assertThat(mine.getFirst().getInt("active_version")).isEqualTo(2);
        assertThat(mine.getFirst().getString("url")).isEqualTo(url);

        Cli.Result status = alice.run(tmp, "status", "my-site", "--json");
        assertThat(Jsons.parseObject(status.out()).getString("phase")).isEqualTo("Ready");
        Cli.Result versions = alice.run(tmp, "versions", "my-site", "--json");
        assertThat(Jsons.parseObject(versions.out()).getJsonArray("versions")).hasSize(2);
    }

    @Test
    void aFailingDeployExitsNonZeroWithTheReasonAndTheAppsOutput() {
        Projects broken = Projects.in(tmp, "broken")
                .file("package.json", "{\"name\":\"broken\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", "console.error('boom: DATABASE_URL is not set'); process.exit(3);");
        Cli.Result r = alice.run(broken.dir(), "deploy");
        assertThat(r.exit()).as(r.describe()).isEqualTo(CliError.FAILED);
        assertThat(r.out()).as("no URL on stdout for a failed deploy").isEmpty();
        assertThat(r.err()).contains("vibed: deploy failed: broken version 1 did not start")
                .contains("boom: DATABASE_URL is not set");
    }

    @Test
    void aFolderOverTheServersLimitIsRefusedBeforeUploading() throws IOException {
        Projects big = Projects.in(tmp, "too-big").file("index.html", "<h1>big</h1>");
        byte[] noise = new byte[(int) TestServer.MAX_SOURCE_BYTES + 64 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(big.dir().resolve("video.bin"), noise);

        Cli.Result r = alice.run(big.dir(), "deploy");
        assertThat(r.exit()).as(r.describe()).isEqualTo(CliError.TOO_LARGE);
        assertThat(r.err()).contains("over this server's limit of 512.0 KB", "nothing was uploaded", "video.bin", ".vibedignore");
        Cli.Result apps = alice.run(tmp, "apps", "--json");
        assertThat(apps.out()).doesNotContain("too-big");

        big.file(".vibedignore", "*.bin\n");
        Cli.Result fixed = alice.run(big.dir(), "deploy", "-q");
        assertThat(fixed.exit()).as(fixed.describe()).isZero();
        assertThat(server.get(fixed.out().strip(), "/").body()).contains("big");
    }

    @Test
    void showsProgressInATerminalAndNoneWhenPiped() {
        Projects site = Projects.in(tmp, "progress-site").file("index.html", "<h1>progress</h1>");
        Cli.Result tty = alice.runInTerminal(site.dir(), "deploy", "--name", "progress-site");
        assertThat(tty.exit()).as(tty.describe()).isZero();
        assertThat(tty.out()).contains("uploading [", "100%", "\r").containsPattern("progress-site: (Ready|Starting)")
                .contains("http://");

        Cli.Result piped = alice.run(site.dir(), "deploy", "--name", "progress-site");
        assertThat(piped.exit()).as(piped.describe()).isZero();
        assertThat(piped.err()).as("no progress bar or rewritten lines when piped").doesNotContain("\r", "[#", "uploading [");
        assertThat(piped.err()).doesNotContain("\u001b[");
        assertThat(piped.out()).matches("http://\\S+\n");
    }

    @Test
    void aReadyTarballIsDeployedAsItIsAndEnvAndTtlGoWithIt() throws Exception {
        Projects app = Projects.nodeLogger(tmp, "tar-src", "from-tarball");
        Path tarball = tmp.resolve("shipit.tar.gz");
        Process tar = new ProcessBuilder("tar", "czf", tarball.toString(), "-C", app.dir().toString(), ".").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path envFile = Files.writeString(tmp.resolve("prod.env"), "# prod\nGREETING=\"from the file\"\nOTHER=1\n");

        Cli.Result r = alice.run(tmp, "deploy", "shipit.tar.gz", "--env-file", envFile.toString(), "--env", "OTHER=2",
                "--ttl", "2h", "--json");
        assertThat(r.exit()).as(r.describe()).isZero();
        JsonObject answer = Jsons.parseObject(r.out());
        assertThat(answer.getString("name")).isEqualTo("shipit");
        assertThat(answer.getString("template")).isEqualTo("node");
        assertThat(server.get(answer.getString("url"), "/").body()).isEqualTo("from-tarball greeting=from the file");
        JsonObject status = Jsons.parseObject(alice.run(tmp, "status", "shipit", "--json").out());
        assertThat(status.getJsonObject("env").keySet()).containsExactlyInAnyOrder("GREETING", "OTHER");
        assertThat(status.getString("expires_at")).isNotBlank();
    }
}
