package dev.vibed.standalone.auth;

import dev.vibed.api.auth.AuthSettings;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.Owners;
import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Auth mode apikey on a real standalone: keys from a file, two users and an admin, wrong keys refused. */
class ApiKeyAuthTest {
    static final String ALICE_KEY = "alice-4f0c1e8a9b7d6c5e";
    static final String BOB_KEY = "bob-0a1b2c3d4e5f6a7b8c";
    static final String ROOT_KEY = "root-9e8d7c6b5a4f3e2d1c";

    @TempDir
    static Path data;
    static Standalone vibed;
    static Http anonymous;

    @BeforeAll
    static void start() throws IOException {
        Path keys = Files.writeString(data.resolve("keys"), """
                # vibeD API keys: KEY USER [ROLE,...]
                %s alice
                %s   bob        # a trailing comment

                %s ops admin,deployer
                """.formatted(ALICE_KEY, BOB_KEY, ROOT_KEY));
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data.resolve("vibed")).withPort(0)
                .withTemplates(Set.of("static")).withAuth(AuthSettings.apiKeys(keys)));
        anonymous = new Http(vibed.apiUri());
    }

    @AfterAll
    static void stop() {
        if (vibed != null) {
            vibed.close();
        }
    }

    @Test
    void eachUserSeesOnlyTheirOwnAppsAndTheAdminSeesAll() {
        Owners.assertEachSeesOnlyTheirOwn(anonymous.withBearer(ALICE_KEY), "alice", anonymous.withBearer(BOB_KEY), "bob",
                anonymous.withBearer(ROOT_KEY));
    }

    @Test
    void wrongOrMissingKeysAre401() {
        int apps = vibed.store().list().size();
        for (String header : new String[]{"Bearer " + ALICE_KEY + "x", "Bearer " + ALICE_KEY.substring(1), "Bearer nope",
                "Basic " + ALICE_KEY, ALICE_KEY}) {
            Http.Response res = anonymous.withAuthorization(header).get("/v1/apps");
            assertThat(res.status()).as(header + ": " + res.body()).isEqualTo(401);
            assertThat(res.json().getString("code")).isEqualTo("unauthorized");
            assertThat(res.body()).doesNotContain(ALICE_KEY.substring(1));
            assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vibed\", error=\"invalid_token\"");
        }
        Http.Response missing = anonymous.deploy(Apps.staticSite("x"), "{\"name\":\"x\"}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vibed\"");
        assertThat(vibed.store().list()).hasSize(apps);
        assertThat(anonymous.get("/.well-known/oauth-protected-resource").status()).as("only oidc mode has an issuer to name")
                .isEqualTo(404);
        assertThat(anonymous.withBearer(BOB_KEY).get("/v1/apps").status()).isEqualTo(200);
    }

    @Test
    void aMalformedKeyFileStopsStartUpNamingTheLine(@TempDir Path dir) throws IOException {
        Path keys = Files.writeString(dir.resolve("keys"), """
                # ok so far
                %s alice
                %s
                """.formatted(ALICE_KEY, BOB_KEY));

        assertThatThrownBy(() -> RunningStandalone.start(StandaloneConfig.defaults(dir.resolve("vibed")).withPort(0)
                .withTemplates(Set.of("static")).withAuth(AuthSettings.apiKeys(keys))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api keys file " + keys + " line 3: expected 'KEY USER [ROLE,...]'");
        assertThat(dir.resolve("vibed")).as("nothing was created").doesNotExist();
    }
}
