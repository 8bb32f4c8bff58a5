package dev.vibed.kube.api;

import dev.vibed.api.auth.Auth;
import dev.vibed.api.auth.AuthMode;
import dev.vibed.core.access.Caller;
import dev.vibed.kube.config.Settings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cluster mode reads the same auth settings as standalone, from flags or {@code VIBED_*} env (as a Secret supplies them). */
class ClusterAuthSettingsTest {
    static final Map<String, String> REQUIRED = Map.of("VIBED_DOMAIN", "apps.example", "VIBED_S3_ENDPOINT", "http://127.0.0.1:1",
            "VIBED_S3_ACCESS_KEY", "a", "VIBED_S3_SECRET_KEY", "b");

    static ClusterApiConfig config(Map<String, String> flags, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(REQUIRED);
        all.putAll(env);
        return ClusterApiConfig.from(new Settings(flags, all));
    }

    @Test
    void keysFromTheEnvironmentAuthenticate() {
        ClusterApiConfig config = config(Map.of(), Map.of("VIBED_AUTH", "apikey",
                "VIBED_API_KEYS", "k-0123456789abcdef0 alice\nk-fedcba98765432100 ops admin"));
        Auth auth = Auth.create(config.auth(), null);

        assertThat(auth.mode()).isEqualTo(AuthMode.APIKEY);
        assertThat(auth.authenticator().authenticate("Bearer k-0123456789abcdef0")).isEqualTo(Caller.user("alice"));
        assertThat(auth.authenticator().authenticate("Bearer k-fedcba98765432100")).isEqualTo(Caller.admin("ops"));
    }

    @Test
    void flagsWinOverEnvAndDefaultIsNone() {
        assertThat(config(Map.of(), Map.of()).auth().mode()).isEqualTo(AuthMode.NONE);
        ClusterApiConfig config = config(Map.of("auth", "oidc", "oidc-issuer", "https://login.example/x"),
                Map.of("VIBED_AUTH", "apikey", "VIBED_OIDC_AUDIENCE", "vibed", "VIBED_OIDC_CLIENT_SECRET", "s3cret",
                        "VIBED_OIDC_ADMIN_VALUE", "ops"));

        assertThat(config.auth().mode()).isEqualTo(AuthMode.OIDC);
        assertThat(config.auth().oidcIssuer()).isEqualTo(URI.create("https://login.example/x"));
        assertThat(config.auth().oidcAudience()).isEqualTo("vibed");
        assertThat(config.auth().clientSecret()).isEqualTo("s3cret");
        assertThat(config.auth().adminClaim()).isEqualTo("groups");
        assertThat(config.auth().adminValue()).isEqualTo("ops");
        assertThatThrownBy(() -> Auth.create(config.auth(), null)).as("behind an ingress the public URL must be given")
                .hasMessageContaining("--oidc-resource");
    }
}
