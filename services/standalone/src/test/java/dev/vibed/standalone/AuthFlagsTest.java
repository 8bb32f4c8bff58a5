package dev.vibed.standalone;

import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthMode;
import dev.vibed.api.auth.AuthSettings;
import dev.vibed.core.access.Caller;
import dev.vibed.standalone.testing.RunningStandalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./vibed up} auth flags, and mode none refusing to listen where others can reach it. */
class AuthFlagsTest {

    @Test
    void modeNoneRefusesAPublicBind(@TempDir Path dir) {
        for (String bind : new String[]{"0.0.0.0", "::"}) {
            StandaloneConfig config = StandaloneConfig.defaults(dir).withPort(0).withTemplates(Set.of("static")).withBind(bind);

            assertThatThrownBy(() -> RunningStandalone.start(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auth mode none")
                    .hasMessageContaining("refusing to bind " + bind)
                    .hasMessageContaining("--auth apikey or --auth oidc");
        }
    }

    @Test
    void everyAuthFlagReachesTheSettings() {
        StandaloneConfig config = StandaloneMain.parse(new String[]{"--auth", "oidc", "--bind", "0.0.0.0",
                "--oidc-issuer", "https://login.example/realms/x", "--oidc-audience", "vibed", "--oidc-client-id", "dash",
                "--oidc-client-secret", "s3cret", "--oidc-user-claim", "email", "--oidc-admin-claim", "roles",
                "--oidc-admin-value", "vibed-admin", "--oidc-resource", "https://vibed.example"}, null);

        assertThat(config.bind()).isEqualTo("0.0.0.0");
        assertThat(config.auth()).isEqualTo(new AuthSettings(AuthMode.OIDC, null, null, URI.create("https://login.example/realms/x"),
                "vibed", "dash", "s3cret", "email", "roles", "vibed-admin", URI.create("https://vibed.example")));
        assertThat(config.auth().toString()).doesNotContain("s3cret");
        assertThat(StandaloneMain.parse(new String[0], null).auth()).isEqualTo(AuthSettings.none());
        assertThat(StandaloneMain.parse(new String[]{"--auth", "apikey", "--api-keys", "keys.txt"}, null).auth())
                .isEqualTo(AuthSettings.apiKeys(Path.of("keys.txt")));
    }

    @Test
    void badFlagsAreRefused() {
        assertThatThrownBy(() -> StandaloneMain.parse(new String[]{"--auth", "kerberos"}, null))
                .hasMessage("--auth must be none, apikey or oidc, not 'kerberos'");
        assertThatThrownBy(() -> StandaloneMain.parse(new String[]{"--oidc-issuer", "not a url"}, null))
                .hasMessageContaining("--oidc-issuer must be an absolute URL");
        assertThatThrownBy(() -> StandaloneMain.parse(new String[]{"--oidc-secret", "x"}, null))
                .hasMessage("unknown flag --oidc-secret");
        assertThatThrownBy(() -> Auth.create(AuthSettings.none().withMode(AuthMode.APIKEY), URI.create("http://127.0.0.1:1")))
                .hasMessageContaining("--api-keys FILE or env VIBED_API_KEYS");
        assertThatThrownBy(() -> Auth.create(StandaloneMain.parse(new String[]{"--api-keys", "keys.txt"}, null).auth(),
                URI.create("http://127.0.0.1:1")))
                .as("keys without --auth apikey would leave the API open").hasMessageContaining("add --auth apikey");
    }

    @Test
    void keysMayComeFromTheEnvironment() {
        StandaloneConfig config = StandaloneMain.parse(new String[]{"--auth", "apikey"},
                "k-0123456789abcdef0 alice\nk-fedcba98765432100 ops admin\n");
        Auth auth = Auth.create(config.auth(), URI.create("http://127.0.0.1:1"));

        assertThat(auth.authenticator().authenticate("Bearer k-0123456789abcdef0")).isEqualTo(Caller.user("alice"));
        assertThat(auth.authenticator().authenticate("Bearer k-fedcba98765432100")).isEqualTo(Caller.admin("ops"));
    }
}
