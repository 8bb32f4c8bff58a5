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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app commands as processes against a real standalone vibeD: logs, versions, rollback, env, suspend, rm, open.
 * This server answers every deploy 202 at once, so each deploy here is followed to the end on the live status.
 */
class CliAppCommandsTest {
    @TempDir
    static Path tmp;
    static TestServer server;
    static Cli alice;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(tmp.resolve("data"), Duration.ZERO);
        alice = new Cli(server.url(), tmp.resolve("config")).as(TestServer.ALICE_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String deploy(Projects p) {
        Cli.Result r = alice.run(p.dir(), "deploy", "-q");
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out().strip();
    }

    @Test
    void followsLogsAndALinePrintedByTheAppArrives() throws Exception {
        String url = deploy(Projects.nodeLogger(tmp, "logger", "logger"));
        try (Cli.Running text = alice.start(tmp, "logs", "logger", "-f");
             Cli.Running ndjson = alice.start(tmp, "logs", "logger", "-f", "--json")) {
            // The followers are connected once the line below, printed after they started, reaches them.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(text.alive()).as("logs -f keeps running: " + text.err()).isTrue();
                server.get(url, "/ping-42");
                assertThat(text.out()).contains("hit /ping-42");
                assertThat(ndjson.out()).contains("hit /ping-42");
            });
            List<JsonObject> lines = ndjson.out().lines().map(Jsons::parseObject).toList();
            assertThat(lines).allSatisfy(l -> assertThat(l.keySet()).contains("seq", "ts", "stream", "line"));
            JsonObject hit = lines.stream().filter(l -> l.getString("line").equals("hit /ping-42")).findFirst().orElseThrow();
            assertThat(hit.getString("stream")).isEqualTo("stdout");
            assertThat(text.out().lines()).as("plain lines are the app's output as printed").contains("hit /ping-42");
        }
        Cli.Result tail = alice.run(tmp, "logs", "logger", "--tail", "50", "--since", "10m");
        assertThat(tail.exit()).as(tail.describe()).isZero();
        assertThat(tail.out()).contains("hit /ping-42");
        Cli.Result none = alice.run(tmp, "logs", "logger", "--since", "0s");
        assertThat(none.out()).as("--since 0s keeps only lines from now on").doesNotContain("hit /ping-42");
    }

    @Test
    void envRollbackSuspendResumeAndRemove() {
        Projects project = Projects.nodeLogger(tmp, "envy", "envy-v1");
        String url = deploy(project);
        assertThat(server.get(url, "/").body()).isEqualTo("envy-v1 greeting=");

        Cli.Result set = alice.run(tmp, "env", "envy", "GREETING=hello", "COLOR=teal");
        assertThat(set.exit()).as(set.describe()).isZero();
        assertThat(server.get(url, "/").body()).as("env set waits until the new version serves").isEqualTo("envy-v1 greeting=hello");
        Cli.Result unset = alice.run(tmp, "env", "envy", "--unset", "COLOR");
        assertThat(unset.exit()).as(unset.describe()).isZero();
        assertThat(server.get(url, "/").body()).as("other entries are kept").isEqualTo("envy-v1 greeting=hello");
        Cli.Result show = alice.run(tmp, "env", "envy", "--json");
        assertThat(Jsons.parseObject(show.out()).getJsonObject("env").toString()).isEqualTo("{\"GREETING\":\"********\"}");

        project.file("server.js", Files.exists(project.dir().resolve("server.js"))
                ? readString(project.dir().resolve("server.js")).replace("envy-v1", "envy-v4") : "");
        assertThat(deploy(project)).isEqualTo(url);
        assertThat(server.get(url, "/").body()).isEqualTo("envy-v4 greeting=hello");

        Cli.Result versions = alice.run(tmp, "versions", "envy", "--json");
        List<JsonObject> all = Jsons.parseObject(versions.out()).getJsonArray("versions").stream().map(JsonValue::asJsonObject).toList();
        assertThat(all).extracting(v -> v.getInt("version")).containsExactly(4, 3, 2, 1);
        assertThat(all.getFirst().getBoolean("active")).isTrue();

        Cli.Result back = alice.run(tmp, "rollback", "envy", "1");
        assertThat(back.exit()).as(back.describe()).isZero();
        assertThat(back.out().strip()).isEqualTo(url);
        assertThat(server.get(url, "/").body()).as("version 1: first source, no env").isEqualTo("envy-v1 greeting=");
        Cli.Result missing = alice.run(tmp, "rollback", "envy", "9");
        assertThat(missing.exit()).isEqualTo(CliError.NOT_FOUND);
        assertThat(missing.err()).contains("no version 9").hasLineCount(1);

        Cli.Result suspend = alice.run(tmp, "suspend", "envy");
        assertThat(suspend.exit()).as(suspend.describe()).isZero();
        JsonObject suspended = Jsons.parseObject(alice.run(tmp, "status", "envy", "--json").out());
        assertThat(suspended.getBoolean("suspended")).isTrue();
        Cli.Result resume = alice.run(tmp, "resume", "envy");
        assertThat(resume.exit()).as(resume.describe()).isZero();
        assertThat(server.get(url, "/").body()).isEqualTo("envy-v1 greeting=");

        String id = suspended.getString("app_id");
        Cli.Result rm = alice.run(tmp, "rm", id);
        assertThat(rm.exit()).as(rm.describe()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.get(url, "/").status() == 404);
        Cli.Result gone = alice.run(tmp, "status", "envy");
        assertThat(gone.exit()).isEqualTo(CliError.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("vibed: not found: you have no app with the id or name 'envy' on " + server.url()
                + "; see your apps with `vibed apps`\n");
    }

    @Test
    void aDeployAcceptedBeforeItServesIsFollowedLiveToItsURLOrItsFailure() {
        Projects app = Projects.nodeLogger(tmp, "slowpoke", "slow-v1");
        Cli.Result ok = alice.run(app.dir(), "deploy");
        assertThat(ok.exit()).as(ok.describe()).isZero();
        assertThat(ok.err()).contains("accepted, starting (version 1)").containsPattern("slowpoke: (Claiming|Starting|Ready)");
        assertThat(server.get(ok.out().strip(), "/").body()).as("serves when the CLI returns").isEqualTo("slow-v1 greeting=");

        app.file("server.js", "console.error('crash: port already in use'); process.exit(1);");
        Cli.Result failed = alice.run(app.dir(), "deploy");
        assertThat(failed.exit()).as(failed.describe()).isEqualTo(CliError.FAILED);
        assertThat(failed.err()).contains("deploy failed: slowpoke version 2 did not start", "keeps serving",
                "crash: port already in use");
        assertThat(server.get(ok.out().strip(), "/").body()).as("version 1 keeps serving").isEqualTo("slow-v1 greeting=");
    }

    @Test
    void opensTheUrlWithTheBrowserAndStatusReadsForPeople() throws Exception {
        String url = deploy(Projects.in(tmp, "opener").file("index.html", "<h1>open me</h1>"));
        Path opened = tmp.resolve("opened.txt");
        Path browser = Files.writeString(tmp.resolve("browser.sh"), "#!/bin/sh\necho \"$1\" > " + opened + "\n");
        browser.toFile().setExecutable(true);
        Cli.Result open = alice.with("BROWSER", browser.toString()).run(tmp, "open", "opener");
        assertThat(open.exit()).as(open.describe()).isZero();
        assertThat(Files.readString(opened).strip()).isEqualTo(url);

        Cli.Result status = alice.run(tmp, "status", "opener");
        assertThat(status.out()).contains("name:     opener", "phase:    Ready", "url:      " + url, "template: static");
        Cli.Result apps = alice.run(tmp, "apps");
        assertThat(apps.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("PHASE", "URL");
        assertThat(apps.out()).containsPattern("opener\\s+[a-z2-7]{12}\\s+Ready\\s+1\\s+" + java.util.regex.Pattern.quote(url));
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
