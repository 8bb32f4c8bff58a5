package dev.vibed.standalone.dashboard;

import dev.vibed.api.auth.AuthSettings;
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

/** With --auth apikey the dashboard asks for a key, refuses a wrong one, and then shows only the user's own apps. */
class DashboardLoginTest {
    static final String ALICE = "alice-7d3f9a0b1c2e4d5f";
    static final String BOB = "bob-1a2b3c4d5e6f7a8b9c";

    @TempDir
    Path tmp;

    @Test
    void aUserLogsInWithAnApiKeyAndSeesOnlyTheirOwnApps() throws Exception {
        Path keys = Files.writeString(tmp.resolve("keys"), ALICE + " alice\n" + BOB + " bob\n");
        try (Standalone vibed = RunningStandalone.start(StandaloneConfig.defaults(tmp.resolve("data")).withPort(0)
                .withTemplates(Set.of("static")).withAuth(AuthSettings.apiKeys(keys)))) {
            Http http = new Http(vibed.apiUri());
            assertThat(http.withBearer(ALICE).deploy(Apps.staticSite("a"), "{\"name\":\"alices-site\"}").status()).isEqualTo(200);
            assertThat(http.withBearer(BOB).deploy(Apps.staticSite("b"), "{\"name\":\"bobs-site\"}").status()).isEqualTo(200);
            DashboardBrowser.Run run = DashboardBrowser.run("apikey", Json.createObjectBuilder()
                    .add("base", vibed.apiUri().toString().replaceAll("/$", "")).add("key", ALICE).add("expect", "alices-site")
                    .add("shots", DashboardE2eTest.SHOTS.toString()).build());
            assertThat(run.seen()).as(run.output()).containsKey("done");
            assertThat(run.text("wrong_key")).contains("not accepted");
            assertThat(run.text("user")).isEqualTo("alice");
            assertThat(run.text("names")).isEqualTo("[\"alices-site\"]");
            assertThat(run.text("audit_link")).as("alice is no admin").isEqualTo("0");
            assertThat(run.text("logged_out")).isEqualTo("true");
            assertThat(run.text("console_errors")).as("no console error was logged").isEqualTo("[]");
        }
    }
}
